import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, type Db } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { createRandom } from '../../../db/seed/random.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { bindHousehold, issueHouseholdCodes } from '../../../src/lib/server/households/commands.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import { addQuestion } from '../../../src/lib/server/surveys/commands/build.ts';
import { closeSurvey, openSurvey } from '../../../src/lib/server/surveys/commands/lifecycle.ts';
import { publishSurveyResults } from '../../../src/lib/server/surveys/commands/publish.ts';
import {
	enterPaperResponse,
	submitResponse,
} from '../../../src/lib/server/surveys/commands/respond.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { computeResults, getPublishedResults } from '../../../src/lib/server/surveys/queries.ts';
import {
	recountTallies,
	storedTallyRows,
	verifyTallies,
} from '../../../src/lib/server/surveys/tallies.ts';
import type { SurveyInfo } from '../../../src/lib/server/surveys/types.ts';
import { buildPaperPhoto, createMember, type Households } from '../../factories/ballots.ts';
import { createResident } from '../../factories/people.ts';
import { createTemplateSurvey, setUpChengguan } from '../../factories/surveys.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

/**
 * The running totals of surveys (survey_tallies) against a recount from the answers: after
 * every kind of change (new response, revision, paper form, a resident moving their response
 * to another household, the last response of a household leaving it), under concurrency on the
 * real server, and the migration's backfill giving the same rows.
 */
const later = () => toChinaLocalInput(new Date(Date.now() + 7 * 86_400_000));

/** A random, valid answer set for the survey (optional questions sometimes skipped). */
function randomAnswers(survey: SurveyInfo, random: () => number): Record<string, string> {
	const a: Record<string, string> = {};
	for (const q of survey.questions) {
		if (!q.required && random() < 0.25) continue;
		if (q.kind === 'rating') a[String(q.id)] = String(1 + Math.floor(random() * 5));
		else if (q.kind === 'single') a[String(q.id)] = String(Math.floor(random() * q.options.length));
		else if (q.kind === 'multiple') {
			const max = q.maxChoices ?? q.options.length;
			const count = Math.max(q.minChoices ?? 1, 1 + Math.floor(random() * max));
			const picked = new Set<number>();
			while (picked.size < Math.min(count, max))
				picked.add(Math.floor(random() * q.options.length));
			for (const v of picked) a[`${q.id}.${v}`] = 'on';
		} else a[String(q.id)] = random() < 0.5 ? '很好' : `意见 ${Math.floor(random() * 3)}`;
	}
	return a;
}

/** Binds an existing resident to one more household. */
async function bindAlso(db: Db, staff: StaffActor, resident: ResidentActor, householdId: number) {
	const [slip] = await issueHouseholdCodes(db, staff, {
		scope: { householdId },
		relation: 'family',
		maxMembers: 20,
	});
	await bindHousehold(db, resident, { code: slip!.code }, { ip: '10.99.0.1' });
	return (await loadActor(db, resident.userId, 'resident')) as ResidentActor;
}

async function expectTotalsMatchRecount(db: Db, survey: SurveyInfo) {
	const check = await verifyTallies(db, survey.id);
	expect(check.problems).toEqual([]);
	expect(check.rows).toBeGreaterThan(0);
	const fresh = (await loadSurvey(db, survey.id))!;
	expect(await computeResults(db, fresh)).toEqual(
		await computeResults(db, fresh, { recount: true }),
	);
}

async function templateSurvey(
	db: Db,
	admin: StaffActor,
	project: number,
	mode: 'household' | 'resident',
) {
	const { surveyId } = await createTemplateSurvey(db, admin, {
		projectId: project,
		title: '累计数核对',
		mode,
	});
	await addQuestion(db, admin, {
		surveyId,
		kind: 'multiple',
		prompt: '哪些方面最满意？',
		promptEn: '',
		required: false,
		options: '楼道\n管网\n停车\n绿化',
		minChoices: 1,
		maxChoices: 3,
	});
	await openSurvey(db, admin, { surveyId, closesAt: later() });
	return (await loadSurvey(db, surveyId))!;
}

