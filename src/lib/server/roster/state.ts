import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import {
	buildings,
	communities,
	compounds,
	subdistricts,
	units,
} from '../../../../db/schema/index.ts';
import type { CommunityRef, ExistingHousehold, ExistingState } from './plan.ts';
import type { Occupancy } from './template.ts';

/** Every community with its subdistrict's name (a district has a few hundred at most). */
export async function loadCommunities(db: Executor): Promise<CommunityRef[]> {
	return db
		.select({ id: communities.id, name: communities.name, subdistrict: subdistricts.name })
		.from(communities)
		.innerJoin(subdistricts, eq(subdistricts.id, communities.subdistrictId))
		.orderBy(asc(communities.id));
}

/**
 * The columns that refer to households (memberships, household codes, and whatever later
 * modules add: ballots, responses, opinions), read from the catalog so that a household another
 * module depends on is never deleted by an import, even one this module was not told about.
 */
export async function householdReferences(
	db: Executor,
): Promise<{ schema: string; table: string; column: string }[]> {
	return queryRows(
		db,
		sql`select n.nspname as schema, r.relname as "table", a.attname as "column"
		    from pg_constraint c
		    join pg_class r on r.oid = c.conrelid
		    join pg_namespace n on n.oid = r.relnamespace
		    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
		    where c.contype = 'f' and c.confrelid = 'households'::regclass
		    order by 1, 2, 3`,
	);
}

/** `exists (…)` over every referring column: true when something points at household `h`. */
export async function inUseCondition(db: Executor): Promise<SQL> {
	const references = await householdReferences(db);
	if (references.length === 0) return sql`false`;
	return sql.join(
		references.map(
			(r) =>
				sql`exists (select 1 from ${sql.identifier(r.schema)}.${sql.identifier(r.table)} x where x.${sql.identifier(r.column)} = h.id)`,
		),
		sql` or `,
	);
}

/**
 * The tree under the given communities: compounds, buildings, units and households (retired
 * ones too), each household with whether anything refers to it. One query per level.
 */
export async function loadState(db: Executor, communityIds: number[]): Promise<ExistingState> {
	if (communityIds.length === 0) return { compounds: [], buildings: [], units: [], households: [] };
	const compoundRows = await db
		.select({ id: compounds.id, communityId: compounds.communityId, name: compounds.name })
		.from(compounds)
		.where(inArray(compounds.communityId, communityIds));
	const compoundIds = compoundRows.map((c) => c.id);
	if (compoundIds.length === 0) return { compounds: [], buildings: [], units: [], households: [] };
	const buildingRows = await db
		.select({
			id: buildings.id,
			compoundId: buildings.compoundId,
			number: buildings.number,
			floors: buildings.floors,
		})
		.from(buildings)
		.where(inArray(buildings.compoundId, compoundIds));
	const unitRows = await db
		.select({ id: units.id, buildingId: units.buildingId, number: units.number })
		.from(units)
		.innerJoin(buildings, eq(buildings.id, units.buildingId))
		.where(inArray(buildings.compoundId, compoundIds));
	const inUse = await inUseCondition(db);
	const householdRows = await queryRows<{
		id: number;
		unit_id: number;
		building_id: number;
		compound_id: number;
		room: string;
		floor: number;
		area: string;
		occupancy: Occupancy;
		owner_key: string;
		retired: boolean;
		in_use: boolean;
	}>(
		db,
		sql`select h.id, h.unit_id, h.building_id, h.compound_id, h.room, h.floor,
		           h.area_m2::text as area, h.occupancy::text as occupancy, h.owner_key,
		           (h.retired_at is not null) as retired, (${inUse}) as in_use
		    from households h
		    where h.compound_id in (${sql.join(
					compoundIds.map((id) => sql`${id}`),
					sql`, `,
				)})
		    order by h.id`,
	);
	const households: ExistingHousehold[] = householdRows.map((h) => ({
		id: Number(h.id),
		unitId: Number(h.unit_id),
		buildingId: Number(h.building_id),
		compoundId: Number(h.compound_id),
		room: h.room,
		floor: Number(h.floor),
		area: h.area,
		occupancy: h.occupancy,
		ownerKey: h.owner_key,
		retired: h.retired,
		inUse: h.in_use,
	}));
	return { compounds: compoundRows, buildings: buildingRows, units: unitRows, households };
}
