import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	signInResident,
	signInStaff,
	STAFF_PASSWORD,
	type Client,
} from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';
import { hasJava, validateHtml } from '../standards/vnu.ts';

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
		const householdId = /household=(\d+)"/.exec(paper)![1]!;
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
	/** A draft (template) on 城关新苑, or with `open` published for a day. */
	async function createSurvey(staff: Client, anonymous: boolean, open = true): Promise<string> {
		const list = await (await staff.get('/staff/surveys')).text();
		const project = /<option value="(\d+)"[^>]*>城关新苑老旧小区改造/.exec(list)![1]!;
		const created = await staff.post('/staff/surveys?_action=surveys.create', {
			projectId: project,
			title: anonymous ? '匿名满意度' : '实名满意度',
			titleEn: '',
			mode: 'household',
			anonymous: String(anonymous),
			template: 'true',
		});
		const surveyId = /\/staff\/surveys\/(\d+)/.exec(created.headers.get('location')!)![1]!;
		if (open) {
			const local = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 16);
			const opened = await staff.post(`/staff/surveys/${surveyId}?_action=surveys.open`, {
				surveyId,
				closesAt: local,
			});
			expect(opened.status).toBe(303);
		}
		return surveyId;
	}

	/** A resident bound (as owner) to the household, with a fresh phone number. */
	async function bindResident(staff: Client, phone: string, householdId: string) {
		const slips = await (
			await staff.post('/staff/households/slips?_action=households.issueCodes', {
				householdId,
				relation: 'owner',
				maxMembers: '5',
			})
		).text();
		const code = /data-bind-url="[^"]*code=([A-Z0-9]+)"/.exec(slips)![1]!;
		const resident = await signInResident(server.url, phone);
		expect((await resident.post('/bind?_action=households.join', { code })).status).toBe(303);
		return resident;
	}

	/** Answers every question: ratings and choices with their first value, the text with `text`. */
	async function answer(resident: Client, surveyId: string, householdId: string, text: string) {
		const path = `/surveys/${surveyId}/answer/${householdId}`;
		const form = await (await resident.get(path)).text();
		const fields: Record<string, string> = { surveyId, householdId };
		for (const m of form.matchAll(/name="(a\.\d+)" value="(\d+)"/g)) fields[m[1]!] ??= m[2]!;
		for (const m of form.matchAll(/<textarea[^>]*name="(a\.\d+)"/g)) fields[m[1]!] = text;
		const posted = await resident.post(`${path}?_action=surveys.respond`, fields);
		expect(posted.status).toBe(303);
	}

	/** The household an address line names on the paper page ("3号楼1单元101室"), by id. */
	async function householdAddress(staff: Client, surveyId: string, householdId: string) {
		const paper = await (
			await staff.get(`/staff/surveys/${surveyId}/paper?household=${householdId}`)
		).text();
		return /<h2>[^<]*?(\d+号楼\d+单元\S+?室)<\/h2>/.exec(paper)![1]!;
	}

	/**
	 * Whether the page shows `marker` (a household's free-text answer) inside the same list
	 * item as the household's address: what an individual answer looks like on any page.
	 */
	function showsIndividualAnswer(html: string, marker: string, address: string): boolean {
		for (let at = html.indexOf(marker); at >= 0; at = html.indexOf(marker, at + 1)) {
			const start = html.lastIndexOf('<li', at);
			const end = html.indexOf('</li>', at);
			if (start >= 0 && html.slice(start, end).includes(address)) return true;
		}
		return false;
	}

	it('no route returns an individual answer of an anonymous survey; a named one lists them for its committee', async () => {
		const base = server.url;
		const admin = await signInStaff(base, 'admin');
		const outsider = await signInStaff(base, 'meiling');
		const anonymous = await createSurvey(admin, true);
		const named = await createSurvey(admin, false);
		const paper = await (await admin.get(`/staff/surveys/${anonymous}/paper`)).text();
		const householdId = /household=(\d+)"/.exec(paper)![1]!;
		const address = await householdAddress(admin, anonymous, householdId);
		const resident = await bindResident(admin, '13912340101', householdId);
		const marker = `只此一家的意见${Date.now()}`;
		await answer(resident, anonymous, householdId, marker);
		await answer(resident, named, householdId, `${marker}（实名）`);

		// The committee publishes the comment, closes and publishes results.
		const builder = await (await admin.get(`/staff/surveys/${anonymous}`)).text();
		const moderation =
			/name="responseId" value="(\d+)"[\s\S]*?name="questionId" value="(\d+)"/.exec(builder)!;
		await admin.post(`/staff/surveys/${anonymous}?_action=surveys.moderateText`, {
			surveyId: anonymous,
			responseId: moderation[1]!,
			questionId: moderation[2]!,
			state: 'published',
		});
		await admin.post(`/staff/surveys/${anonymous}/close?_action=surveys.close`, {
			surveyId: anonymous,
			confirm: 'on',
			reason: '议事会同意提前截止',
		});
		expect(
			(
				await admin.post(`/staff/surveys/${anonymous}/publish?_action=surveys.publish`, {
					surveyId: anonymous,
					note: '',
					confirm: 'on',
				})
			).status,
		).toBe(303);

		const visitor = { get: (p: string) => fetch(base + p, { redirect: 'manual' }) };
		const routes = [
			`/surveys/${anonymous}`,
			`/surveys/${anonymous}/results`,
			`/en/surveys/${anonymous}/results`,
			`/surveys/${anonymous}/results.csv`,
			`/surveys/${anonymous}/answer/${householdId}`,
			`/staff/surveys/${anonymous}`,
			`/staff/surveys/${anonymous}/preview`,
			`/staff/surveys/${anonymous}/paper`,
			`/staff/surveys/${anonymous}/answers`,
			`/staff/surveys/${anonymous}/answers.csv`,
			`/en/staff/surveys/${anonymous}/answers`,
			`/staff/surveys`,
			`/surveys`,
			`/dashboard`,
		];
		let markerSeen = 0;
		for (const [who, c] of Object.entries({ admin, outsider, resident, visitor })) {
			for (const route of routes) {
				const response = await c.get(route);
				const body = await response.text();
				if (body.includes(marker)) markerSeen += 1;
				const where = `${who} ${route} (${response.status})`;
				expect(showsIndividualAnswer(body, marker, address), where).toBe(false);
				// The resident's own answer form aside, the text appears only where published or
				// moderated, never next to a household.
				if (route.includes('/answer/') && who === 'resident') continue;
				if (route.includes('/answers') || route.includes('/paper'))
					expect(body.includes(marker), where).toBe(false);
			}
		}
		expect(markerSeen).toBeGreaterThan(0);
		// The named-answers page and its CSV refuse an anonymous survey with a translated message.
		const refused = await admin.get(`/staff/surveys/${anonymous}/answers`);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('匿名问卷不显示任何一户的回答。');
		const refusedEn = await admin.get(`/en/staff/surveys/${anonymous}/answers`);
		expect(refusedEn.status).toBe(403);
		expect(await refusedEn.text()).toContain('An anonymous survey never shows');
		const csvRefused = await admin.get(`/staff/surveys/${anonymous}/answers.csv`);
		expect([csvRefused.status, await csvRefused.text()]).toEqual([
			403,
			'匿名问卷不显示任何一户的回答。',
		]);
		expect((await outsider.get(`/staff/surveys/${anonymous}/answers`)).status).toBe(404);
		expect((await resident.get(`/staff/surveys/${anonymous}/answers.csv`)).status).toBe(303);

		// The named survey: the same check finds the answer next to its household.
		const page = await admin.get(`/staff/surveys/${named}/answers`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(showsIndividualAnswer(html, `${marker}（实名）`, address)).toBe(true);
		expect(html).toMatch(/data-figure="named-total"[^>]*>共 1 份回答/);
		expect((await outsider.get(`/staff/surveys/${named}/answers`)).status).toBe(404);
		expect((await visitor.get(`/staff/surveys/${named}/answers`)).status).toBe(303);
		const csv = await admin.get(`/staff/surveys/${named}/answers.csv`);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('cache-control')).toBe('no-store');
		const bytes = new Uint8Array(await csv.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes.subarray(3));
		expect(text).toContain(`${marker}（实名）`);
		expect(text.split('\r\n')[1]).toMatch(
			/^[^,]+,\d+,\d+,\S+,1\d\d\*{4}\d{4},产权人（业主）,网上,,/,
		);
		// The new pages are valid HTML (the Nu checker, when Java is there).
		if (hasJava()) {
			const pages = [];
			for (const path of [
				`/staff/surveys/${named}/answers`,
				`/en/staff/surveys/${named}/answers`,
				`/staff/surveys/${anonymous}/answers`,
			]) {
				pages.push({ path, html: await (await admin.get(path)).text() });
			}
			const draft = await createSurvey(admin, false, false);
			pages.push({
				path: 'builder',
				html: await (await admin.get(`/staff/surveys/${draft}`)).text(),
			});
			expect(validateHtml(pages)).toEqual([]);
		}
		// The staff page links the named answers only for a named survey.
		expect(await (await admin.get(`/staff/surveys/${named}`)).text()).toContain(
			`/staff/surveys/${named}/answers`,
		);
		expect(await (await admin.get(`/staff/surveys/${anonymous}`)).text()).not.toContain(
			`/staff/surveys/${anonymous}/answers`,
		);
	}, 120_000);

	it('sections are edited while a draft; a published survey refuses every builder action', async () => {
		const admin = await signInStaff(server.url, 'admin');
		const draft = await createSurvey(admin, true, false);
		const page = async (id: string) => (await admin.get(`/staff/surveys/${id}`)).text();
		const sectionIds = (html: string) =>
			[...html.matchAll(/data-section="s-(\d+)"/g)].map((m) => m[1]!);
		const [items, overall] = sectionIds(await page(draft));
		const post = (id: string, action: string, form: Record<string, string>) =>
			admin.post(`/staff/surveys/${id}?_action=surveys.${action}`, { surveyId: id, ...form });
		const renamed = await post(draft, 'updateSection', {
			sectionId: overall!,
			title: '总体<评价>',
			titleEn: 'Overall',
		});
		expect(renamed.status).toBe(303);
		expect(renamed.headers.get('location')).toContain('done=updateSection');
		let html = await (await admin.get(renamed.headers.get('location')!)).text();
		expect(html).toContain('分组已保存。');
		expect(html).toContain('总体&lt;评价&gt;');
		expect(
			(await post(draft, 'moveSection', { sectionId: overall!, direction: 'up' })).status,
		).toBe(303);
		expect(sectionIds(await page(draft))).toEqual([overall, items]);
		const question = /data-question="(\d+)"/.exec(await page(draft))![1]!;
		expect(
			(await post(draft, 'setQuestionSection', { questionId: question, sectionId: items! })).status,
		).toBe(303);
		html = await page(draft);
		expect(html.indexOf(`data-question="${question}"`)).toBeGreaterThan(
			html.indexOf(`data-section="s-${items}"`),
		);
		expect((await post(draft, 'removeSection', { sectionId: items! })).status).toBe(303);
		html = await page(draft);
		expect(sectionIds(html)).toEqual([overall]);
		expect(html).toContain('data-section="s-none"');
		expect(html).toContain(`data-question="${question}"`);

		// Published: every builder action is refused with the translated reason; nothing changes.
		const local = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 16);
		await post(draft, 'open', { closesAt: local });
		const before = await (await admin.get(`/staff/surveys/${draft}/preview`)).text();
		const refusals: [string, Record<string, string>][] = [
			['updateSection', { sectionId: overall!, title: '改', titleEn: '' }],
			['removeSection', { sectionId: overall! }],
			['moveSection', { sectionId: overall!, direction: 'down' }],
			['setQuestionSection', { questionId: question, sectionId: overall! }],
			['moveQuestion', { questionId: question, direction: 'up' }],
			['removeQuestion', { questionId: question }],
			['addSection', { title: '晚了', titleEn: '' }],
			['addQuestion', { kind: 'text', prompt: '晚了的题', promptEn: '', options: '' }],
		];
		for (const [action, form] of refusals) {
			const response = await post(draft, action, form);
			expect(response.headers.get('location') ?? '', action).not.toContain('done=');
			expect(await response.text(), action).toContain('问卷已经发布，不能再修改。');
		}
		expect(await (await admin.get(`/staff/surveys/${draft}/preview`)).text()).toBe(before);
	}, 120_000);
});
