/**
 * The ballot batcher (src/lib/server/ballots/batch.ts) on both drivers: ballots that arrive
 * together are written together, each keeps its own status and revision, the tallies equal a
 * recount, and one ballot that fails its batch fails alone.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { createSession } from '../../../src/lib/server/auth/sessions.ts';
import { sessionIdFromToken } from '../../../src/lib/server/auth/secrets.ts';
import { BallotBatcher, type BallotRecord } from '../../../src/lib/server/ballots/batch.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { packBallot } from '../../../src/lib/server/ballots/tally-pack.ts';
import type { Choices } from '../../../src/lib/server/ballots/tally.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	createOpenRound,
	projectHouseholds,
	projectId,
	type Households,
} from '../../factories/ballots.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const answers = ['agree', 'disagree', 'abstain'] as const;

describe.each(drivers)('ballot batches on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let project: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		project = await projectId(t.db, 'hongyan');
		households = await projectHouseholds(t.db, project);
	});
	afterAll(async () => t?.close());

	async function openRound() {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const scope = new Map(
			(
				await queryRows<{ id: number; building: number; area: number; units: number }>(
					t.db,
					sql`select household_id as id, building_id as building, area_centi::int as area,
					           owner_units as units
					    from round_households where round_id = ${roundId}`,
				)
			).map((h) => [h.id, h]),
		);
		const choicesOf = (n: number): Choices =>
			Object.fromEntries(round.items.map((item, k) => [item.id, answers[(n + k) % 3]!]));
		const record = (household: number, n: number): BallotRecord => ({
			round: roundId,
			household,
			choices: choicesOf(n),
			overall: null,
			comment: `第 ${n} 份`,
			channel: 'online',
			cast_by: null,
			entered_by: null,
			photo: null,
			filled_at: null,
			audit_action: null,
			actor_id: null,
			actor_kind: null,
			community: round.communityId,
			tally_packed: packedOf(household, choicesOf(n)),
		});
		// What the caller computes (ballotRecord, cast.ts): unknown households get '0'.
		const packedOf = (household: number, choices: Choices) => {
			const h = scope.get(household);
			if (h && h.units > 1) return null;
			return packBallot(
				round.items,
				{ buildingId: h?.building ?? 0, areaCenti: h?.area ?? 0 },
				choices,
			);
		};
		return { roundId, round, record };
	}

	const revisionsOf = (roundId: number) =>
		queryRows<{ household_id: number; revisions: number[] }>(
			t.db,
			sql`select household_id, array_agg(revision order by revision) as revisions
			    from ballot_revisions where round_id = ${roundId} group by household_id`,
		);

	it('ballots arriving together are written together, each with its own revision, equal to a recount', async () => {
		const { roundId, round, record } = await openRound();
		const batcher = new BallotBatcher(t.db, { maxBatch: 16, maxInFlight: 1 });
		const voters = households.slice(0, 40);
		const rows = await Promise.all(
			Array.from({ length: 120 }, (_, n) => batcher.record(record(voters[n % 40]!.id, n))),
		);
		expect(rows.every((r) => r.status === 'ok' && r.counted === true)).toBe(true);
		// Each household's three ballots were recorded in the order given: revisions 1, 2, 3.
		for (let h = 0; h < 40; h++) {
			expect([rows[h]!.revision, rows[h + 40]!.revision, rows[h + 80]!.revision]).toEqual([
				1, 2, 3,
			]);
		}
		expect(await revisionsOf(roundId)).toHaveLength(40);
		// The first ballot goes alone; the rest waited for it and went in batches of at most 16.
		expect(batcher.stats.ballots).toBe(120);
		expect(batcher.stats.batches).toBeGreaterThanOrEqual(Math.ceil(119 / 16) + 1);
		expect(batcher.stats.batches).toBeLessThan(20);
		expect(batcher.stats.splits).toBe(0);
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		const [coverage] = await queryRows<{ responded: number }>(
			t.db,
			sql`select responded from round_coverage where round_id = ${roundId} and level = 'compound'`,
		);
		expect(coverage!.responded).toBe(40);
	});

	it('a ballot that fails its batch fails alone: the others are written, it writes nothing', async () => {
		const { roundId, record } = await openRound();
		const victim = households[0]!;
		// Its unit's tally sum is gone: recording it must raise, not lose a count.
		await t.db
			.execute(sql`delete from round_tally_sums where round_id = ${roundId} and level = 'unit'
			and scope_id = ${victim.unitId}`);
		const others = households.filter((h) => h.unitId !== victim.unitId).slice(0, 20);
		const batcher = new BallotBatcher(t.db, { maxBatch: 64, maxInFlight: 1 });
		const first = batcher.record(record(others[0]!.id, 0));
		const rest = [victim, ...others.slice(1)].map((h, n) => batcher.record(record(h.id, n + 1)));
		const outcomes = await Promise.allSettled([first, ...rest]);
		const failed = outcomes.flatMap((o, k) => (o.status === 'rejected' ? [k] : []));
		expect(failed).toEqual([1]);
		expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/tally rows expected/);
		expect(batcher.stats.splits).toBe(1);
		const stored = await revisionsOf(roundId);
		expect(stored.map((r) => r.household_id).sort((a, b) => a - b)).toEqual(
			others.map((h) => h.id).sort((a, b) => a - b),
		);
		expect(stored.every((r) => r.revisions.length === 1)).toBe(true);
	});

	it('statuses are per ballot: one out of scope or in a closed round does not stop the others', async () => {
		const { roundId, record } = await openRound();
		const closed = await openRound();
		await t.db.execute(sql`update rounds set closes_at = now() - interval '1 minute'
			where id = ${closed.roundId}`);
		const [outside] = await queryRows<{ id: number }>(
			t.db,
			sql`select id from households where compound_id <> (
				select compound_id from households where id = ${households[0]!.id}) limit 1`,
		);
		const batcher = new BallotBatcher(t.db, { maxBatch: 64, maxInFlight: 1 });
		const [a, b, c, d] = await Promise.all([
			batcher.record(record(households[0]!.id, 0)),
			batcher.record(record(outside!.id, 1)),
			batcher.record(closed.record(households[1]!.id, 2)),
			batcher.record(record(households[1]!.id, 3)),
		]);
		expect([a!.status, b!.status, c!.status, d!.status]).toEqual([
			'ok',
			'not_in_scope',
			'closed',
			'ok',
		]);
		const stored = await revisionsOf(roundId);
		expect(stored.map((r) => r.household_id).sort((x, y) => x - y)).toEqual(
			[households[0]!.id, households[1]!.id].sort((x, y) => x - y),
		);
		expect(await revisionsOf(closed.roundId)).toEqual([]);
	});

	it('a ballot with a session is cast by its holder, in its transaction, or refused with nothing written', async () => {
		const { roundId, record } = await openRound();
		const [h0, h1, h2] = households;
		const owner = await createResident(t.db);
		const stranger = await createResident(t.db);
		const disabled = await createResident(t.db);
		for (const [user, household] of [
			[owner, h0],
			[owner, h1],
			[disabled, h2],
		] as const)
			await t.db.execute(sql`insert into memberships (user_id, household_id, relation)
				values (${user.userId}, ${household!.id}, 'owner')`);
		await t.db.execute(sql`update users set disabled_at = now() where id = ${disabled.userId}`);
		const session = async (userId: string, expires = "now() + interval '30 days'") => {
			const { token } = await createSession(t.db, userId, 30);
			const id = sessionIdFromToken(token);
			await t.db.execute(
				sql`update sessions set expires_at = ${sql.raw(expires)} where id = ${id}`,
			);
			return id;
		};
		const fresh = await session(owner.userId);
		const expired = await session(owner.userId, "now() - interval '1 minute'");
		const staff = await session(admin.userId);
		const until = new Date(Date.now() + 15 * 24 * 3600 * 1000).toISOString();
		// cast_by and actor_id are ignored with a session: the session's user casts the ballot.
		const withSession = (household: number, n: number, id: string, sessionUntil = until) => ({
			...record(household, n),
			cast_by: admin.userId,
			audit_action: 'ballot.cast' as const,
			actor_id: admin.userId,
			actor_kind: 'resident' as const,
			session: id,
			session_until: sessionUntil,
		});
		const batcher = new BallotBatcher(t.db, { maxBatch: 64, maxInFlight: 1 });
		const rows = await Promise.all([
			batcher.record(withSession(h0!.id, 0, fresh)),
			batcher.record(withSession(h1!.id, 1, expired)),
			// Due for extension: it expires before the time it must outlive.
			batcher.record(
				withSession(h1!.id, 2, fresh, new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString()),
			),
			batcher.record(withSession(h2!.id, 3, await session(stranger.userId))),
			batcher.record(withSession(h2!.id, 4, await session(disabled.userId))),
			batcher.record(withSession(h1!.id, 5, staff)),
			batcher.record(withSession(h1!.id, 6, sessionIdFromToken('A'.repeat(43)))),
		]);
		expect(rows.map((r) => r.status)).toEqual([
			'ok',
			'unauthorised',
			'unauthorised',
			'unauthorised',
			'unauthorised',
			'unauthorised',
			'unauthorised',
		]);
		const stored = await queryRows<{ household_id: number; cast_by: string; actor_id: string }>(
			t.db,
			sql`select r.household_id, r.cast_by, a.actor_id from ballot_revisions r
			    join audit_log a on a.action = 'ballot.cast' and a.target_id = r.household_id::text
			      and (a.details ->> 'roundId')::int = r.round_id
			    where r.round_id = ${roundId}`,
		);
		expect(stored).toEqual([
			{ household_id: h0!.id, cast_by: owner.userId, actor_id: owner.userId },
		]);
		const [ballot] = await queryRows<{ cast_by: string }>(
			t.db,
			sql`select cast_by from ballots where round_id = ${roundId} and household_id = ${h0!.id}`,
		);
		expect(ballot!.cast_by).toBe(owner.userId);
	});
});
