import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../../../../db/client.ts';
import type { RosterPlan } from './plan.ts';

/**
 * Writes a plan in bulk: each level is one statement per chunk over a JSON recordset
 * (`jsonb_to_recordset`), so 20,000 households are a handful of round trips, not 20,000. Runs in
 * the caller's transaction: any failure leaves nothing behind.
 */
const CHUNK = 5_000;

function chunks<T>(items: T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
	return out;
}

async function eachChunk<T, R extends Record<string, unknown>>(
	tx: Tx,
	items: T[],
	statement: (json: string) => SQL,
): Promise<R[]> {
	const results: R[] = [];
	for (const part of chunks(items))
		results.push(...(await queryRows<R>(tx, statement(JSON.stringify(part)))));
	return results;
}

export async function writePlan(tx: Tx, plan: RosterPlan): Promise<void> {
	const compoundIds = new Map<string, number>();
	const resolveCompound = (key: string) =>
		key.startsWith('c') ? Number(key.slice(1)) : compoundIds.get(key)!;
	const inserted = await eachChunk<
		{ community_id: number; name: string },
		{ id: number; community_id: number; name: string }
	>(
		tx,
		plan.newCompounds.map((c) => ({ community_id: c.communityId, name: c.name })),
		(json) => sql`insert into compounds (community_id, name, name_en)
			select r.community_id, r.name, r.name from jsonb_to_recordset(${json}::jsonb) as r(community_id int, name text)
			returning id, community_id, name`,
	);
	const byName = new Map(inserted.map((c) => [`${c.community_id}|${c.name}`, Number(c.id)]));
	for (const c of plan.newCompounds)
		compoundIds.set(c.key, byName.get(`${c.communityId}|${c.name}`)!);

	const buildingIds = new Map<string, number>();
	const resolveBuilding = (key: string) =>
		/^b\d+$/.test(key) ? Number(key.slice(1)) : buildingIds.get(key)!;
	const buildingRows = plan.newBuildings.map((b) => ({
		compound_id: resolveCompound(b.compoundKey),
		number: b.number,
		floors: b.floors,
	}));
	const insertedBuildings = await eachChunk<
		(typeof buildingRows)[number],
		{ id: number; compound_id: number; number: string }
	>(
		tx,
		buildingRows,
		(json) => sql`insert into buildings (compound_id, number, floors)
			select r.compound_id, r.number, r.floors from jsonb_to_recordset(${json}::jsonb) as r(compound_id int, number text, floors int)
			returning id, compound_id, number`,
	);
	const buildingByNumber = new Map(
		insertedBuildings.map((b) => [`${b.compound_id}|${b.number}`, Number(b.id)]),
	);
	for (const [i, b] of plan.newBuildings.entries()) {
		buildingIds.set(b.key, buildingByNumber.get(`${buildingRows[i]!.compound_id}|${b.number}`)!);
	}
	await eachChunk(
		tx,
		plan.raisedBuildings,
		(json) => sql`update buildings b set floors = r.floors
			from jsonb_to_recordset(${json}::jsonb) as r(id int, floors int) where b.id = r.id`,
	);

	const unitIds = new Map<string, number>();
	const resolveUnit = (key: string) =>
		/^u\d+$/.test(key) ? Number(key.slice(1)) : unitIds.get(key)!;
	const unitRows = plan.newUnits.map((u) => ({
		building_id: resolveBuilding(u.buildingKey),
		number: u.number,
	}));
	const insertedUnits = await eachChunk<
		(typeof unitRows)[number],
		{ id: number; building_id: number; number: string }
	>(
		tx,
		unitRows,
		(json) => sql`insert into units (building_id, number)
			select r.building_id, r.number from jsonb_to_recordset(${json}::jsonb) as r(building_id int, number text)
			returning id, building_id, number`,
	);
	const unitByNumber = new Map(
		insertedUnits.map((u) => [`${u.building_id}|${u.number}`, Number(u.id)]),
	);
	for (const [i, u] of plan.newUnits.entries()) {
		unitIds.set(u.key, unitByNumber.get(`${unitRows[i]!.building_id}|${u.number}`)!);
	}

	// building_id and compound_id are filled from the unit by the households_fill_tree trigger.
	await eachChunk(
		tx,
		plan.created.map((h) => ({
			unit_id: resolveUnit(h.unitKey),
			room: h.room,
			floor: h.floor,
			area: h.area,
			occupancy: h.occupancy,
			owner_key: h.ownerKey,
		})),
		(
			json,
		) => sql`insert into households (unit_id, building_id, compound_id, room, floor, area_m2, occupancy, owner_key)
			select r.unit_id, u.building_id, b.compound_id, r.room, r.floor, r.area, r.occupancy::occupancy, r.owner_key
			from jsonb_to_recordset(${json}::jsonb)
				as r(unit_id int, room text, floor int, area numeric, occupancy text, owner_key text)
			join units u on u.id = r.unit_id join buildings b on b.id = u.building_id`,
	);
	await eachChunk(
		tx,
		plan.updated.map((h) => ({
			id: h.id,
			floor: h.floor,
			area: h.area,
			occupancy: h.occupancy,
			owner_key: h.ownerKey,
			restore: h.restore,
		})),
		(json) => sql`update households h set floor = r.floor, area_m2 = r.area,
				occupancy = r.occupancy::occupancy, owner_key = coalesce(r.owner_key, h.owner_key),
				retired_at = case when r.restore then null else h.retired_at end
			from jsonb_to_recordset(${json}::jsonb)
				as r(id int, floor int, area numeric, occupancy text, owner_key text, restore boolean)
			where h.id = r.id`,
	);
	await eachChunk(
		tx,
		plan.removed.map((h) => h.id),
		(json) =>
			sql`delete from households where id in (select value::int from jsonb_array_elements_text(${json}::jsonb))`,
	);
}
