import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signInStaff, STAFF_PASSWORD } from '../helpers/http-client.ts';
import { freePort, startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/** Issue 22 over HTTP: the demo's agreement, supervision and policy pages, and refusals. */
describe('改造协议, 监督小组 and 政策解读 over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		tmp = tempDir();
		const port = await freePort();
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

	const page = async (p: string) => {
		const response = await fetch(server.url + p);
		return { status: response.status, html: await response.text() };
	};

	it('shows the agreement counts, the gate, the draw with its seed, and the explainers', async () => {
		const agreement = await page('/p/jiangbin/agreement');
		expect(agreement.status).toBe(200);
		expect(agreement.html).toContain('已确认 2 户 / 共');
		expect(agreement.html).toMatch(
			/1号楼“多层住宅楼房增设电梯”：\d+ 户出资住户中还有 \d+ 户未确认/,
		);
		expect((await page('/p/jiangbin')).html).toMatch(/改造协议：已确认 2 户 \/ 共 \d+ 户/);
		const supervision = await page('/en/p/hongyan/supervision');
		expect(supervision.html).toContain('2026-hongyan-supervision');
		expect(supervision.html).toContain('2 drawn from 5 volunteer(s)');
		const policy = await page('/en/p/hongyan/policy');
		expect(policy.html).toContain('Do I pay for a new elevator?');
		expect(policy.html).toContain('Where does the money come from?');
		expect((await page('/policy/350404')).html).toContain('居民监督小组是做什么的？');
		expect((await page('/p/jiangbin/v/1/notice')).html).toContain('/p/jiangbin/policy');
		expect((await page('/p/hongyan/progress')).html).toContain('监督小组巡查记录');
	});

	it('answers 404 for unknown pages and another community, 400 for malformed ids', async () => {
		expect((await page('/p/nope/agreement')).status).toBe(404);
		expect((await page('/policy/999999')).status).toBe(404);
		expect((await page('/policy/abc')).status).toBe(404);
		const jiangbin = await signInStaff(server.url, 'jiangbin');
		expect((await jiangbin.get('/staff/agreements/hongyan')).status).toBe(404);
		expect((await jiangbin.get('/staff/supervision/hongyan')).status).toBe(404);
		const draw = await jiangbin.post('/_actions/supervision.draw', {
			projectId: '1',
			seats: '1',
			seed: '',
		});
		expect(draw.status).toBe(404);
		const huge = await jiangbin.post('/_actions/supervision.confirmMember', {
			projectId: '99999999999',
			supervisorId: '1',
		});
		expect(huge.status).toBe(400);
		const visitor = client(server.url);
		const anonymous = await visitor.post('/_actions/agreements.confirm', {
			projectId: '1',
			householdId: '1',
		});
		expect(anonymous.status).toBe(401);
	});
});