describe.each(drivers)('survey running totals on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let project: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ admin, project, households } = await setUpChengguan(t.db));
	});
	afterAll(async () => t?.close());

	it('the demo seed’s published survey has totals equal to a recount', async () => {
		const [demo] = await t.db
			.select({ id: s.surveys.id })
			.from(s.surveys)
			.where(eq(s.surveys.projectId, project));
		await expectTotalsMatchRecount(t.db, (await loadSurvey(t.db, demo!.id))!);
	});

	it('household mode: new responses, revisions by other members and paper forms', async () => {
		const survey = await templateSurvey(t.db, admin, project, 'household');
		const scope = households.length;
		expect((await storedTallyRows(t.db, survey.id)).find((r) => r.buildingId === 0)).toEqual({
			buildingId: 0,
			counter: 'scope',
			questionId: 0,
			value: 0,
			n: scope,
		});
		const random = createRandom(7);
		const members: ResidentActor[] = [];
		for (const h of households.slice(0, 12)) members.push(await createMember(t.db, admin, h.id));
		for (const [i, m] of members.entries()) {
			await submitResponse(t.db, m, {
				surveyId: survey.id,
				householdId: households[i]!.id,
				a: randomAnswers(survey, random),
			});
		}
		await expectTotalsMatchRecount(t.db, survey);
		// Revisions: answers change (choices dropped and added, texts changed), by another member too.
		const family = await createMember(t.db, admin, households[0]!.id, 'family');
		for (let round = 0; round < 3; round++) {
			for (const [i, m] of members.entries()) {
				if (i % 2 === round % 2) continue;
				await submitResponse(t.db, i === 0 ? family : m, {
					surveyId: survey.id,
					householdId: households[i]!.id,
					a: randomAnswers(survey, random),
				});
			}
			await expectTotalsMatchRecount(t.db, survey);
		}
		const photo = await buildPaperPhoto(5);
		for (const h of households.slice(20, 23)) {
			await enterPaperResponse(t.db, admin, {
				surveyId: survey.id,
				householdId: h.id,
				a: randomAnswers(survey, random),
				photo,
			});
		}
		await expectTotalsMatchRecount(t.db, survey);
		const view = await computeResults(t.db, survey);
		expect(view).toMatchObject({ responses: 15, respondedHouseholds: 15 });
	});

	it('resident mode: households count once; a response moved to another household moves its counts', async () => {
		const survey = await templateSurvey(t.db, admin, project, 'resident');
		const random = createRandom(11);
		const [a, b, c] = [households[0]!, households[1]!, households.at(-1)!];
		expect(a.buildingId).not.toBe(c.buildingId);
		const owner = await createMember(t.db, admin, a.id, 'owner');
		const tenant = await createMember(t.db, admin, a.id, 'tenant');
		await submitResponse(t.db, owner, {
			surveyId: survey.id,
			householdId: a.id,
			a: randomAnswers(survey, random),
		});
		await submitResponse(t.db, tenant, {
			surveyId: survey.id,
			householdId: a.id,
			a: randomAnswers(survey, random),
		});
		await expectTotalsMatchRecount(t.db, survey);
		expect(await computeResults(t.db, survey)).toMatchObject({
			responses: 2,
			respondedHouseholds: 1,
		});
		// The owner, bound to a household of another building too, answers for that one: their
		// one response moves there; household a keeps the tenant's response.
		const moving = await bindAlso(t.db, admin, owner, c.id);
		await submitResponse(t.db, moving, {
			surveyId: survey.id,
			householdId: c.id,
			a: randomAnswers(survey, random),
		});
		await expectTotalsMatchRecount(t.db, survey);
		expect(await computeResults(t.db, survey)).toMatchObject({
			responses: 2,
			respondedHouseholds: 2,
		});
		// The tenant moves too: household a has no response left.
		const tenant2 = await bindAlso(t.db, admin, tenant, b.id);
		await submitResponse(t.db, tenant2, {
			surveyId: survey.id,
			householdId: b.id,
			a: randomAnswers(survey, random),
		});
		await expectTotalsMatchRecount(t.db, survey);
		const paper = await buildPaperPhoto(9);
		await enterPaperResponse(t.db, admin, {
			surveyId: survey.id,
			householdId: b.id,
			a: randomAnswers(survey, random),
			photo: paper,
		});
		await expectTotalsMatchRecount(t.db, survey);
		const view = await computeResults(t.db, survey);
		expect(view).toMatchObject({ responses: 3, respondedHouseholds: 2 });
	});

	it('the published snapshot equals the results recounted from the answers', async () => {
		const survey = await templateSurvey(t.db, admin, project, 'household');
		const random = createRandom(23);
		for (const h of households.slice(30, 42)) {
			await submitResponse(t.db, await createMember(t.db, admin, h.id), {
				surveyId: survey.id,
				householdId: h.id,
				a: randomAnswers(survey, random),
			});
		}
		await closeSurvey(t.db, admin, survey.id, CONFIRMED);
		await publishSurveyResults(t.db, admin, { surveyId: survey.id, note: '', confirm: true });
		const closed = (await loadSurvey(t.db, survey.id))!;
		const published = await getPublishedResults(t.db, survey.id);
		expect(published!.view).toEqual(await computeResults(t.db, closed, { recount: true }));
		expect(published!.view.respondedHouseholds).toBe(12);
	});

	it('migration 0019’s backfill and recountTallies give the rows the commands kept', async () => {
		const kept = new Map<number, Awaited<ReturnType<typeof storedTallyRows>>>();
		const surveys = await t.db.select({ id: s.surveys.id }).from(s.surveys);
		for (const { id } of surveys) kept.set(id, await storedTallyRows(t.db, id));
		const backfill = readFileSync(
			path.join(migrationsFolder(), '0019_survey_tallies_backfill.sql'),
			'utf8',
		);
		await t.db.execute(sql`delete from survey_tallies`);
		await t.db.execute(sql.raw(backfill));
		for (const { id } of surveys) expect(await storedTallyRows(t.db, id)).toEqual(kept.get(id));
		for (const { id } of surveys) {
			await recountTallies(t.db, id);
			expect(await storedTallyRows(t.db, id)).toEqual(kept.get(id));
		}
	});
});

