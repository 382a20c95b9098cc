/**
 * Reads of door visits (入户) for committee staff: each household's latest visit, the counts of
 * latest outcomes for the round page, a household's visits for its record page, and the planner.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../../db/client.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { isCommittee } from '../policy.ts';
import { type VisitRow, listNotResponded } from '../queries/follow-up.ts';
import { getUnitCoverage } from '../queries/results.ts';
import type { CoverageRow, RoundInfo } from '../types.ts';
import { chinaDate, planVisits, type LatestVisit, type PlannedUnit } from './plan.ts';
import type { VisitOutcome } from './schemas.ts';

const requireCommitteeView = (actor: Actor | null, round: RoundInfo) => {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
};

const day = (value: unknown) =>
	value === null || value === undefined
		? null
		: value instanceof Date
			? value.toISOString().slice(0, 10)
			: String(value).slice(0, 10);

/**
 * The latest visit of every visited household of the round, by household id, with who recorded
 * it and how many visits it had. Committee staff only. Errors: forbidden, not_found.
 */
export async function listLatestVisits(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
): Promise<Map<number, LatestVisit>> {
	requireCommitteeView(actor, round);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select distinct on (v.household_id) v.household_id, v.outcome, v.come_back_on::text as come_back_on,
		           v.visited_at, u.display_name,
		           count(*) over (partition by v.household_id)::int as visits
		    from door_visits v join users u on u.id = v.visited_by
		    where v.round_id = ${round.id}
		    order by v.household_id, v.visited_at desc, v.id desc`,
	);
	return new Map(
		rows.map((r) => [
			Number(r.household_id),
			{
				outcome: r.outcome as VisitOutcome,
				comeBackOn: day(r.come_back_on),
				visitedAt: new Date(r.visited_at as string),
				visitedByName: String(r.display_name ?? ''),
				visits: Number(r.visits),
			},
		]),
	);
}

/** One recorded visit of a household, for its record page. */
export type VisitEntry = {
	id: number;
	outcome: VisitOutcome;
	comeBackOn: string | null;
	note: string;
	visitedAt: Date;
	visitedByName: string;
};

/** A household's visits in the round, newest first (at most 20). Committee staff only. */
export async function listHouseholdVisits(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
	householdId: number,
): Promise<VisitEntry[]> {
	requireCommitteeView(actor, round);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select v.id, v.outcome, v.come_back_on::text as come_back_on, v.note, v.visited_at, u.display_name
		    from door_visits v join users u on u.id = v.visited_by
		    where v.round_id = ${round.id} and v.household_id = ${householdId}
		    order by v.visited_at desc, v.id desc limit 20`,
	);
	return rows.map((r) => ({
		id: Number(r.id),
		outcome: r.outcome as VisitOutcome,
		comeBackOn: day(r.come_back_on),
		note: String(r.note ?? ''),
		visitedAt: new Date(r.visited_at as string),
		visitedByName: String(r.display_name ?? ''),
	}));
}

/** How many households' latest visit had each outcome, households without a ballot only. */
export async function countLatestOutcomes(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
): Promise<{ outcome: VisitOutcome; households: number }[]> {
	requireCommitteeView(actor, round);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select outcome, count(*)::int as households from (
		      select distinct on (v.household_id) v.household_id, v.outcome
		      from door_visits v
		      where v.round_id = ${round.id}
		        and not exists (select 1 from ballots b where b.round_id = v.round_id and b.household_id = v.household_id)
		      order by v.household_id, v.visited_at desc, v.id desc) latest
		    group by outcome`,
	);
	return rows.map((r) => ({
		outcome: r.outcome as VisitOutcome,
		households: Number(r.households),
	}));
}

export type VisitPlan = PlannedUnit<CoverageRow & { unitId: number }, VisitRow>[];

/**
 * The visit planner of the round: units below target, closest to 2/3 first, each with whom to
 * try next (plan.ts `planVisits`). Committee staff only. Errors: forbidden, not_found.
 */
export async function getVisitPlan(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
	now = new Date(),
): Promise<VisitPlan> {
	const [notResponded, units, latest] = await Promise.all([
		listNotResponded(db, actor, round),
		getUnitCoverage(db, round),
		listLatestVisits(db, actor, round),
	]);
	return planVisits(
		units.map((u) => ({ ...u, unitId: u.scopeId })),
		notResponded,
		latest,
		round.target,
		chinaDate(now),
	);
}

/** A household of the round as its visit page shows it: where it is, and whether it voted. */
export type VisitHousehold = {
	householdId: number;
	compoundName: string;
	compoundNameEn: string;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	voted: boolean;
};

/** The household in the round's scope, or null. Committee staff only. */
export async function getVisitHousehold(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
	householdId: number,
): Promise<VisitHousehold | null> {
	requireCommitteeView(actor, round);
	const [row] = await queryRows<Record<string, unknown>>(
		db,
		sql`select h.id, c.name as cn, c.name_en as ce, b.number as bn, u.number as un, h.room,
		           exists (select 1 from ballots x where x.round_id = rh.round_id and x.household_id = rh.household_id) as voted
		    from round_households rh
		    join households h on h.id = rh.household_id
		    join units u on u.id = rh.unit_id
		    join buildings b on b.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    where rh.round_id = ${round.id} and rh.household_id = ${householdId}`,
	);
	if (!row) return null;
	return {
		householdId: Number(row.id),
		compoundName: String(row.cn),
		compoundNameEn: String(row.ce),
		buildingNumber: String(row.bn),
		unitNumber: String(row.un),
		room: String(row.room),
		voted: Boolean(row.voted),
	};
}
