/**
 * The door-visit planner (入户计划), pure: which units (单元) to visit first — those closest to
 * the 2/3 participation of seeds/000 ("收取的意见不得少于户数的三分之二") — and whom to try
 * next in each: households without a ballot that neither refused nor moved out, nor gave their
 * opinion at the door already (their paper form is on its way).
 */
import type { VisitOutcome } from './schemas.ts';

/** The latest visit of a household. */
export type LatestVisit = {
	outcome: VisitOutcome;
	/** YYYY-MM-DD, for come_back. */
	comeBackOn: string | null;
	visitedAt: Date;
	visitedByName: string;
	/** Visits recorded for the household in the round. */
	visits: number;
};

export type PlanUnit = {
	unitId: number;
	households: number;
	responded: number;
};

export type PlanHousehold = { householdId: number; unitId: number; paperPending: boolean };

export type PlannedUnit<U, H> = {
	unit: U;
	/** Households still needed to reach the target (0: met). */
	needed: number;
	/** Whom to try next, in order. */
	next: (H & { latest: LatestVisit | null })[];
	/** Fewer households left to try than needed: visits alone cannot reach the target. */
	short: boolean;
};

/** The fewest more ballots that make `responded / households ≥ num / den` (exact, integers). */
export function stillNeeded(
	responded: number,
	households: number,
	target: { num: number; den: number },
): number {
	if (households === 0) return 0;
	const missing = households * target.num - responded * target.den;
	return missing <= 0 ? 0 : Math.ceil(missing / target.den);
}

/** Outcomes after which the household is not visited again for this round. */
const settled: ReadonlySet<VisitOutcome> = new Set(['refused', 'moved_out', 'opinion_taken']);

/** Whether a household without a ballot is worth another visit. */
export const worthVisiting = (latest: LatestVisit | null) =>
	latest === null || !settled.has(latest.outcome);

/**
 * Order of households to try within a unit: those who asked to be visited again by today first,
 * then never visited, then not at home (fewest visits first), then come-back dates still ahead.
 */
function rank(latest: LatestVisit | null, today: string): number {
	if (latest === null) return 1;
	if (latest.outcome === 'come_back') return (latest.comeBackOn ?? '') <= today ? 0 : 3;
	return 2;
}

/**
 * Units below target, closest to it first (fewest households needed; then the larger share
 * already in), each with whom to try next; units that met the target are left out. `today` is
 * the Beijing date (YYYY-MM-DD). Households keep their given order within a rank.
 */
export function planVisits<U extends PlanUnit, H extends PlanHousehold>(
	units: readonly U[],
	notResponded: readonly H[],
	latest: ReadonlyMap<number, LatestVisit>,
	target: { num: number; den: number },
	today: string,
): PlannedUnit<U, H>[] {
	const byUnit = new Map<number, H[]>();
	for (const h of notResponded) byUnit.set(h.unitId, [...(byUnit.get(h.unitId) ?? []), h]);
	const planned: PlannedUnit<U, H>[] = [];
	for (const unit of units) {
		const needed = stillNeeded(unit.responded, unit.households, target);
		if (needed === 0) continue;
		const next = (byUnit.get(unit.unitId) ?? [])
			.map((h) => ({ ...h, latest: latest.get(h.householdId) ?? null }))
			.filter((h) => !h.paperPending && worthVisiting(h.latest))
			.map((h, index) => ({ h, index, rank: rank(h.latest, today) }))
			.sort(
				(a, b) =>
					a.rank - b.rank ||
					(a.h.latest?.visits ?? 0) - (b.h.latest?.visits ?? 0) ||
					a.index - b.index,
			)
			.map(({ h }) => h);
		planned.push({ unit, needed, next, short: next.length < needed });
	}
	return planned.sort(
		(a, b) =>
			a.needed - b.needed ||
			b.unit.responded * a.unit.households - a.unit.responded * b.unit.households,
	);
}

/** The Beijing date (YYYY-MM-DD) of an instant. */
export const chinaDate = (now: Date) =>
	new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Why a come-back date is refused (an i18n key), or null: it must be a real calendar date from
 * today (Beijing) to a year ahead.
 */
export function comeBackDateProblem(
	value: string,
	now: Date,
): 'visits.dateRequired' | 'visits.dateInvalid' | 'visits.dateOutOfRange' | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return 'visits.dateRequired';
	const date = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
		return 'visits.dateInvalid';
	}
	const today = chinaDate(now);
	const limit = chinaDate(new Date(now.getTime() + 366 * 86_400_000));
	if (value < today || value > limit) return 'visits.dateOutOfRange';
	return null;
}
