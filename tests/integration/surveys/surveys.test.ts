import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import {
	addQuestion,
	addSection,
	createSurvey,
	moveQuestion,
	removeQuestion,
} from '../../../src/lib/server/surveys/commands/build.ts';
import { closeSurvey, openSurvey } from '../../../src/lib/server/surveys/commands/lifecycle.ts';
import { setQuestionSection } from '../../../src/lib/server/surveys/commands/sections.ts';
import {
	moderateSurveyText,
	publishSurveyResults,
} from '../../../src/lib/server/surveys/commands/publish.ts';
import {
	enterPaperResponse,
	submitResponse,
} from '../../../src/lib/server/surveys/commands/respond.ts';
import { listDashboard } from '../../../src/lib/server/surveys/dashboard.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { listNamedAnswers } from '../../../src/lib/server/surveys/named.ts';
import {
	computeResults,
	getMyAnswers,
	getPublishedResults,
	listRespondents,
	listTextsForModeration,
} from '../../../src/lib/server/surveys/queries.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import { buildPaperPhoto, createMember, type Households } from '../../factories/ballots.ts';
import {
	createOpenSurvey,
	createOutsider,
	createTemplateSurvey,
	setUpChengguan,
} from '../../factories/surveys.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

/** The database's refusal, as drizzle wraps it (the message is in the cause). */
const refusal = async (promise: Promise<unknown>) => {
	const error = (await promise.then(
		() => null,
		(e: unknown) => e,
	)) as { message?: string; cause?: { message?: string } } | null;
	return `${error?.message ?? ''} ${error?.cause?.message ?? ''}`;
};
const later = () => toChinaLocalInput(new Date(Date.now() + 7 * 86_400_000));

