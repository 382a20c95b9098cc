import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPaperPhoto } from '../factories/ballots.ts';
import {
	signInResident,
	signInStaff,
	STAFF_PASSWORD,
	type Client,
} from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/**
 * Committee steps that cannot be undone, as a committee member meets them on the built
 * server: closing and publishing go through a confirmation page that shows participation and
 * what will happen, a request without the ticked box is refused with a translated message,
 * closing early below target needs a reason that residents then read with the results.
 */
describe('confirming what cannot be undone, over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let meiling: Client;
	let admin: Client;

	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = { DEMO_STAFF_PASSWORD: STAFF_PASSWORD };
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env);
		meiling = await signInStaff(server.url, 'meiling');
		admin = await signInStaff(server.url, 'admin');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('staff see what is theirs: meetings from the home, officers their problems, building counts', async () => {
		const home = await (await meiling.get('/staff')).text();
		expect(home).toMatch(/href="\/staff\/progress"[^>]*>施工进度与居民议事会（夜谈会）</);
		const homeEn = await (await meiling.get('/en/staff')).text();
		expect(homeEn).toContain('Construction progress and residents’ meetings');
		// A resident reports a problem on 红岩新村, the officer's project.
		const resident = await signInResident(server.url, '15805980377');
		const reportPage = await (await resident.get('/p/hongyan/problems')).text();
		const projectId = /name="projectId" value="(\d+)"/.exec(reportPage)![1]!;
		const report = new FormData();
		report.set('projectId', projectId);
		report.set('body', '二单元楼道管线破损，雨天漏水');
		report.set('place', '2单元楼道');
		const reported = await resident.post(
			'/p/hongyan/problems?_action=progress.reportProblem',
			report,
		);
		expect(reported.status).toBe(303);
		const officer = await signInStaff(server.url, 'officer');
		const officerHome = await (await officer.get('/staff')).text();
		expect(officerHome).toContain('href="/staff/problems"');
		const problems = await (await officer.get('/staff/problems')).text();
		expect(problems).toMatch(/href="\/staff\/problems\/\d+"/);
		expect(problems).not.toContain('没有需要处理的问题。');
		const households = await (await meiling.get('/staff/households')).text();
		const counts = [...households.matchAll(/号楼 · (\d+) 户/g)].map((m) => Number(m[1]));
		expect(counts.length).toBeGreaterThan(3);
		expect(counts.every((n) => n > 1)).toBe(true);
	});

	it('paper entry finds a household by door number or building → unit → room, then moves to the next in the unit', async () => {
		const list = await (await meiling.get('/staff/rounds')).text();
		const roundId = /href="\/staff\/rounds\/(\d+)"[^>]*>杜鹃新村改造方案（修改稿）征求意见/.exec(
			list,
		)![1]!;
		const paper = `/staff/rounds/${roundId}/paper`;
		const start = await (await meiling.get(paper)).text();
		expect(start).toContain('门牌号');
		expect(start).not.toContain('name="household"');
		const missing = await (await meiling.get(`${paper}?address=9-9-909`)).text();
		expect(missing).toContain('本轮范围内没有门牌号“9-9-909”的住户');
		const building = await (
			await meiling.get(`${paper}?building=${encodeURIComponent('杜鹃新村|3')}`)
		).text();
		expect(building).toMatch(/>\s*1单元 · 未录 \d+ \/ \d+ 户\s*</);
		const unit = await (
			await meiling.get(`${paper}?building=${encodeURIComponent('杜鹃新村|3')}&unit=1`)
		).text();
		const rooms = [...unit.matchAll(/href="[^"]*household=(\d+)"[^>]*>\s*(\d+)室/g)];
		expect(rooms.length).toBeGreaterThan(4);
		// Typing the door number of a room without a ballot opens its form.
		const free = [...unit.matchAll(/household=(\d+)"[^>]*>\s*(\d+)室\s*<\/a>/g)];
		const [, first, room] = free[0]!;
		const found = await meiling.get(`${paper}?address=3-1-${room}`);
		expect(found.status).toBe(303);
		expect(found.headers.get('location')).toContain(`household=${first}`);
		const form = await (await meiling.get(found.headers.get('location')!)).text();
		expect(form).toContain(`3号楼 1单元 ${room}室`);
		const body = new FormData();
		body.set('roundId', roundId);
		body.set('householdId', first!);
		for (const [, item] of form.matchAll(/name="(choices\.\d+)" value="agree"/g))
			body.set(item!, 'agree');
		for (const [, q, option] of form.matchAll(/name="(options\.\d+)" value="(\d+)"/g))
			if (!body.has(q!)) body.set(q!, option!);
		if (form.includes('name="overall"')) body.set('overall', 'agree');
		body.set('filledAt', new Date(Date.now() + 8 * 3_600_000 - 60_000).toISOString().slice(0, 16));
		body.set('comment', '');
		body.set(
			'photo',
			new File([(await buildPaperPhoto()) as Uint8Array<ArrayBuffer>], 'form.jpg', {
				type: 'image/jpeg',
			}),
		);
		const saved = await meiling.post(
			`${paper}?household=${first}&_action=ballots.enterPaper`,
			body,
		);
		expect(saved.status).toBe(303);
		const after = await (await meiling.get(saved.headers.get('location')!)).text();
		expect(after).toContain(`已保存 杜鹃新村 3号楼 1单元 ${room}室 的纸质意见：`);
		expect(after).toMatch(/下面接着录入同一单元的下一户：3号楼 1单元 \d+室。/);
		// The next household's form is open, in the same unit.
		const next = /下一户：3号楼 1单元 (\d+)室/.exec(after)![1]!;
		expect(after).toMatch(new RegExp(`<h2>3号楼 1单元 ${next}室</h2>`));
		expect(next).not.toBe(room);
		const en = await (await meiling.get(`/en${saved.headers.get('location')!}`)).text();
		expect(en).toContain('Next, the following household of the same unit');
	});

	it('a round: confirmation page, refusals, a published reason, sentences that say what happened', async () => {
		const list = await (await meiling.get('/staff/rounds')).text();
		const roundId = /href="\/staff\/rounds\/(\d+)"[^>]*>杜鹃新村改造方案（修改稿）征求意见/.exec(
			list,
		)![1]!;
		const page = await (await meiling.get(`/staff/rounds/${roundId}`)).text();
		expect(page).toContain(`href="/staff/rounds/${roundId}/close"`);
		expect(page).not.toContain('_action=ballots.closeRound');

		const confirm = await meiling.get(`/staff/rounds/${roundId}/close`);
		expect(confirm.status).toBe(200);
		const html = await confirm.text();
		expect(html).toMatch(/目前 \d+ 户中已有 \d+ 户提交意见（[\d.]+%），目标为 66\.7%。/);
		expect(html).toContain('未达到目标。');
		expect(html).toContain('杜鹃新村 1号楼');
		expect(html).toContain('不会通知住户。');
		expect(html).toContain('提前截止的原因（必填，将公开）');
		const en = await (await meiling.get(`/en/staff/rounds/${roundId}/close`)).text();
		expect(en).toContain('Confirm closing early');
		expect(en).toContain('Households are not notified.');

		const action = `/staff/rounds/${roundId}/close?_action=ballots.closeRound`;
		const unconfirmed = await meiling.post(action, { roundId, reason: '议事会同意' });
		expect(unconfirmed.status).toBe(400);
		expect(await unconfirmed.text()).toContain('这一步不能撤销：请在确认页面勾选确认后再提交。');
		const noReason = await meiling.post(action, { roundId, confirm: 'on', reason: '' });
		expect(noReason.status).toBe(400);
		expect(await noReason.text()).toContain('参与未达目标，提前截止须写明原因');
		const stillOpen = await (await meiling.get(`/staff/rounds/${roundId}`)).text();
		expect(stillOpen).toContain(`/staff/rounds/${roundId}/close`);

		const reason = '施工队提前进场，居民议事会同意提前截止';
		const closed = await meiling.post(action, { roundId, confirm: 'on', reason });
		expect(closed.status).toBe(303);
		const after = await (await meiling.get(closed.headers.get('location')!)).text();
		expect(after).toMatch(/本轮已于 .+ 截止：\d+ 户中 \d+ 户提交了意见（[\d.]+%）。结果尚未公开/);
		expect(after).not.toContain('已完成。');
		const publicResults = await (await fetch(`${server.url}/rounds/${roundId}/results`)).text();
		expect(publicResults).toContain(`提前截止说明：${reason}`);
		const publicEn = await (await fetch(`${server.url}/en/rounds/${roundId}/results`)).text();
		expect(publicEn).toContain(`Closed early because: ${reason}`);

		const publish = await (await meiling.get(`/staff/rounds/${roundId}/publish`)).text();
		expect(publish).toContain('第 1 版结果向所有人公开');
		expect(publish).toMatch(/参与本轮的 \d+ 户的成员会收到站内通知。/);
		expect(publish).toContain('参与不足 66.7%：公开的结论会注明“参与不足，结果不成立”。');
		const publishAction = `/staff/rounds/${roundId}/publish?_action=ballots.publish`;
		const refused = await meiling.post(publishAction, { roundId, note: '' });
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('请在确认页面勾选确认');
		expect((await fetch(`${server.url}/rounds/${roundId}/results.json`)).status).toBe(404);
		const published = await meiling.post(publishAction, { roundId, note: '', confirm: 'on' });
		expect(published.status).toBe(303);
		const done = await (await meiling.get(published.headers.get('location')!)).text();
		expect(done).toMatch(/第 1 版结果已公示，所有人可以查看；已通知参与本轮的 \d+ 户。/);
		const doneEn = await (await meiling.get(`/en${published.headers.get('location')!}`)).text();
		expect(doneEn).toMatch(/Version 1 of the results is published for everyone/);
	});

	it('a survey: confirmation, the closed page no longer says 已发布, the first note is not a correction', async () => {
		const list = await (await admin.get('/staff/surveys')).text();
		const project = /<option value="(\d+)"[^>]*>城关新苑老旧小区改造/.exec(list)![1]!;
		const created = await admin.post('/staff/surveys?_action=surveys.create', {
			projectId: project,
			title: '改造后满意度（复查）',
			titleEn: '',
			mode: 'household',
			anonymous: 'true',
			template: 'true',
		});
		const surveyId = /\/staff\/surveys\/(\d+)/.exec(created.headers.get('location')!)![1]!;
		const local = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 16);
		await admin.post(`/staff/surveys/${surveyId}?_action=surveys.open`, {
			surveyId,
			closesAt: local,
		});
		const open = await (await admin.get(`/staff/surveys/${surveyId}`)).text();
		expect(open).toContain('问卷已发布，题目、作答方式和匿名设置都不能再改。');
		expect(open).toContain(`href="/staff/surveys/${surveyId}/close"`);

		const confirm = await (await admin.get(`/staff/surveys/${surveyId}/close`)).text();
		expect(confirm).toMatch(/目前 \d+ 户中已有 0 户作答（0\.0%），目标为 66\.7%。/);
		expect(confirm).toContain('住户不能再作答或修改答卷');
		const action = `/staff/surveys/${surveyId}/close?_action=surveys.close`;
		const refused = await admin.post(action, { surveyId });
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('请在确认页面勾选确认');
		const reason = '与社区活动时间冲突，议事会同意改期重做';
		const closed = await admin.post(action, { surveyId, confirm: 'on', reason });
		expect(closed.status).toBe(303);
		const page = await (await admin.get(closed.headers.get('location')!)).text();
		expect(page).toMatch(/问卷已于 .+ 截止：\d+ 户中 0 户作答。结果尚未公布/);
		expect(page).toContain('问卷已截止，不再收取答卷');
		expect(page).not.toContain('问卷已发布');

		const publishAction = `/staff/surveys/${surveyId}/publish?_action=surveys.publish`;
		const publishPage = await (await admin.get(`/staff/surveys/${surveyId}/publish`)).text();
		expect(publishPage).toContain('关注本项目的居民会收到站内通知。');
		expect((await admin.post(publishAction, { surveyId, note: '' })).status).toBe(400);
		const first = await admin.post(publishAction, {
			surveyId,
			note: '首次公布：请居民查阅',
			confirm: 'on',
		});
		expect(first.status).toBe(303);
		expect(await (await admin.get(first.headers.get('location')!)).text()).toMatch(
			/第 1 版结果已公布，所有人可以查看；已通知关注本项目的 \d+ 位居民。/,
		);
		const results = await (await fetch(`${server.url}/surveys/${surveyId}/results`)).text();
		expect(results).toContain('公示说明：首次公布：请居民查阅');
		expect(results).not.toContain('更正说明');
		expect(results).toContain(`提前截止说明：${reason}`);
		const resultsEn = await (await fetch(`${server.url}/en/surveys/${surveyId}/results`)).text();
		expect(resultsEn).toContain('Publication note: 首次公布');
		await admin.post(publishAction, { surveyId, note: '补录纸质问卷', confirm: 'on' });
		const corrected = await (await fetch(`${server.url}/surveys/${surveyId}/results`)).text();
		expect(corrected).toContain('更正说明：补录纸质问卷');
	});

	it('each staff member sees their own scope: home links, rounds and households of their community only', async () => {
		const jiangbin = await signInStaff(server.url, 'jiangbin');
		const officer = await signInStaff(server.url, 'officer');
		const links = (html: string) =>
			[...html.split('class="nav-list')[1]!.matchAll(/href="(\/staff\/[a-z/]+)"/g)]
				.map((m) => m[1])
				.sort();
		expect(links(await (await meiling.get('/staff')).text())).toEqual([
			'/staff/community',
			'/staff/households',
			'/staff/insights',
			'/staff/moderation',
			'/staff/problems',
			'/staff/progress',
			'/staff/roster',
			'/staff/rounds',
			'/staff/surveys',
		]);
		expect(links(await (await officer.get('/staff')).text())).toEqual([
			'/staff/insights',
			'/staff/problems',
			'/staff/progress',
			'/staff/projects',
		]);
		const adminLinks = links(await (await admin.get('/staff')).text());
		expect(adminLinks).toContain('/staff/admin/audit');
		expect(adminLinks).toContain('/staff/admin/candidates');
		// 杜鹃新村 is 梅岭社区's, 江滨花园 is 江滨社区's: neither committee sees the other's.
		const round = '杜鹃新村改造方案（修改稿）征求意见';
		expect(await (await meiling.get('/staff/rounds')).text()).toContain(round);
		expect(await (await jiangbin.get('/staff/rounds')).text()).not.toContain(round);
		const mine = await (await meiling.get('/staff/households')).text();
		expect(mine).toContain('杜鹃新村');
		expect(mine).not.toContain('江滨花园');
		const theirs = await (await jiangbin.get('/en/staff/households')).text();
		expect(theirs).toContain('Jiangbin Garden');
		expect(theirs).not.toContain('Dujuan New Village');
		expect((await officer.get('/staff/moderation')).status).toBe(404);
	});
});
