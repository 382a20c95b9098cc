import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInStaff, STAFF_PASSWORD } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/** 居民公约 staff forms over HTTP, without JavaScript (issue 23, item 4). */
describe('residents’ convention: staff forms on the built server', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = {
			DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
			GONGJIAN_WORKER: 'off',
		};
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env, 120_000);
	}, 150_000);
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('publishes a version, records a paper slip, refuses bad input with a 4xx', async () => {
		const staff = await signInStaff(server.url, 'admin');
		const self = '/staff/convention/baisha-fuxing';
		const page = await (await staff.get(self)).text();
		expect(page).toContain('已有 2 户确认（共 174 户）');
		const projectId = /name="projectId" value="(\d+)"/.exec(page)![1]!;
		const household =
			/<select id="f-household" name="householdId"[^>]*>\s*<option value="(\d+)"/.exec(page)![1]!;

		const paper = await staff.post(`${self}?_action=aftercare.recordPaperConvention`, {
			projectId,
			householdId: household,
		});
		expect(paper.status).toBe(303);
		expect(paper.headers.get('location')).toBe(`${self}?saved=paper`);
		const after = await (await staff.get(`${self}?saved=paper`)).text();
		expect(after).toContain('纸质回执已登记。');
		expect(after).toContain('已有 3 户确认（共 174 户）');

		// The same slip twice, an id past int4, a household of nowhere: a message, nothing stored.
		for (const householdId of [household, '99999999999', '2147483000']) {
			const refused = await staff.post(`${self}?_action=aftercare.recordPaperConvention`, {
				projectId,
				householdId,
			});
			expect(refused.status).toBeGreaterThanOrEqual(400);
			expect(refused.status).toBeLessThan(500);
		}
		const empty = await staff.post(`${self}?_action=aftercare.publishConvention`, {
			projectId,
			title: '',
			body: '',
			bodyEn: '',
		});
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('请填写公约标题。');

		const published = await staff.post(`${self}?_action=aftercare.publishConvention`, {
			projectId,
			title: '居民公约<script>alert(1)</script>',
			body: '## 五、养犬\n文明养犬，出门牵绳。',
			bodyEn: '',
		});
		expect(published.status).toBe(303);
		const publicPage = await (await fetch(`${server.url}/p/baisha-fuxing/convention`)).text();
		expect(publicPage).toContain('第 3 版');
		expect(publicPage).toContain('居民公约&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(publicPage).toContain('<h2>五、养犬</h2>');
		expect(publicPage).toContain('已有 0 户确认（共 174 户）');
		const english = await (await fetch(`${server.url}/en/p/baisha-fuxing/convention`)).text();
		expect(english).toContain('0 of 174 households have confirmed');
	}, 120_000);
});
