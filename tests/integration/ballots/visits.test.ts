import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { closeRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import {
	chinaDate,
	countLatestOutcomes,
	getVisitPlan,
	listHouseholdVisits,
	listLatestVisits,
	recordVisit,
} from '../../../src/lib/server/ballots/visits/index.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	createModerator,
	createOpenRound,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createResident } from '../../factories/people.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const DAY = 86_400_000;
let keys = 0;
const newKey = () => `test-key-${Date.now()}-${(keys += 1)}`.padEnd(16, 'x');

describe.each(drivers)('door visits on %s', (driver) => {
	let t: TestDatabase;
	let staff: StaffActor;
	let other: StaffActor;
	let dujuan: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator: staff, dujuan, households } = await setUpDujuan(t.db));
		other = await createModerator(t.db, '江滨社区');
	});
	afterAll(async () => t?.close());

	const visits = async (roundId: number) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from door_visits where round_id = ${roundId}`,
			)
		)[0]!.n;
	const audited = async (roundId: number) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from audit_log
				    where action = 'ballot.door_visit' and (details->>'roundId')::int = ${roundId}`,
			)
		)[0]!.n;

	it('records who visited and when; the latest outcome is what the list shows; audited', async () => {
		const roundId = await createOpenRound(t.db, staff, { projectId: dujuan });
		const round = (await loadRound(t.db, roundId))!;
		const h = households[0]!;
		const first = await recordVisit(t.db, staff, {
			roundId,
			householdId: h.id,
			outcome: 'not_home',
			note: '敲门无人<script>alert(1)</script>',
			key: newKey(),
		});
		expect(first).toMatchObject({ outcome: 'not_home', repeated: false });
		const comeBack = chinaDate(new Date(Date.now() + 2 * DAY));
		await recordVisit(t.db, staff, {
			roundId,
			householdId: h.id,
			outcome: 'come_back',
			comeBackOn: comeBack,
			note: '',
			key: newKey(),
		});
		const latest = (await listLatestVisits(t.db, staff, round)).get(h.id);
		expect(latest).toMatchObject({ outcome: 'come_back', comeBackOn: comeBack, visits: 2 });
		const history = await listHouseholdVisits(t.db, staff, round, h.id);
		expect(history.map((v) => v.outcome)).toEqual(['come_back', 'not_home']);
		expect(history[1]!.note).toBe('敲门无人<script>alert(1)</script>');
		expect(await countLatestOutcomes(t.db, staff, round)).toEqual([
			{ outcome: 'come_back', households: 1 },
		]);
		expect(await audited(roundId)).toBe(2);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('records a form sent twice (or twice at once) once', async () => {
		const roundId = await createOpenRound(t.db, staff, { projectId: dujuan });
		const input = {
			roundId,
			householdId: households[1]!.id,
			outcome: 'refused' as const,
			note: '',
			key: newKey(),
		};
		const first = await recordVisit(t.db, staff, input);
		const again = await recordVisit(t.db, staff, input);
		expect(again).toEqual({ ...first, repeated: true });
		const key = newKey();
		const both = await Promise.allSettled([
			recordVisit(t.db, staff, { ...input, key }),
			recordVisit(t.db, staff, { ...input, key }),
		]);
		expect(both.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
		expect(await visits(roundId)).toBe(2);
		expect(await audited(roundId)).toBe(2);
		// The same key for another household is a stale form: refused, nothing written.
		const reused = await reject(
			recordVisit(t.db, staff, { ...input, householdId: households[2]!.id }),
		);
		expect(reused).toMatchObject({ code: 'conflict', messageKey: 'visits.formExpired' });
		expect(await visits(roundId)).toBe(2);
	});

	it('refuses bad dates, other communities, residents, households out of scope and closed rounds', async () => {
		const roundId = await createOpenRound(t.db, staff, { projectId: dujuan });
		const base = {
			roundId,
			householdId: households[3]!.id,
			outcome: 'come_back' as const,
			note: '',
		};
		const cases: [() => Promise<unknown>, string, string][] = [
			[
				() => recordVisit(t.db, staff, { ...base, key: newKey() }),
				'invalid',
				'visits.dateRequired',
			],
			[
				() => recordVisit(t.db, staff, { ...base, comeBackOn: '2025-02-30', key: newKey() }),
				'invalid',
				'visits.dateInvalid',
			],
			[
				() =>
					recordVisit(t.db, staff, {
						...base,
						comeBackOn: chinaDate(new Date(Date.now() - 2 * DAY)),
						key: newKey(),
					}),
				'invalid',
				'visits.dateOutOfRange',
			],
			[
				() => recordVisit(t.db, other, { ...base, outcome: 'not_home', key: newKey() }),
				'not_found',
				'error.notFound',
			],
			[
				async () =>
					recordVisit(t.db, await createResident(t.db), {
						...base,
						outcome: 'not_home',
						key: newKey(),
					}),
				'forbidden',
				'error.forbidden',
			],
			[
				() =>
					recordVisit(t.db, staff, {
						...base,
						householdId: 2_000_000_000,
						outcome: 'not_home',
						key: newKey(),
					}),
				'not_found',
				'visits.notInScope',
			],
		];
		for (const [attempt, code, messageKey] of cases) {
			expect(await reject(attempt())).toMatchObject({ code, messageKey });
		}
		await closeRound(t.db, staff, roundId, CONFIRMED);
		expect(
			await reject(recordVisit(t.db, staff, { ...base, outcome: 'not_home', key: newKey() })),
		).toMatchObject({ code: 'closed', messageKey: 'ballots.roundClosed' });
		expect(await visits(roundId)).toBe(0);
		expect(await audited(roundId)).toBe(0);
	});

	it('plans visits: refused and moved-out households are not tried again, a due come-back first', async () => {
		const roundId = await createOpenRound(t.db, staff, { projectId: dujuan });
		const round = (await loadRound(t.db, roundId))!;
		const unitId = households[0]!.unitId;
		const unit = households.filter((h) => h.unitId === unitId);
		expect(unit.length).toBeGreaterThanOrEqual(4);
		const [refused, moved, away, due] = unit as [
			Households[number],
			Households[number],
			Households[number],
			Households[number],
		];
		const visit = (householdId: number, outcome: 'refused' | 'moved_out' | 'not_home') =>
			recordVisit(t.db, staff, { roundId, householdId, outcome, note: '', key: newKey() });
		await visit(refused.id, 'refused');
		await visit(moved.id, 'moved_out');
		await visit(away.id, 'not_home');
		// Asked to come back today: first in the unit.
		await recordVisit(t.db, staff, {
			roundId,
			householdId: due.id,
			outcome: 'come_back',
			comeBackOn: chinaDate(new Date()),
			note: '',
			key: newKey(),
		});
		const plan = await getVisitPlan(t.db, staff, round);
		const planned = plan.find((p) => p.unit.unitId === unitId)!;
		expect(planned.needed).toBeGreaterThan(0);
		const next = planned.next.map((h) => h.householdId);
		expect(next[0]).toBe(due.id);
		expect(next).toContain(away.id);
		expect(next).not.toContain(refused.id);
		expect(next).not.toContain(moved.id);
		expect(next.indexOf(away.id)).toBe(next.length - 1);
		// Units closest to the target come first.
		const needed = plan.map((p) => p.needed);
		expect(needed).toEqual([...needed].sort((a, b) => a - b));
	});
});
