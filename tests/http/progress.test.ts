import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, buildPhoneJpeg } from '../factories/images.ts';
import { decodeQr } from '../helpers/qr.ts';
import { client, signInResident, signInStaff, STAFF_PASSWORD } from '../helpers/http-client.ts';
import { freePort, startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const blob = (bytes: Uint8Array, type: string) =>
	new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('progress, notifications, problems and notices over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		tmp = tempDir();
		const port = await freePort();
		// The QR codes and links that leave the site use the public origin. No background worker:
		// an AVIF job finishing between two requests moves the content version, and the cache
		// assertions below must see only the writes this file makes.
		const env: Record<string, string> = {
			GONGJIAN_WORKER: 'off',
			DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
			PORT: String(port),
			SITE_URL: `http://127.0.0.1:${port}`,
		};
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env);
	});
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('the notice QR code decodes to the version page; notices exist only for open or final versions', async () => {
		const html = await (await fetch(`${server.url}/p/dujuan/v/2/notice`)).text();
		// The QR code's own box (the notice may also draw the site plan with its pins).
		const svg = /class="notice-code"[^>]*>(<svg[\s\S]*?<\/svg>)/.exec(html)![1]!;
		expect(await decodeQr(svg)).toBe(`${server.url}/p/dujuan/v/2`);
		expect(html).toContain('改造方案公示');
		expect(html).not.toMatch(/\sstyle="/);
		expect((await fetch(`${server.url}/p/dujuan/v/1/notice`)).status).toBe(404);
		expect((await fetch(`${server.url}/p/dujuan/v/99/notice`)).status).toBe(404);
	});

	it('an officer update moves the anonymous project page at once; bars are <progress>', async () => {
		// The demo's 红岩新村 is under construction: its officer posted three weekly updates.
		const first = await fetch(`${server.url}/p/hongyan`);
		expect(await first.text()).toContain('总体完成 53%');
		const officer = await signInStaff(server.url, 'officer');
		const page = await (await officer.get('/staff/progress/hongyan')).text();
		const keys = [...page.matchAll(/name="item" value="(\d+:\d+)"/g)].map((m) => m[1]!);
		expect(keys.length).toBeGreaterThan(2);
		const form = new FormData();
		form.set('projectId', /name="projectId" value="(\d+)"/.exec(page)![1]!);
		form.set('body', '屋面防水施工过半');
		form.append(
			'photos',
			blob(await buildPhoneJpeg({ width: 800, height: 600 }), 'image/jpeg'),
			'a.jpg',
		);
		for (const [i, key] of keys.entries()) {
			form.append('item', key);
			form.append('status', i === 0 ? 'done' : 'not_started');
			form.append('percent', i === 0 ? '100' : '0');
			form.append('reason', '');
		}
		const posted = await officer.post('/staff/progress/hongyan?_action=progress.postUpdate', form);
		expect(posted.status).toBe(303);
		const after = await fetch(`${server.url}/p/hongyan`);
		const html = await after.text();
		expect(html).toMatch(/<progress max="100" value="100"/);
		expect(html).not.toMatch(/\sstyle="/);
		// Anonymous pages carry nothing personal: no notification badge.
		expect(html).not.toContain('/account/notifications');
	});

	it('follow needs a signed-in resident and the site origin; the badge counts a milestone', async () => {
		const anonymous = client(server.url);
		expect(
			(await anonymous.post('/_actions/notifications.follow', { projectId: '1' })).status,
		).toBe(401);
		const resident = await signInResident(server.url, '13700000811');
		const page = await (await resident.get('/p/hongyan')).text();
		const projectId = /name="projectId" value="(\d+)"/.exec(page)![1]!;
		expect(
			(
				await resident.post(
					`/account/notifications?_action=notifications.follow&back=/p/hongyan`,
					{ projectId },
					null,
				)
			).status,
		).toBe(403);
		const followed = await resident.post(
			`/account/notifications?_action=notifications.follow&back=%2F%2Fevil.example`,
			{ projectId },
		);
		expect(followed.status).toBe(303);
		expect(followed.headers.get('location')).toBe('/account/notifications');
		expect(
			(await resident.post('/_actions/notifications.follow', { projectId: '999999' })).status,
		).toBe(404);
		const officer = await signInStaff(server.url, 'officer');
		// Works started two weeks ago in the demo (announced then): completion is announced now.
		const saved = await officer.post('/staff/progress/hongyan?_action=progress.setMilestone', {
			projectId,
			kind: 'works_completed',
			plannedOn: '',
			achievedOn: today(),
		});
		expect(saved.status).toBe(303);
		const home = await (await resident.get('/p/hongyan')).text();
		expect(home).toContain('通知，1 条未读');
		const centre = await (await resident.get('/account/notifications')).text();
		expect(centre).toContain('「红岩新村老旧小区改造」完工：');
		expect(
			(await resident.post('/account/notifications?_action=notifications.markAllRead', {})).status,
		).toBe(303);
		expect(await (await resident.get('/p/hongyan')).text()).not.toContain('条未读');
	});

	it('a problem report with photos: its reporter and the committee see it; nobody else does', async () => {
		const resident = await signInResident(server.url, '13700000812');
		const page = await (await resident.get('/p/hongyan/problems')).text();
		const form = new FormData();
		form.set('projectId', /name="projectId" value="(\d+)"/.exec(page)![1]!);
		form.set('body', '<script>alert(1)</script>井盖松动');
		form.set('place', '南门');
		form.set('buildingId', '');
		form.append(
			'photos',
			blob(await buildImage('png', { width: 640, height: 480 }), 'image/png'),
			'a.png',
		);
		const sent = await resident.post('/p/hongyan/problems?_action=progress.reportProblem', form);
		expect(sent.status).toBe(303);
		const location = sent.headers.get('location')!;
		expect(location).toMatch(/^\/p\/hongyan\/problems\/\d+$/);
		const id = location.split('/').at(-1)!;
		const mine = await (await resident.get(location)).text();
		expect(mine).toContain('&lt;script&gt;alert(1)&lt;/script&gt;井盖松动');
		const other = await signInResident(server.url, '13700000813');
		expect((await other.get(location)).status).toBe(404);
		const jiangbin = await signInStaff(server.url, 'jiangbin');
		expect((await jiangbin.get(`/staff/problems/${id}`)).status).toBe(404);
		expect(
			(
				await jiangbin.post('/_actions/progress.dispatchProblem', {
					reportId: id,
					unit: 'pipeline',
					dueOn: today(),
				})
			).status,
		).toBe(404);
		const meiling = await signInStaff(server.url, 'meiling');
		expect((await meiling.get(`/staff/problems/${id}`)).status).toBe(200);
		expect(
			(
				await meiling.post('/_actions/progress.dispatchProblem', {
					reportId: id,
					unit: 'nobody',
					dueOn: today(),
				})
			).status,
		).toBe(400);
		expect(
			(
				await meiling.post(`/staff/problems/${id}?_action=progress.dispatchProblem`, {
					reportId: id,
					unit: 'pipeline',
					dueOn: today(),
				})
			).status,
		).toBe(303);
		const closed = await meiling.post(`/staff/problems/${id}?_action=progress.closeProblem`, {
			reportId: id,
			answer: '已修复',
		});
		expect(closed.status).toBe(303);
		const answered = await (await resident.get(location)).text();
		expect(answered).toContain('已修复');
		expect(answered).toContain('已派给管线单位');
		const stats = await (await fetch(`${server.url}/p/hongyan/problems`)).text();
		expect(stats).toMatch(/已办结 1 件/);
		expect(stats).not.toContain('井盖松动');
	});
});
