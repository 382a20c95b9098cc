import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	communities,
	compounds,
	households,
	memberships,
	units,
} from '../../../../db/schema/index.ts';
import { can, isEmptyScope, scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import type { Occupancy } from './template.ts';

/** True when the actor may use the roster pages at all. */
export function mayUseRoster(actor: Actor | null): boolean {
	return !isEmptyScope(staffScope(actor, 'roster.import'));
}

/** Compounds (and so households) of the communities whose roster the actor may `action`. */
const rosterFilter = (actor: Actor | null, action: 'roster.import' | 'roster.export') =>
	scopeFilter(staffScope(actor, action), { communityId: compounds.communityId });

export type RosterCompound = {
	id: number;
	name: string;
	nameEn: string;
	communityId: number;
	communityName: string;
	communityNameEn: string;
	households: number;
	retired: number;
};

/** Compounds in the actor's scope with current and retired household counts. */
export async function listRosterCompounds(
	db: Executor,
	actor: Actor | null,
): Promise<RosterCompound[]> {
	return db
		.select({
			id: compounds.id,
			name: compounds.name,
			nameEn: compounds.nameEn,
			communityId: communities.id,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
			households: sql<number>`(select count(*)::int from households h where h.compound_id = ${compounds.id} and h.retired_at is null)`,
			retired: sql<number>`(select count(*)::int from households h where h.compound_id = ${compounds.id} and h.retired_at is not null)`,
		})
		.from(compounds)
		.innerJoin(communities, eq(communities.id, compounds.communityId))
		.where(rosterFilter(actor, 'roster.import'))
		.orderBy(asc(communities.id), asc(compounds.id))
		.limit(1000);
}

export type RosterHousehold = {
	id: number;
	communityId: number;
	compoundId: number;
	compoundName: string;
	compoundNameEn: string;
	building: string;
	unit: string;
	room: string;
	floor: number;
	areaM2: string;
	occupancy: Occupancy;
	retired: boolean;
	members: number;
};

const householdColumns = {
	id: households.id,
	communityId: compounds.communityId,
	compoundId: compounds.id,
	compoundName: compounds.name,
	compoundNameEn: compounds.nameEn,
	building: buildings.number,
	unit: units.number,
	room: households.room,
	floor: households.floor,
	areaM2: households.areaM2,
	occupancy: households.occupancy,
	retired: sql<boolean>`${households.retiredAt} is not null`,
	members: sql<number>`(select count(*)::int from ${memberships} m where m.household_id = ${households.id} and m.ended_at is null)`,
};

export const SEARCH_LIMIT = 200;

/**
 * Households of one compound in scope, found by building and/or room (exact after the same
 * normalisation as the import: "3号楼" finds building 3), current first. At most SEARCH_LIMIT;
 * an out-of-scope or unknown compound gives [] (nothing revealed).
 */
export async function searchHouseholds(
	db: Executor,
	actor: Actor | null,
	query: { compoundId: number; building?: string | undefined; room?: string | undefined },
): Promise<RosterHousehold[]> {
	const conditions = [eq(households.compoundId, query.compoundId)];
	const where = rosterFilter(actor, 'roster.import');
	if (where) conditions.push(where);
	if (query.building) conditions.push(eq(buildings.number, query.building));
	if (query.room) conditions.push(eq(households.room, query.room));
	return db
		.select(householdColumns)
		.from(households)
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(and(...conditions))
		.orderBy(
			sql`${households.retiredAt} is not null`,
			sql`length(${buildings.number})`,
			buildings.number,
			sql`length(${units.number})`,
			units.number,
			households.floor,
			households.room,
		)
		.limit(SEARCH_LIMIT);
}

/** Households by id, those in the actor's scope only (e.g. the "kept" list after an import). */
export async function listHouseholdsByIds(
	db: Executor,
	actor: Actor | null,
	ids: number[],
): Promise<RosterHousehold[]> {
	if (ids.length === 0) return [];
	return db
		.select(householdColumns)
		.from(households)
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(and(inArray(households.id, ids.slice(0, 500)), rosterFilter(actor, 'roster.import')))
		.orderBy(households.id);
}

/** One household for the edit page; null when missing or out of scope (existence not revealed). */
export async function getHouseholdForStaff(
	db: Executor,
	actor: Actor | null,
	id: number,
): Promise<RosterHousehold | null> {
	const [row] = await listHouseholdsByIds(db, actor, [id]);
	return row && can(actor, 'household.edit', { communityId: row.communityId }) ? row : null;
}

/** Current households under compounds in scope, in template order, for the export. */
export async function listForExport(
	db: Executor,
	actor: Actor | null,
	filter: { compoundId?: number | undefined; communityId?: number | undefined },
) {
	const conditions = [isNull(households.retiredAt)];
	const where = rosterFilter(actor, 'roster.export');
	if (where) conditions.push(where);
	if (filter.compoundId !== undefined) conditions.push(eq(compounds.id, filter.compoundId));
	if (filter.communityId !== undefined)
		conditions.push(eq(compounds.communityId, filter.communityId));
	return db
		.select({
			subdistrict: sql<string>`(select s.name from subdistricts s where s.id = ${communities.subdistrictId})`,
			community: communities.name,
			compound: compounds.name,
			building: buildings.number,
			unit: units.number,
			room: households.room,
			floor: households.floor,
			area: households.areaM2,
			occupancy: households.occupancy,
		})
		.from(households)
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.innerJoin(communities, eq(communities.id, compounds.communityId))
		.where(and(...conditions))
		.orderBy(
			communities.id,
			compounds.id,
			sql`length(${buildings.number})`,
			buildings.number,
			sql`length(${units.number})`,
			units.number,
			households.floor,
			sql`length(${households.room})`,
			households.room,
		);
}
