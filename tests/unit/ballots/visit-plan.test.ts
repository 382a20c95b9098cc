import { describe, expect, it } from 'vitest';
import {
	comeBackDateProblem,
	planVisits,
	stillNeeded,
	type LatestVisit,
} from '../../../src/lib/server/ballots/visits/plan.ts';

const TWO_THIRDS = { num: 2, den: 3 };

describe('stillNeeded', () => {
	it.each([
		[0, 3, 2],
		[1, 3, 1],
		[2, 3, 0],
		[0, 10, 7],
		[6, 10, 1],
		[7, 10, 0],
		[0, 0, 0],
		[5, 4, 0],
	])('%i of %i households answered: %i more needed for 2/3', (responded, households, needed) => {
		expect(stillNeeded(responded, households, TWO_THIRDS)).toBe(needed);
	});

	it('is the fewest more that meet the target, exactly', () => {
		for (let households = 1; households <= 60; households += 1) {
			for (let responded = 0; responded <= households; responded += 1) {
				const k = stillNeeded(responded, households, TWO_THIRDS);
				expect((responded + k) * 3 >= households * 2).toBe(true);
				if (k > 0) expect((responded + k - 1) * 3 >= households * 2).toBe(false);
			}
		}
	});
});

const visit = (outcome: LatestVisit['outcome'], comeBackOn: string | null = null, visits = 1) => ({
	outcome,
	comeBackOn,
	visitedAt: new Date('2026-12-01T02:00:00Z'),
	visitedByName: '梅玲',
	visits,
});

describe('planVisits', () => {
	const units = [
		{ unitId: 1, households: 6, responded: 0 }, // 4 needed
		{ unitId: 2, households: 6, responded: 3 }, // 1 needed
		{ unitId: 3, households: 3, responded: 2 }, // met
	];
	const rows = [
		...[11, 12, 13, 14, 15, 16].map((id) => ({ householdId: id, unitId: 1, paperPending: false })),
		...[21, 22, 23].map((id) => ({ householdId: id, unitId: 2, paperPending: false })),
		{ householdId: 31, unitId: 3, paperPending: false },
	];
	const latest = new Map<number, LatestVisit>([
		[11, visit('not_home', null, 2)],
		[12, visit('refused')],
		[13, visit('moved_out')],
		[14, visit('come_back', '2026-12-09')],
		[15, visit('come_back', '2026-12-05')],
		[21, visit('opinion_taken')],
		[22, visit('not_home')],
	]);
	const plan = planVisits(units, rows, latest, TWO_THIRDS, '2026-12-06');

	it('orders units by how few households they still need and leaves out those at target', () => {
		expect(plan.map((p) => [p.unit.unitId, p.needed])).toEqual([
			[2, 1],
			[1, 4],
		]);
	});

	it('lists whom to try next: due come-backs, never visited, not at home, later come-backs', () => {
		expect(plan[1]!.next.map((h) => h.householdId)).toEqual([15, 16, 11, 14]);
		expect(plan[0]!.next.map((h) => h.householdId)).toEqual([23, 22]);
	});

	it('flags a unit where visits alone cannot reach the target', () => {
		expect(plan[1]!.short).toBe(false);
		const short = planVisits(units.slice(0, 1), rows.slice(0, 3), latest, TWO_THIRDS, '2026-12-06');
		expect(short[0]).toMatchObject({ needed: 4, short: true });
		expect(short[0]!.next.map((h) => h.householdId)).toEqual([11]);
	});

	it('skips a household whose paper form awaits its second entry', () => {
		const pending = rows.map((r) => (r.householdId === 23 ? { ...r, paperPending: true } : r));
		const p = planVisits(units, pending, latest, TWO_THIRDS, '2026-12-06');
		expect(p[0]!.next.map((h) => h.householdId)).toEqual([22]);
	});
});

describe('comeBackDateProblem', () => {
	const now = new Date('2026-12-05T17:00:00Z'); // 2026-12-06 01:00 in Beijing
	it.each([
		['2026-12-06', null],
		['2027-06-01', null],
		['2026-12-05', 'visits.dateOutOfRange'],
		['2028-01-01', 'visits.dateOutOfRange'],
		['2026-02-30', 'visits.dateInvalid'],
		['6/12/2026', 'visits.dateRequired'],
		['', 'visits.dateRequired'],
	])('%s → %s', (value, problem) => {
		expect(comeBackDateProblem(value, now)).toBe(problem);
	});
});
