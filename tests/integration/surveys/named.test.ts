import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	enterPaperResponse,
	submitResponse,
} from '../../../src/lib/server/surveys/commands/respond.ts';
import { namedAnswersCsv } from '../../../src/lib/server/surveys/export.ts';
import { listNamedAnswers, NAMED_PAGE_SIZE } from '../../../src/lib/server/surveys/named.ts';
import type { SurveyInfo } from '../../../src/lib/server/surveys/types.ts';
import { buildPaperPhoto, createMember, type Households } from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createOpenSurvey, createOutsider, setUpChengguan } from '../../factories/surveys.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * Named answers (实名调查): the committee reads who answered what only for a survey declared
 * non-anonymous before publication; an anonymous survey refuses everyone, always.
 */
describe.each(drivers)('named survey answers on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor & { username: string };
	let moderator: StaffActor;
	let outsider: StaffActor;
	let project: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ admin, project, households } = await setUpChengguan(t.db));
		const [row] = await t.db
			.select({ communityId: s.projects.communityId })
			.from(s.projects)
			.where(eq(s.projects.id, project));
		moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [row!.communityId],
		});
		outsider = await createOutsider(t.db);
	});
	afterAll(async () => t?.close());

	const openedSurvey = (anonymous: boolean): Promise<SurveyInfo> =>
		createOpenSurvey(t.db, admin, {
			projectId: project,
			title: anonymous ? '匿名' : '实名',
			anonymous,
		});
	const answers = (survey: SurveyInfo, rating: number, text: string) =>
		Object.fromEntries(
			survey.questions.flatMap((q) =>
				q.kind === 'rating'
					? [[String(q.id), String(rating)]]
					: q.kind === 'single'
						? [[String(q.id), '1']]
						: q.kind === 'text'
							? [[String(q.id), text]]
							: [],
			),
		);

	it('lists each household’s answers with who, when and how, for the committee only', async () => {
		const survey = await openedSurvey(false);
		const [h1, h2, h3] = [households[5]!, households[1]!, households[3]!];
		const owner: ResidentActor = await createMember(t.db, admin, h1.id, 'owner');
		const family = await createMember(t.db, admin, h1.id, 'family');
		await submitResponse(t.db, owner, {
			surveyId: survey.id,
			householdId: h1.id,
			a: answers(survey, 5, '第一次'),
		});
		await submitResponse(t.db, family, {
			surveyId: survey.id,
			householdId: h1.id,
			a: answers(survey, 2, '家属改了<script>'),
		});
		await submitResponse(t.db, await createMember(t.db, admin, h2.id, 'tenant'), {
			surveyId: survey.id,
			householdId: h2.id,
			a: answers(survey, 4, '=cmd|"/c calc"'),
		});
		await enterPaperResponse(t.db, admin, {
			surveyId: survey.id,
			householdId: h3.id,
			a: answers(survey, 3, ''),
			photo: await buildPaperPhoto(2),
		});
		for (const staff of [admin, moderator]) {
			const list = await listNamedAnswers(t.db, staff, survey);
			expect(list).toMatchObject({ total: 3, page: 1, pages: 1 });
			// Household order (building, unit, room), not the order of answering.
			expect(list.responses.map((r) => r.householdId)).toEqual(
				[h1, h2, h3].sort((a, b) => a.id - b.id).map((h) => h.id),
			);
		}
		const { responses } = await listNamedAnswers(t.db, moderator, survey);
		const first = responses.find((r) => r.householdId === h1.id)!;
		const overall = survey.questions.find((q) => q.role === 'overall')!;
		const text = survey.questions.find((q) => q.kind === 'text')!;
		expect(first).toMatchObject({
			channel: 'online',
			relation: 'family',
			revision: 2,
			enteredBy: null,
		});
		expect(first.respondent).toMatch(/^1\d{2}\*{4}\d{4}$/);
		expect(first.answers.get(overall.id)).toEqual({ kind: 'rating', value: 2 });
		expect(first.answers.get(text.id)).toEqual({ kind: 'text', text: '家属改了<script>' });
		const paper = responses.find((r) => r.householdId === h3.id)!;
		expect(paper).toMatchObject({
			channel: 'paper',
			respondent: null,
			enteredBy: '测试<b>员</b>',
		});
		const csv = namedAnswersCsv(survey, responses, 'zh-CN');
		expect(csv.startsWith('\uFEFF小区,楼栋,单元,房号,作答人,与住户关系,方式,录入人,')).toBe(true);
		expect(csv).toContain('家庭成员,网上');
		expect(csv).toContain('纸质,测试<b>员</b>');
		// A text that a spreadsheet would run as a formula is neutralised.
		expect(csv).toContain(`"'=cmd|""/c calc"""`);
		expect(csv).not.toMatch(/,"?=cmd/);
		expect(csv).toContain('2 · 不满意');
		expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
		expect(namedAnswersCsv(survey, responses, 'en')).toContain('Family member,Online');

		await reject(listNamedAnswers(t.db, outsider, survey)).then((e) =>
			expect(e.code).toBe('not_found'),
		);
		await reject(listNamedAnswers(t.db, owner, survey)).then((e) =>
			expect(e.code).toBe('forbidden'),
		);
		await reject(listNamedAnswers(t.db, null, survey)).then((e) =>
			expect(e.code).toBe('forbidden'),
		);
	});

	it('pages of 50, in household order; a page out of range shows the last', async () => {
		const survey = await openedSurvey(false);
		await t.db.execute(sql`
			insert into survey_responses (survey_id, respondent_key, household_id, building_id, channel)
			select survey_id, 'h:' || household_id, household_id, building_id, 'online'
			from survey_households where survey_id = ${survey.id}
			order by household_id limit ${NAMED_PAGE_SIZE + 5}`);
		const one = await listNamedAnswers(t.db, admin, survey);
		const two = await listNamedAnswers(t.db, admin, survey, { page: 2 });
		const far = await listNamedAnswers(t.db, admin, survey, { page: 99 });
		expect([one.total, one.pages, one.responses.length]).toEqual([NAMED_PAGE_SIZE + 5, 2, 50]);
		expect([two.page, two.responses.length]).toEqual([2, 5]);
		expect(far.page).toBe(2);
		const ids = [...one.responses, ...two.responses].map((r) => r.responseId);
		expect(new Set(ids).size).toBe(NAMED_PAGE_SIZE + 5);
		const all = await listNamedAnswers(t.db, admin, survey, { all: true });
		expect(all.responses.map((r) => r.responseId)).toEqual(ids);
	});

	it('an anonymous survey refuses everyone, the committee and admins included', async () => {
		const survey = await openedSurvey(true);
		const h = households[8]!;
		await submitResponse(t.db, await createMember(t.db, admin, h.id), {
			surveyId: survey.id,
			householdId: h.id,
			a: answers(survey, 5, '只有汇总'),
		});
		for (const staff of [admin, moderator]) {
			const e = await reject(listNamedAnswers(t.db, staff, survey));
			expect([e.code, e.messageKey]).toEqual(['forbidden', 'surveys.anonymousRefused']);
		}
		await reject(listNamedAnswers(t.db, outsider, survey)).then((e) =>
			expect(e.code).toBe('not_found'),
		);
	});
});
