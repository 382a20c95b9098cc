import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signInStaff, STAFF_PASSWORD, type Client } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/** Staff set a round's floor coefficients (楼层系数) through the draft page's form, no script. */
describe('floor coefficients over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let staff: Client;

	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = { DEMO_STAFF_PASSWORD: STAFF_PASSWORD };
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty', DB_POOL_MAX: '20' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env);
		staff = await signInStaff(server.url, 'meiling');
	});
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('are saved on the draft round page, refused when malformed, and fixed once opened', async () => {
		const list = await (await staff.get('/staff/rounds')).text();
		const project = /<option value="(\d+)">杜鹃新村老旧小区改造<\/option>/.exec(list)![1]!;
		const form = await (await staff.get(`/staff/rounds/new?project=${project}`)).text();
		const menu = [...form.matchAll(/name="itemIds" value="(\d+)"/g)].map((m) => m[1]!);
		const now = Date.now();
		const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
		const body = new URLSearchParams({
			projectId: project,
			kind: 'needs',
			title: '电梯楼层系数测试',
			titleEn: '',
			description: '',
			questions: '',
			planVersionId: '',
			scopeBuildingId: '',
			rule: 'simple_majority',
			decisionScope: 'building',
			opensAt: local(now - 3_600_000),
			closesAt: local(now + 86_400_000),
			targetPercent: '',
		});
		body.append('itemIds', menu[0]!);
		const created = await staff.post(
			`/staff/rounds/new?project=${project}&_action=ballots.createRound`,
			body,
		);
		expect(created.status).toBe(303);
		const round = Number(/\/staff\/rounds\/(\d+)/.exec(created.headers.get('location')!)![1]);
		const page = `/staff/rounds/${round}`;
		const draft = await (await staff.get(page)).text();
		expect(draft).toContain('保存楼层系数');

		const bad = await staff.post(`${page}?_action=ballots.setFloorCoefficients`, {
			roundId: String(round),
			coefficients: '1:0\n2:<b>0.3</b>',
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('第 2 行无法识别');
		expect(await (await staff.get(page)).text()).not.toContain('1:0');

		const saved = await staff.post(`${page}?_action=ballots.setFloorCoefficients`, {
			roundId: String(round),
			coefficients: '1楼：0\n2:0.3\n3:0.65',
		});
		expect(saved.status).toBe(303);
		const after = await (await staff.get(saved.headers.get('location')!)).text();
		expect(after).toContain('楼层系数已保存。');
		expect(after).toContain('1:0\n2:0.3\n3:0.65</textarea>');

		// An emptied textarea clears them; saving them again restores them.
		const cleared = await staff.post(`${page}?_action=ballots.setFloorCoefficients`, {
			roundId: String(round),
			coefficients: '',
		});
		expect(cleared.status).toBe(303);
		expect(await (await staff.get(page)).text()).not.toContain('0.65');
		await staff.post(`${page}?_action=ballots.setFloorCoefficients`, {
			roundId: String(round),
			coefficients: '1:0\n2:0.3\n3:0.65',
		});
		// Another community's staff and anonymous visitors change nothing.
		const jiangbin = await signInStaff(server.url, 'jiangbin');
		expect(
			(
				await jiangbin.post('/_actions/ballots.setFloorCoefficients', {
					roundId: String(round),
					coefficients: '',
				})
			).status,
		).toBe(404);
		expect(
			(
				await client(server.url).post('/_actions/ballots.setFloorCoefficients', {
					roundId: String(round),
					coefficients: '',
				})
			).status,
		).toBe(403);

		expect(
			(await staff.post(`${page}?_action=ballots.openRound`, { roundId: String(round) })).status,
		).toBe(303);
		const opened = await (await staff.get(page)).text();
		expect(opened).not.toContain('保存楼层系数');
		expect(opened).toMatch(/<th scope="row"[^>]*>3楼<\/th>\s*<td[^>]*>0\.65<\/td>/);
		const late = await staff.post(`${page}?_action=ballots.setFloorCoefficients`, {
			roundId: String(round),
			coefficients: '',
		});
		expect(late.status).toBe(409);
		expect(await (await staff.get(page)).text()).toContain('0.65');
	});
});
