import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { seedDemoAftercare } from '../../../db/seed/aftercare.ts';
import {
	runYearlyCheckJob,
	scheduleYearlyCheck,
	YEARLY_CHECK_JOB,
	yearlyCheckOpensOn,
} from '../../../src/lib/server/aftercare/index.ts';
import { chinaToday } from '../../../src/lib/server/progress/rules.ts';
import { listSatisfactionHistory } from '../../../src/lib/server/surveys/dashboard.ts';
import { createStaffUser } from '../../factories/people.ts';
import { demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject } from '../opinions/helpers.ts';

describe('the yearly check opens on the anniversary of the acceptance', () => {
	it.each([
		['2025-06-10', '2025-12-01', '2026-06-10'],
		['2024-02-29', '2024-06-01', '2025-02-28'],
		// The anniversary has passed: at once.
		['2025-03-01', '2026-06-01', '2026-06-01'],
		['2025-06-01', '2026-06-01', '2026-06-01'],
	])('accepted %s, scheduled %s → %s', (heldOn, today, opensOn) => {
		expect(yearlyCheckOpensOn(heldOn, today)).toBe(opensOn);
	});
});

/** 一年回访 (issue 23, item 6): the same template, a year on, and satisfaction over time. */
describe.each(drivers)('yearly satisfaction check on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		// 白沙/富兴堡 passed its joint acceptance 14 months ago (demo).
		await t.db.transaction((tx) => seedDemoAftercare(tx, { now: new Date() }));
	});
	afterAll(async () => t?.close());

	it('schedules a draft from the template and a job that opens it; once per anniversary', async () => {
		const project = await demoProject(t.db, 'baisha-fuxing');
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const surveysBefore = (await t.db.select({ id: s.surveys.id }).from(s.surveys)).length;
		const { surveyId, opensOn } = await scheduleYearlyCheck(t.db, committee, {
			projectId: project.id,
		});
		// The anniversary passed two months ago: it opens today.
		expect(opensOn).toBe(chinaToday(new Date()));
		const [survey] = await t.db.select().from(s.surveys).where(eq(s.surveys.id, surveyId));
		expect(survey).toMatchObject({ status: 'draft', projectId: project.id, anonymous: true });
		expect(survey!.title).toMatch(/^改造后满意度回访（\d{4}年）$/);
		const questions = await t.db
			.select({ role: s.surveyQuestions.role, prompt: s.surveyQuestions.prompt })
			.from(s.surveyQuestions)
			.where(eq(s.surveyQuestions.surveyId, surveyId));
		expect(questions.map((q) => q.role)).toContain('overall');
		expect(questions.some((q) => q.prompt === '您对本次小区改造的总体满意度如何？')).toBe(true);
		const [job] = await t.db
			.select()
			.from(s.jobs)
			.where(and(eq(s.jobs.kind, YEARLY_CHECK_JOB), eq(s.jobs.key, `${project.id}:${opensOn}`)));
		expect(job!.runAt.getTime()).toBeLessThanOrEqual(Date.now());

		// Twice for the same anniversary: refused, and no second draft is left behind.
		expect(
			(await reject(scheduleYearlyCheck(t.db, committee, { projectId: project.id }))).code,
		).toBe('conflict');
		expect((await t.db.select({ id: s.surveys.id }).from(s.surveys)).length).toBe(
			surveysBefore + 1,
		);

		// The job opens it to the households for 30 days; running it again changes nothing.
		const payload = job!.payload as { surveyId: number; closesAt: string; scheduledBy: string };
		await runYearlyCheckJob(t.db, payload);
		await runYearlyCheckJob(t.db, payload);
		const [opened] = await t.db.select().from(s.surveys).where(eq(s.surveys.id, surveyId));
		expect(opened!.status).toBe('open');
		expect(opened!.scopeHouseholds).toBeGreaterThan(100);
		const days = (opened!.closesAt!.getTime() - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(29);
		expect(days).toBeLessThan(31.5);
	});

	it('refuses a project without a passed acceptance, and staff of another community', async () => {
		const hongyan = await demoProject(t.db, 'hongyan');
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [hongyan.communityId],
		});
		expect(
			(await reject(scheduleYearlyCheck(t.db, committee, { projectId: hongyan.id }))).messageKey,
		).toBe('yearly.noAcceptance');
		const baisha = await demoProject(t.db, 'baisha-fuxing');
		const stranger = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [hongyan.communityId === baisha.communityId ? -1 : hongyan.communityId],
		});
		const code = (await reject(scheduleYearlyCheck(t.db, stranger, { projectId: baisha.id }))).code;
		expect(['not_found', 'forbidden']).toContain(code);
	});

	it('shows satisfaction over time per project once it has two published surveys', async () => {
		const chengguan = await demoProject(t.db, 'chengguan');
		const before = await listSatisfactionHistory(t.db);
		expect(before.find((p) => p.projectId === chengguan.id)).toBeUndefined();
		expect(
			(await listSatisfactionHistory(t.db, 1)).find((p) => p.projectId === chengguan.id)?.points,
		).toHaveLength(1);
		// A year later the follow-up's results are published (rows as publishSurveyResults stores them).
		const [first] = await t.db
			.select()
			.from(s.surveyResults)
			.where(eq(s.surveyResults.projectId, chengguan.id));
		const [firstSurvey] = await t.db
			.select()
			.from(s.surveys)
			.where(eq(s.surveys.id, first!.surveyId));
		const later = new Date(
			(firstSurvey!.closedAt ?? firstSurvey!.closesAt)!.getTime() + 365 * 86_400_000,
		);
		const [followUp] = await t.db
			.insert(s.surveys)
			.values({
				projectId: chengguan.id,
				title: '改造后满意度回访（一年后）',
				titleEn: 'Satisfaction follow-up (a year on)',
				status: 'closed',
				publishedAt: later,
				closesAt: later,
				closedAt: later,
			})
			.returning({ id: s.surveys.id });
		await t.db.insert(s.surveyResults).values({
			...first!,
			id: undefined,
			surveyId: followUp!.id,
			satisfiedCount: 30,
			validCount: 40,
			publishedAt: later,
		});
		const [history] = (await listSatisfactionHistory(t.db)).filter(
			(p) => p.projectId === chengguan.id,
		);
		expect(history!.points.map((p) => p.surveyId)).toEqual([first!.surveyId, followUp!.id]);
		expect(history!.points[1]!.satisfaction).toEqual({ num: 30, den: 40 });
		expect(history!.points[0]!.on.getTime()).toBeLessThan(history!.points[1]!.on.getTime());
	});
});
