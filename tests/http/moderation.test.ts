import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	client,
	signInResident,
	signInStaff,
	STAFF_PASSWORD,
	type Client,
} from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const PLAN = '/p/dujuan/v/2';

describe('moderation over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let meiling: Client;
	let jiangbin: Client;
	let author: Client;
	let versionId: string;
	let opinionId: string;
	const text = '请在 3 号楼门口加装扶手 <script>alert(1)</script>';
	const escaped = '请在 3 号楼门口加装扶手 &lt;script&gt;alert(1)&lt;/script&gt;';

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
		[meiling, jiangbin] = await Promise.all([
			signInStaff(server.url, 'meiling'),
			signInStaff(server.url, 'jiangbin'),
		]);
		author = await signInResident(server.url, '13700000501');
		const page = await (await author.get(PLAN)).text();
		versionId = /name="planVersionId" value="(\d+)"/.exec(page)![1]!;
	});
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('queues a pre-moderated opinion for its own committee only', async () => {
		// An anonymous visit first, so the plan page is in the anonymous cache.
		expect(await (await fetch(`${server.url}${PLAN}`)).text()).not.toContain(escaped);
		const posted = await author.post('/_actions/opinions.post', {
			planVersionId: versionId,
			alignment: 'neutral',
			body: text,
		});
		expect(posted.status).toBe(200);
		const queue = await (await meiling.get('/staff/moderation')).text();
		// The demo's own pending opinions wait in the same queue: find this one's item.
		const item = queue.split('<li class="queue-item"').find((chunk) => chunk.includes(escaped))!;
		opinionId = new RegExp(`href="/staff/moderation/(\\d+)"`).exec(item)![1]!;
		expect(queue).toContain(escaped);
		expect(queue).not.toContain('<script>alert(1)');
		const foreignQueue = await (await jiangbin.get('/staff/moderation')).text();
		expect(foreignQueue).not.toContain(escaped);
	});

	it('answers another community’s moderator with 404 everywhere, and changes nothing', async () => {
		const page = await jiangbin.get(`/staff/moderation/${opinionId}`);
		expect(page.status).toBe(404);
		expect(await page.text()).not.toContain(escaped);
		const viaPage = await jiangbin.post(
			`/staff/moderation/${opinionId}?_action=moderation.moderate`,
			{
				opinionId,
				op: 'approve',
			},
		);
		expect(viaPage.status).toBe(404);
		for (const [name, form] of [
			['moderate', { opinionId, op: 'hide', reason: '越权' }],
			['bulk', { ids: opinionId, op: 'reject', reason: '越权' }],
			['answer', { opinionId, disposition: 'adopted', body: '越权' }],
			['block', { opinionId, days: '30', reason: '越权' }],
		] as const) {
			const response = await jiangbin.post(`/_actions/moderation.${name}`, form);
			expect([name, response.status]).toEqual([name, 404]);
		}
		// Residents and visitors are refused before anything is looked up.
		expect(
			(await author.post('/_actions/moderation.moderate', { opinionId, op: 'approve' })).status,
		).toBe(403);
		expect(
			(await client(server.url).post('/_actions/moderation.moderate', { opinionId, op: 'approve' }))
				.status,
		).toBe(401);
		const item = await (await meiling.get(`/staff/moderation/${opinionId}`)).text();
		expect(item).toContain('当前状态：待审核');
		expect(item).toContain('没有举报。');
		expect(item).not.toContain('越权');
	});

	it('approves, answers with a translated refusal first, and the public pages follow at once', async () => {
		const approved = await meiling.post(
			`/staff/moderation/${opinionId}?_action=moderation.moderate`,
			{
				opinionId,
				op: 'approve',
			},
		);
		expect(approved.status).toBe(303);
		expect(approved.headers.get('location')).toBe(`/staff/moderation/${opinionId}?saved=moderate`);
		expect(await (await fetch(`${server.url}${PLAN}`)).text()).toContain(escaped);
		const sheetBefore = await (await fetch(`${server.url}${PLAN}/answers`)).text();
		expect(sheetBefore).not.toContain(escaped);
		const refused = await meiling.post('/_actions/moderation.answer', {
			opinionId,
			disposition: 'not_adopted',
			body: '',
		});
		expect(refused.status).toBe(400);
		const english = await meiling.post(
			`/en/staff/moderation/${opinionId}?_action=moderation.answer`,
			{
				opinionId,
				disposition: 'not_adopted',
				body: '',
			},
		);
		expect(await english.text()).toContain('Give the reason when an opinion is not adopted.');
		const answered = await meiling.post('/_actions/moderation.answer', {
			opinionId,
			disposition: 'not_adopted',
			body: '门口为消防通道，扶手改设在楼梯间内。',
		});
		expect(answered.status).toBe(200);
		const sheet = await (await fetch(`${server.url}${PLAN}/answers`)).text();
		expect(sheet).toContain(escaped);
		expect(sheet).toContain('理由：门口为消防通道，扶手改设在楼梯间内。');
		const plan = await (await fetch(`${server.url}${PLAN}`)).text();
		expect(plan).toContain('社区答复');
		expect(plan).toContain('不予采纳');
		// The author reads both in the notification centre, naming the project, in either
		// language, and the answer's link lands on the answer.
		const centre = await (await author.get('/account/notifications')).text();
		expect(centre).toContain('您对「杜鹃新村老旧小区改造」提的意见已通过审核并公开。');
		expect(centre).toContain('您对「杜鹃新村老旧小区改造」提的意见有了答复：不予采纳。');
		expect(centre).not.toContain('「」');
		expect(centre).not.toContain('您有一条新通知。');
		const centreEn = await (await author.get('/en/account/notifications')).text();
		expect(centreEn).toContain(
			'Your opinion on “Dujuan New Village renovation” has an answer: Not adopted.',
		);
		const link = `${PLAN}/answers#opinion-${opinionId}`;
		expect(centre).toContain(`href="${link}"`);
		expect(centreEn).toContain(`href="/en${link}"`);
		const landing = await (await author.get(`${PLAN}/answers`)).text();
		expect(landing).toContain(`id="opinion-${opinionId}"`);
	});

	it('hides with a reason shown in place of the text, for everyone', async () => {
		const hidden = await meiling.post('/_actions/moderation.moderate', {
			opinionId,
			op: 'hide',
			reason: '含有他人门牌号',
		});
		expect(hidden.status).toBe(200);
		const plan = await (await fetch(`${server.url}${PLAN}`)).text();
		expect(plan).toContain('已被居委会隐藏：含有他人门牌号');
		expect(plan).not.toContain(escaped);
		expect(await (await author.get(PLAN)).text()).toContain(escaped);
	});
});
