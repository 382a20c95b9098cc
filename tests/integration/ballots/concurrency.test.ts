import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	compoundHouseholds,
	createMember,
	createOpenRound,
	projectId,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

const choices = ['agree', 'disagree', 'abstain'] as const;

/** Concurrency on the real server (PGlite runs one statement at a time and proves nothing here). */
describe.runIf(process.env.TEST_DATABASE_URL)('ballot concurrency on postgres', () => {
	let t: TestDatabase;
	let admin: StaffActor;
	let households: Awaited<ReturnType<typeof compoundHouseholds>>;
	let project: number;

	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		project = await projectId(t.db, 'hongyan');
		const [row] = await t.db
			.select({ compoundId: s.projectCompounds.compoundId })
			.from(s.projectCompounds)
			.where(eq(s.projectCompounds.projectId, project));
		households = await compoundHouseholds(t.db, row!.compoundId);
	});
	afterAll(async () => t?.close());

	it('200 parallel submissions for one household: one current ballot, 200 revisions, no error', async () => {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => String(i.id));
		const household = households[0]!;
		const members = [
			await createMember(t.db, admin, household.id, 'owner'),
			await createMember(t.db, admin, household.id, 'family'),
		];
		const outcomes = await Promise.allSettled(
			Array.from({ length: 200 }, (_, n) =>
				castBallot(t.db, members[n % 2]!, {
					roundId,
					householdId: household.id,
					choices: Object.fromEntries(ids.map((id, k) => [id, choices[(n + k) % 3]!])),
					comment: `第 ${n} 次`,
				}),
			),
		);
		const failed = outcomes.filter((o) => o.status === 'rejected');
		expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
		const revisions = outcomes.map(
			(o) => (o as PromiseFulfilledResult<{ revision: number }>).value.revision,
		);
		expect(revisions.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
		const [counts] = await queryRows<{ ballots: number; revisions: number; max: number }>(
			t.db,
			sql`select (select count(*)::int from ballots where round_id = ${roundId}) as ballots,
			           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions,
			           (select max(revision)::int from ballots where round_id = ${roundId}) as max`,
		);
		expect(counts).toEqual({ ballots: 1, revisions: 200, max: 200 });
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		const [coverage] = await queryRows<{ responded: number }>(
			t.db,
			sql`select responded from round_coverage where round_id = ${roundId} and level = 'building' and scope_id = ${household.buildingId}`,
		);
		expect(coverage!.responded).toBe(1);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('parallel ballots across a compound, owners of several flats included, stay equal to a recount', async () => {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯\n更换物业服务企业',
			rule: 'civil_code_three_quarters',
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => String(i.id));
		const owners = new Map<string, number>();
		for (const h of households) owners.set(h.ownerKey, (owners.get(h.ownerKey) ?? 0) + 1);
		const multi = households.filter((h) => owners.get(h.ownerKey)! > 1);
		expect(multi.length).toBeGreaterThan(1);
		const chosen = [
			...multi,
			...households.filter((h) => owners.get(h.ownerKey) === 1).slice(0, 40),
		];
		const voters = await Promise.all(
			chosen.map(async (h) => ({ h, actor: await createMember(t.db, admin, h.id, 'owner') })),
		);
		const jobs = voters.flatMap(({ h, actor }, n) =>
			[0, 1, 2].map(
				(k) => () =>
					castBallot(t.db, actor, {
						roundId,
						householdId: h.id,
						choices: Object.fromEntries(
							ids.map((id, j) => [id, choices[(n * 7 + k * 5 + j) % 3]!]),
						),
						comment: '',
					}),
			),
		);
		const outcomes = await Promise.allSettled(jobs.map((job) => job()));
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.ballots).toBe(chosen.length);
	});
});
