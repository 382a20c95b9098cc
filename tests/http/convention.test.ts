import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import { signInStaff, STAFF_PASSWORD } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/** 居民公约 staff forms over HTTP, without JavaScript (issue 23, item 4). */
describe('residents’ convention: staff forms on the built server', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let databaseUrl: string | undefined;
	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = {
			DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
			GONGJIAN_WORKER: 'off',
		};
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			databaseUrl = created.url;
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

	it('schedules the yearly check from the same page; the survey page shows the draft', async () => {
		const staff = await signInStaff(server.url, 'admin');
		const self = '/staff/convention/baisha-fuxing';
		const page = await (await staff.get(self)).text();
		expect(page).toContain('一周年满意度回访');
		const projectId = /name="projectId" value="(\d+)"/.exec(page)![1]!;
		const scheduled = await staff.post(`${self}?_action=aftercare.scheduleYearlyCheck`, {
			projectId,
		});
		expect(scheduled.status).toBe(303);
		const location = scheduled.headers.get('location')!;
		expect(location).toMatch(/^\/staff\/surveys\/\d+$/);
		const survey = await (await staff.get(location)).text();
		expect(survey).toMatch(/改造后满意度回访（\d{4}年）/);
		expect(survey).toContain('您对本次小区改造的总体满意度如何？');
		const again = await staff.post(`${self}?_action=aftercare.scheduleYearlyCheck`, { projectId });
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('这一年的回访已经安排过了。');
		const hongyan = /name="projectId" value="(\d+)"/.exec(
			await (await staff.get('/staff/convention/hongyan')).text(),
		)![1]!;
		const early = await staff.post(
			`/staff/convention/hongyan?_action=aftercare.scheduleYearlyCheck`,
			{
				projectId: hongyan,
			},
		);
		expect(early.status).toBe(400);
		expect(await early.text()).toContain('这个项目还没有通过联合竣工验收，不能安排回访。');
	}, 60_000);

	it.runIf(process.env.TEST_DATABASE_URL)(
		'the dashboard shows satisfaction over time once a project has a second published survey',
		async () => {
			expect(await (await fetch(`${server.url}/dashboard`)).text()).not.toContain('满意度变化');
			const handle = await openDatabase({ databaseUrl: databaseUrl!, poolMax: 1 });
			try {
				const [project] = await handle.db
					.select({ id: schema.projects.id })
					.from(schema.projects)
					.where(eq(schema.projects.slug, 'chengguan'));
				const [first] = await handle.db
					.select()
					.from(schema.surveyResults)
					.where(eq(schema.surveyResults.projectId, project!.id));
				const later = new Date(Date.now() + 60_000);
				const [followUp] = await handle.db
					.insert(schema.surveys)
					.values({
						projectId: project!.id,
						title: '改造后满意度回访（一年后）',
						titleEn: 'Satisfaction follow-up (a year on)',
						status: 'closed',
						publishedAt: later,
						closesAt: later,
						closedAt: later,
					})
					.returning({ id: schema.surveys.id });
				await handle.db.insert(schema.surveyResults).values({
					...first!,
					id: undefined,
					surveyId: followUp!.id,
					satisfiedCount: 3,
					validCount: 4,
					publishedAt: later,
				});
			} finally {
				await handle.close();
			}
			const html = await (await fetch(`${server.url}/dashboard`)).text();
			expect(html).toContain('<h2 id="d-history"');
			expect(html).toMatch(/改造后满意度回访（一年后）（\d{4}年\d+月\d+日）：75(\.0)?%/);
			const en = await (await fetch(`${server.url}/en/dashboard`)).text();
			expect(en).toMatch(/Satisfaction follow-up \(a year on\) \(\d+ \w+ \d{4}\): 75(\.0)?%/);
		},
		60_000,
	);
});