/** Concurrency on the real server (PGlite runs one statement at a time and proves nothing here). */
describe.runIf(process.env.TEST_DATABASE_URL)('survey running totals under concurrency', () => {
	let t: TestDatabase;
	let admin: StaffActor;
	let project: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		({ admin, project, households } = await setUpChengguan(t.db));
	});
	afterAll(async () => t?.close());

	for (const mode of ['household', 'resident'] as const) {
		it(`${mode} mode: 240 parallel submissions and revisions by 3 members of 20 households`, async () => {
			const survey = await templateSurvey(t.db, admin, project, mode);
			const members: { actor: ResidentActor; householdId: number }[] = [];
			for (const h of households.slice(0, 20)) {
				for (const relation of ['owner', 'family', 'tenant'] as const)
					members.push({
						actor: await createMember(t.db, admin, h.id, relation),
						householdId: h.id,
					});
			}
			// One resident of two households, answering for either at random (moves its response).
			const roaming = await bindAlso(t.db, admin, await createResident(t.db), households[0]!.id);
			const both = await bindAlso(t.db, admin, roaming, households[1]!.id);
			const random = createRandom(mode === 'household' ? 31 : 37);
			const jobs = Array.from({ length: 240 }, (_, n) => {
				const who =
					n % 12 === 0
						? { actor: both, householdId: households[n % 24 === 0 ? 0 : 1]!.id }
						: members[Math.floor(random() * members.length)]!;
				return submitResponse(t.db, who.actor, {
					surveyId: survey.id,
					householdId: who.householdId,
					a: randomAnswers(survey, random),
				});
			});
			const outcomes = await Promise.allSettled(jobs);
			const failed = outcomes.filter((o) => o.status === 'rejected');
			expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
			await expectTotalsMatchRecount(t.db, survey);
			expect((await verifyAuditChain(t.db)).ok).toBe(true);
		}, 120_000);
	}
});