describe.each(drivers)('surveys on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let outsider: StaffActor;
	let project: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ admin, project, households } = await setUpChengguan(t.db));
		outsider = await createOutsider(t.db);
	});
	afterAll(async () => t?.close());

	/** A template survey, opened, with `n` bound households. */
	async function openTemplateSurvey(
		overrides: { anonymous?: boolean; mode?: 'household' | 'resident' } = {},
	) {
		return createOpenSurvey(
			t.db,
			admin,
			{ projectId: project, title: '满意度<script>alert(1)</script>', ...overrides },
			later(),
		);
	}
	const fullAnswers = (
		survey: NonNullable<Awaited<ReturnType<typeof loadSurvey>>>,
		rating: number,
		text = '',
	) => {
		const a: Record<string, string> = {};
		for (const q of survey.questions) {
			if (q.kind === 'rating') a[String(q.id)] = String(rating);
			if (q.kind === 'single') a[String(q.id)] = '0';
			if (q.kind === 'text' && text) a[String(q.id)] = text;
		}
		return a;
	};

	it('the seed publishes a chengguan survey the dashboard shows, figures equal to a recount', async () => {
		const [counts] = await queryRows<{
			scope: number;
			responded: number;
			satisfied: number;
			valid: number;
		}>(
			t.db,
			sql`select (select count(*)::int from survey_households sh join surveys v on v.id = sh.survey_id where v.project_id = ${project}) as scope,
			           (select count(*)::int from survey_responses r join surveys v on v.id = r.survey_id where v.project_id = ${project}) as responded,
			           (select count(*) filter (where a.value >= 4)::int from survey_answers a join survey_questions q on q.id = a.question_id where q.role = 'overall') as satisfied,
			           (select count(*)::int from survey_answers a join survey_questions q on q.id = a.question_id where q.role = 'overall') as valid`,
		);
		const rows = await listDashboard(t.db);
		const row = rows.find((r) => r.slug === 'chengguan')!;
		expect(row.households).toBe(counts!.scope);
		expect(row.respondedHouseholds).toBe(counts!.responded);
		expect(row.satisfaction).toEqual({ num: counts!.satisfied, den: counts!.valid });
		expect(counts!.responded).toBeGreaterThan(20);
		expect(await listDashboard(t.db, { year: 1999 })).toEqual([]);
	});

	it('template: one rating per final-plan item, overall, recommend, a text; immutable once published', async () => {
		const { surveyId, questions } = await createTemplateSurvey(t.db, admin, {
			projectId: project,
			title: '模板',
		});
		expect(questions).toBe(4 + 3);
		const sectionId = await addSection(t.db, admin, { surveyId, title: '补充', titleEn: 'More' });
		const multiple = await addQuestion(t.db, admin, {
			surveyId,
			sectionId,
			kind: 'multiple',
			prompt: '哪些方面最满意？',
			promptEn: '',
			required: false,
			options: '楼道 | Stairs\n管网 | Pipes\n停车 | Parking',
			minChoices: 1,
			maxChoices: 2,
		});
		await reject(
			addQuestion(t.db, admin, {
				surveyId,
				kind: 'single',
				prompt: '只有一个选项',
				promptEn: '',
				required: true,
				options: '一',
			}),
		).then((e) => expect(e.messageKey).toBe('surveys.optionsInvalid'));
		// Alone in its section: moving up stays within the section, so nothing moves.
		await moveQuestion(t.db, admin, { surveyId, questionId: multiple, direction: 'up' });
		let survey = (await loadSurvey(t.db, surveyId))!;
		expect(survey.questions.at(-1)!.id).toBe(multiple);
		const overallSection = survey.questions.find((q) => q.role === 'overall')!.sectionId!;
		await setQuestionSection(t.db, admin, {
			surveyId,
			questionId: multiple,
			sectionId: overallSection,
		});
		await moveQuestion(t.db, admin, { surveyId, questionId: multiple, direction: 'up' });
		survey = (await loadSurvey(t.db, surveyId))!;
		expect(survey.questions.at(-2)!.id).toBe(multiple);
		expect(survey.questions.at(-2)!.sectionId).toBe(overallSection);
		expect(survey.questions.filter((q) => q.role === 'item')).toHaveLength(4);
		await removeQuestion(t.db, admin, { surveyId, questionId: multiple });
		survey = (await loadSurvey(t.db, surveyId))!;
		expect(survey.questions.some((q) => q.id === multiple)).toBe(false);
		await reject(
			createSurvey(t.db, outsider, {
				projectId: project,
				title: '越权',
				titleEn: '',
				description: '',
				descriptionEn: '',
				mode: 'household',
				anonymous: true,
				template: false,
			}),
		).then((e) => expect(e.code).toBe('not_found'));
		const { households: scope } = await openSurvey(t.db, admin, { surveyId, closesAt: later() });
		expect(scope).toBe(households.length);
		await reject(addSection(t.db, admin, { surveyId, title: '晚了', titleEn: '' })).then((e) =>
			expect(e.messageKey).toBe('surveys.alreadyPublished'),
		);
	});

	it('answering: one response per household, changeable until close, then closed', async () => {
		const survey = await openTemplateSurvey();
		const household = households[0]!;
		const owner = await createMember(t.db, admin, household.id, 'owner');
		const family = await createMember(t.db, admin, household.id, 'family');
		const first = await submitResponse(t.db, owner, {
			surveyId: survey.id,
			householdId: household.id,
			a: fullAnswers(survey, 5),
		});
		const second = await submitResponse(t.db, family, {
			surveyId: survey.id,
			householdId: household.id,
			a: fullAnswers(survey, 2),
		});
		expect(second).toEqual({ responseId: first.responseId, revision: 2 });
		const mine = await getMyAnswers(t.db, owner, survey, household.id);
		const overall = survey.questions.find((q) => q.role === 'overall')!;
		expect(mine!.answers.get(overall.id)).toEqual({ kind: 'rating', value: 2 });
		const invalid = fullAnswers(survey, 4);
		delete invalid[String(overall.id)];
		await reject(
			submitResponse(t.db, owner, { surveyId: survey.id, householdId: household.id, a: invalid }),
		).then((e) => expect(e.code).toBe('invalid'));
		const stranger = await createMember(t.db, admin, households[1]!.id);
		await reject(
			submitResponse(t.db, stranger, {
				surveyId: survey.id,
				householdId: household.id,
				a: fullAnswers(survey, 5),
			}),
		).then((e) => expect(e.code).toBe('forbidden'));
		await closeSurvey(t.db, admin, survey.id, CONFIRMED);
		await reject(
			submitResponse(t.db, owner, {
				surveyId: survey.id,
				householdId: household.id,
				a: fullAnswers(survey, 5),
			}),
		).then((e) => expect(e.code).toBe('closed'));
		const [count] = await queryRows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from survey_responses where survey_id = ${survey.id}`,
		);
		expect(count!.n).toBe(1);
	});

	it('per-resident mode: two members of one household give two responses', async () => {
		const survey = await openTemplateSurvey({ mode: 'resident' });
		const household = households[2]!;
		const a = await createMember(t.db, admin, household.id, 'owner');
		const b = await createMember(t.db, admin, household.id, 'tenant');
		const ra = await submitResponse(t.db, a, {
			surveyId: survey.id,
			householdId: household.id,
			a: fullAnswers(survey, 5),
		});
		const rb = await submitResponse(t.db, b, {
			surveyId: survey.id,
			householdId: household.id,
			a: fullAnswers(survey, 3),
		});
		expect(ra.responseId).not.toBe(rb.responseId);
		const view = await computeResults(t.db, (await loadSurvey(t.db, survey.id))!);
		expect(view).toMatchObject({ responses: 2, respondedHouseholds: 1 });
	});

	it('paper forms: staff enter with a photo; never over a household’s own answer', async () => {
		const survey = await openTemplateSurvey();
		const photo = await buildPaperPhoto(3);
		await enterPaperResponse(t.db, admin, {
			surveyId: survey.id,
			householdId: households[3]!.id,
			a: fullAnswers(survey, 4),
			photo,
		});
		await reject(
			enterPaperResponse(t.db, admin, {
				surveyId: survey.id,
				householdId: households[3]!.id,
				a: fullAnswers(survey, 4),
				photo,
			}),
		).then((e) => expect(e.messageKey).toBe('surveys.alreadyResponded'));
		await reject(
			enterPaperResponse(t.db, outsider, {
				surveyId: survey.id,
				householdId: households[4]!.id,
				a: fullAnswers(survey, 4),
				photo,
			}),
		).then((e) => expect(e.code).toBe('not_found'));
		const rows = await listRespondents(t.db, admin, survey);
		expect(rows.find((r) => r.household_id === households[3]!.id)).toMatchObject({
			responses: 1,
			paper: 1,
		});
	});

	it('suppression: 4 responses publish participation only; 5 show figures, a 4-response building stays hidden', async () => {
		const survey = await openTemplateSurvey();
		const byBuilding = new Map<number, typeof households>();
		for (const h of households)
			byBuilding.set(h.buildingId, [...(byBuilding.get(h.buildingId) ?? []), h]);
		const [first, second] = [...byBuilding.values()];
		const answer = async (h: (typeof households)[number], rating: number) =>
			submitResponse(t.db, await createMember(t.db, admin, h.id), {
				surveyId: survey.id,
				householdId: h.id,
				a: fullAnswers(survey, rating),
			});
		for (const h of first!.slice(0, 4)) await answer(h, 5);
		let view = await computeResults(t.db, (await loadSurvey(t.db, survey.id))!);
		expect(view.suppressed).toBe(true);
		expect(view.questions.every((q) => q.stats === null)).toBe(true);
		for (const h of second!.slice(0, 4)) await answer(h, 1);
		view = await computeResults(t.db, (await loadSurvey(t.db, survey.id))!);
		expect(view.suppressed).toBe(false);
		expect(view.overall!.satisfied).toEqual({ num: 4, den: 8 });
		expect(
			view.buildings
				.filter((b) => b.responded > 0)
				.every((b) => b.suppressed && b.overall === null),
		).toBe(true);
		await answer(first![4]!, 4);
		view = await computeResults(t.db, (await loadSurvey(t.db, survey.id))!);
		const shown = view.buildings.find((b) => b.responded === 5)!;
		expect(shown.suppressed).toBe(false);
		expect(shown.overall!.satisfied).toEqual({ num: 5, den: 5 });
	});

	it('anonymity: no query returns an individual answer; texts come without any household', async () => {
		const survey = await openTemplateSurvey();
		const text = survey.questions.find((q) => q.kind === 'text')!;
		for (const [i, h] of households.slice(10, 16).entries()) {
			const member = await createMember(t.db, admin, h.id);
			await submitResponse(t.db, member, {
				surveyId: survey.id,
				householdId: h.id,
				a: fullAnswers(survey, 1 + (i % 5), `意见${i}`),
			});
		}
		await reject(listNamedAnswers(t.db, admin, survey)).then((e) =>
			expect(e.messageKey).toBe('surveys.anonymousRefused'),
		);
		const texts = await listTextsForModeration(t.db, admin, survey);
		expect(texts).toHaveLength(6);
		for (const row of texts)
			expect(Object.keys(row).sort()).toEqual(['questionId', 'responseId', 'state', 'text']);
		await moderateSurveyText(t.db, admin, {
			surveyId: survey.id,
			responseId: texts[0]!.responseId,
			questionId: text.id,
			state: 'published',
		});
		const respondents = await listRespondents(t.db, admin, survey);
		for (const row of respondents)
			expect(Object.keys(row).sort()).toEqual([
				'building',
				'compound',
				'household_id',
				'paper',
				'responses',
				'room',
				'unit',
			]);
		await closeSurvey(t.db, admin, survey.id, CONFIRMED);
		await publishSurveyResults(t.db, admin, { surveyId: survey.id, note: '', confirm: true });
		const published = await getPublishedResults(t.db, survey.id);
		const json = JSON.stringify(published!.view);
		for (const h of households.slice(10, 16))
			expect(json).not.toMatch(new RegExp(`"household(Id)?":${h.id}\\b`));
		expect(json).not.toContain('responseId');
		expect(published!.view.questions.find((q) => q.id === text.id)!.stats).toEqual({
			kind: 'text',
			answered: 6,
			published: [texts[0]!.text],
		});
		// A named survey (declared before publication) lets its staff see answers.
		const named = await openTemplateSurvey({ anonymous: false });
		const h = households[20]!;
		await submitResponse(t.db, await createMember(t.db, admin, h.id), {
			surveyId: named.id,
			householdId: h.id,
			a: fullAnswers(named, 4),
		});
		const rows = await listNamedAnswers(t.db, admin, named);
		expect(rows.responses.map((r) => r.householdId)).toEqual([h.id]);
	});

	it('publication: only after close; versions are immutable snapshots; a correction is a new version', async () => {
		const survey = await openTemplateSurvey();
		for (const h of households.slice(30, 36)) {
			await submitResponse(t.db, await createMember(t.db, admin, h.id), {
				surveyId: survey.id,
				householdId: h.id,
				a: fullAnswers(survey, 4),
			});
		}
		await reject(
			publishSurveyResults(t.db, admin, { surveyId: survey.id, note: '', confirm: true }),
		).then((e) => expect(e.code).toBe('closed'));
		await closeSurvey(t.db, admin, survey.id, CONFIRMED);
		await reject(
			publishSurveyResults(t.db, outsider, { surveyId: survey.id, note: '', confirm: true }),
		).then((e) => expect(e.code).toBe('not_found'));
		const v1 = await publishSurveyResults(t.db, admin, {
			surveyId: survey.id,
			note: '',
			confirm: true,
		});
		const before = await getPublishedResults(t.db, survey.id, 1);
		const texts = await listTextsForModeration(t.db, admin, survey);
		expect(texts).toEqual([]);
		const v2 = await publishSurveyResults(t.db, admin, {
			surveyId: survey.id,
			note: '更正：补录说明',
			confirm: true,
		});
		expect([v1.version, v2.version]).toEqual([1, 2]);
		const again = await getPublishedResults(t.db, survey.id, 1);
		expect(again!.view).toEqual(before!.view);
		expect(again!.digest).toBe(v1.digest);
		const latest = await getPublishedResults(t.db, survey.id);
		expect(latest).toMatchObject({ version: 2, note: '更正：补录说明', latest: 2 });
		expect(latest!.versions.map((v) => v.version)).toEqual([2, 1]);
		expect(
			await refusal(
				t.db
					.update(s.surveyResults)
					.set({ note: 'silently' })
					.where(and(eq(s.surveyResults.surveyId, survey.id), eq(s.surveyResults.version, 1))),
			),
		).toMatch(/survey_results is immutable/);
		expect(
			await refusal(t.db.delete(s.surveyResults).where(eq(s.surveyResults.surveyId, survey.id))),
		).toMatch(/survey_results is immutable/);
		expect((await getPublishedResults(t.db, survey.id, 1))!.note).toBe('');
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('residents never see a draft; a member only ever reads their own household’s answers', async () => {
		const { surveyId } = await createTemplateSurvey(t.db, admin, {
			projectId: project,
			title: '草稿',
		});
		const member: ResidentActor = await createMember(t.db, admin, households[40]!.id);
		const draft = (await loadSurvey(t.db, surveyId))!;
		await reject(
			submitResponse(t.db, member, {
				surveyId,
				householdId: households[40]!.id,
				a: fullAnswers(draft, 5),
			}),
		).then((e) => expect(e.code).toBe('not_found'));
		expect(await getMyAnswers(t.db, member, draft, households[41]!.id)).toBeNull();
	});
});
