import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInResident, signInStaff, STAFF_PASSWORD } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

describe('surveys over HTTP (real server)', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;

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
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('50 parallel submissions for one household make one response; staff see who, never what', async () => {
		const base = server.url;
		const staff = await signInStaff(base, 'admin');
		const list = await (await staff.get('/staff/surveys')).text();
		const project = /<option value="(\d+)"[^>]*>城关新苑老旧小区改造/.exec(list)![1]!;
		const created = await staff.post('/staff/surveys?_action=surveys.create', {
			projectId: project,
			title: '满意度<script>alert(1)</script>',
			titleEn: '',
			mode: 'household',
			anonymous: 'true',
			template: 'true',
		});
		expect(created.status).toBe(303);
		const surveyId = /\/staff\/surveys\/(\d+)/.exec(created.headers.get('location')!)![1]!;
		const local = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 16);
		expect(
			(
				await staff.post(`/staff/surveys/${surveyId}?_action=surveys.open`, {
					surveyId,
					closesAt: local,
				})
			).status,
		).toBe(303);
		const builder = await (await staff.get(`/staff/surveys/${surveyId}`)).text();
		// Escaped in text (attribute values such as og:title are quoted, where `<` is inert).
		expect(builder).toContain('>满意度&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
		const paper = await (await staff.get(`/staff/surveys/${surveyId}/paper`)).text();
		const householdId = /<option value="(\d+)"/.exec(paper)![1]!;
		const slips = await (
			await staff.post('/staff/households/slips?_action=households.issueCodes', {
				householdId,
				relation: 'owner',
				maxMembers: '5',
			})
		).text();
		const code = /data-bind-url="[^"]*code=([A-Z0-9]+)"/.exec(slips)![1]!;
		const resident = await signInResident(base, '13912340077');
		expect((await resident.post('/bind?_action=households.join', { code })).status).toBe(303);
		const form = await (await resident.get(`/surveys/${surveyId}/answer/${householdId}`)).text();
		const radios = [
			...new Set([...form.matchAll(/name="a\.(\d+)" value="\d+"/g)].map((m) => m[1]!)),
		];
		expect(radios.length).toBeGreaterThanOrEqual(2);
		const firstChoice = new Map<string, string>();
		for (const m of form.matchAll(/name="a\.(\d+)" value="(\d+)"/g)) {
			if (!firstChoice.has(m[1]!)) firstChoice.set(m[1]!, m[2]!);
		}
		const target = `/surveys/${surveyId}/answer/${householdId}?_action=surveys.respond`;
		const statuses = await Promise.all(
			Array.from({ length: 50 }, (_, n) =>
				resident
					.post(target, {
						surveyId,
						householdId,
						// Every question answered with its first choice; the first one varies per request.
						...Object.fromEntries(radios.map((q) => [`a.${q}`, firstChoice.get(q)!])),
						[`a.${radios[0]}`]: String(1 + (n % 5)),
					})
					.then((r) => r.status),
			),
		);
		expect(statuses.every((s) => s === 303)).toBe(true);
		const page = await (await staff.get(`/staff/surveys/${surveyId}`)).text();
		expect(page).toMatch(/data-figure="responded"[^>]*>1 \/ \d+ 户已作答/);
		// The staff page lists who answered and shows no per-household answer (anonymous survey).
		expect(page).not.toMatch(/非常满意[^<]*<\/li>\s*<li>[^<]*户/);
		const mine = await (await resident.get(`/surveys/${surveyId}/answer/${householdId}`)).text();
		expect(mine).toContain('保存修改');
		// A resident cannot reach staff pages or actions.
		expect((await resident.get(`/staff/surveys/${surveyId}`)).status).not.toBe(200);
		const refused = await resident.post(`/staff/surveys/${surveyId}?_action=surveys.close`, {
			surveyId,
		});
		expect(refused.headers.get('location') ?? '').not.toContain('done=close');
		expect(
			await (await resident.get(`/surveys/${surveyId}/answer/${householdId}`)).text(),
		).toContain('保存修改');
		// Before publication there is nothing to download.
		expect((await fetch(`${base}/surveys/${surveyId}/results.csv`)).status).toBe(404);
		expect((await fetch(`${base}/dashboard`)).status).toBe(200);
	}, 120_000);
});
