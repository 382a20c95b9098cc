import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { closeSurvey } from '../../../src/lib/server/surveys/commands/lifecycle.ts';
import { submitResponse } from '../../../src/lib/server/surveys/commands/respond.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { createMember, type Households } from '../../factories/ballots.ts';
import { createOpenSurvey, setUpChengguan } from '../../factories/surveys.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

/** Concurrency on the real server (PGlite runs one statement at a time and proves nothing here). */
describe.runIf(process.env.TEST_DATABASE_URL)('survey concurrency on postgres', () => {
	let t: TestDatabase;
	let admin: StaffActor;
	let households: Households;
	let project: number;

	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		({ admin, project, households } = await setUpChengguan(t.db));
	});
	afterAll(async () => t?.close());

	const openSurveyWithOverall = () =>
		createOpenSurvey(t.db, admin, { projectId: project, title: '并发' });

	it('50 parallel submissions for one household: one response, 50 revisions, answers of one submission', async () => {
		const survey = await openSurveyWithOverall();
		const household = households[0]!;
		const members = [
			await createMember(t.db, admin, household.id, 'owner'),
			await createMember(t.db, admin, household.id, 'family'),
			await createMember(t.db, admin, household.id, 'family'),
		];
		const ratingIds = survey.questions.filter((q) => q.kind === 'rating').map((q) => q.id);
		const single = survey.questions.find((q) => q.kind === 'single')!;
		const outcomes = await Promise.allSettled(
			Array.from({ length: 50 }, (_, n) =>
				submitResponse(t.db, members[n % 3]!, {
					surveyId: survey.id,
					householdId: household.id,
					a: {
						...Object.fromEntries(ratingIds.map((id) => [String(id), String(1 + (n % 3))])),
						[String(single.id)]: String(n % 3),
					},
				}),
			),
		);
		const failed = outcomes.filter((o) => o.status === 'rejected');
		expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
		const revisions = outcomes.map(
			(o) => (o as PromiseFulfilledResult<{ revision: number }>).value.revision,
		);
		expect(revisions.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
		const [counts] = await queryRows<{
			responses: number;
			answers: number;
			distinct_values: number;
		}>(
			t.db,
			sql`select (select count(*)::int from survey_responses where survey_id = ${survey.id}) as responses,
			           (select count(*)::int from survey_answers where survey_id = ${survey.id}) as answers,
			           (select count(distinct case when question_id = ${single.id} then value + 1 else value end)::int
			              from survey_answers where survey_id = ${survey.id}) as distinct_values`,
		);
		// One response whose answers all come from one submission (never a mix of two).
		expect(counts).toEqual({ responses: 1, answers: ratingIds.length + 1, distinct_values: 1 });
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('a close racing submissions: nothing is accepted after the close commits', async () => {
		const survey = await openSurveyWithOverall();
		const members = [];
		for (const h of households.slice(1, 21)) members.push(await createMember(t.db, admin, h.id));
		const overall = survey.questions.filter((q) => q.required);
		const answers = Object.fromEntries(
			overall.map((q) => [String(q.id), q.kind === 'rating' ? '5' : '0']),
		);
		const submissions = members.map((m, i) =>
			submitResponse(t.db, m, {
				surveyId: survey.id,
				householdId: households[i + 1]!.id,
				a: answers,
			}).then(
				() => 'ok',
				(e: { code?: string }) => e.code ?? 'error',
			),
		);
		const closing = closeSurvey(t.db, admin, survey.id, CONFIRMED);
		const results = await Promise.all(submissions);
		await closing;
		expect(results.every((r) => r === 'ok' || r === 'closed')).toBe(true);
		const [row] = await queryRows<{ late: number }>(
			t.db,
			sql`select count(*)::int as late from survey_responses r join surveys v on v.id = r.survey_id
			    where v.id = ${survey.id} and r.updated_at > v.closed_at`,
		);
		expect(row!.late).toBe(0);
		expect(results.filter((r) => r === 'ok').length).toBe(
			(
				await queryRows<{ n: number }>(
					t.db,
					sql`select count(*)::int as n from survey_responses where survey_id = ${survey.id}`,
				)
			)[0]!.n,
		);
	});
});
