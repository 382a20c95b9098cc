import type { Occupancy } from './template.ts';
import type { RosterRow, RowError } from './validate.ts';

/** A community the import can name, with its subdistrict (names repeat across subdistricts). */
export type CommunityRef = { id: number; name: string; subdistrict: string };

export type ExistingHousehold = {
	id: number;
	unitId: number;
	buildingId: number;
	compoundId: number;
	room: string;
	floor: number;
	area: string;
	occupancy: Occupancy;
	ownerKey: string;
	retired: boolean;
	/** Referenced by memberships, codes, ballots, responses… (any row pointing at it). */
	inUse: boolean;
};

/** The part of the tree an import can touch: everything under the communities it names. */
export type ExistingState = {
	compounds: { id: number; communityId: number; name: string }[];
	buildings: { id: number; compoundId: number; number: string; floors: number }[];
	units: { id: number; buildingId: number; number: string }[];
	households: ExistingHousehold[];
};

/** Where a household is, for the report (never the owner). */
export type HouseholdLabel = { compound: string; building: string; unit: string; room: string };

export type HouseholdChange = {
	id: number;
	row: number;
	communityId: number;
	floor: number;
	area: string;
	occupancy: Occupancy;
	/** Null keeps the current owner key. */
	ownerKey: string | null;
	restore: boolean;
	label: HouseholdLabel;
	/** What changes, old → new (the owner only as "changed"). */
	fields: {
		floor?: [number, number];
		area?: [string, string];
		occupancy?: [Occupancy, Occupancy];
		owner?: true;
		restored?: true;
	};
};

export type RosterPlan = {
	/** Communities the rows name (after scope checks). */
	communityIds: number[];
	newCompounds: { key: string; communityId: number; name: string }[];
	newBuildings: { key: string; compoundKey: string; number: string; floors: number }[];
	/** Existing buildings whose floor count the roster raises. */
	raisedBuildings: { id: number; floors: number }[];
	newUnits: { key: string; buildingKey: string; number: string }[];
	created: {
		row: number;
		communityId: number;
		unitKey: string;
		room: string;
		floor: number;
		area: string;
		occupancy: Occupancy;
		ownerKey: string;
	}[];
	updated: HouseholdChange[];
	unchanged: number;
	/** Not in the roster and referenced by nothing: deleted on apply. */
	removed: PlannedHousehold[];
	/** Not in the roster but in use: kept ("no longer in the roster"), for staff to retire. */
	kept: PlannedHousehold[];
	errors: RowError[];
};

export type PlannedHousehold = { id: number; communityId: number; label: HouseholdLabel };

const clampFloors = (floor: number) => Math.min(60, Math.max(1, floor));

/**
 * Each row's community by name (and subdistrict when given), among those the uploader may
 * import into. Unknown and out-of-scope communities get the same error, so a file cannot probe
 * what exists elsewhere (STYLE.md: errors never reveal another community's resources).
 */
export function resolveCommunities(
	rows: RosterRow[],
	communities: CommunityRef[],
	allowed: (communityId: number) => boolean,
): { resolved: { row: RosterRow; communityId: number }[]; errors: RowError[] } {
	const byName = new Map<string, CommunityRef[]>();
	for (const community of communities) {
		if (!allowed(community.id)) continue;
		const list = byName.get(community.name) ?? [];
		list.push(community);
		byName.set(community.name, list);
	}
	const resolved: { row: RosterRow; communityId: number }[] = [];
	const errors: RowError[] = [];
	for (const row of rows) {
		const matches = (byName.get(row.community) ?? []).filter(
			(c) => row.subdistrict === '' || c.subdistrict === row.subdistrict,
		);
		if (matches.length === 1) resolved.push({ row, communityId: matches[0]!.id });
		else if (matches.length === 0)
			errors.push({ row: row.row, column: 'community', reason: 'roster.reason.communityUnknown' });
		else
			errors.push({
				row: row.row,
				column: 'subdistrict',
				reason: 'roster.reason.communityAmbiguous',
			});
	}
	return { resolved, errors };
}

/**
 * What importing the rows would do to the existing tree: pure, so the dry run and the apply
 * compute the same plan from the same file and state. Households are matched by compound,
 * building, unit and room; rows repeating a room in a unit are errors. A compound named in the
 * roster is covered by it: its households missing from the roster are removed when nothing
 * refers to them, otherwise kept (never deleted: their ballots and memberships are history).
 * Retired households missing from the roster are left alone.
 */
export function planRoster(
	rows: { row: RosterRow; communityId: number }[],
	state: ExistingState,
): RosterPlan {
	const compoundByName = new Map(state.compounds.map((c) => [`${c.communityId}|${c.name}`, c]));
	const compoundById = new Map(state.compounds.map((c) => [c.id, c]));
	const buildingByNumber = new Map(state.buildings.map((b) => [`${b.compoundId}|${b.number}`, b]));
	const buildingById = new Map(state.buildings.map((b) => [b.id, b]));
	const unitByNumber = new Map(state.units.map((u) => [`${u.buildingId}|${u.number}`, u]));
	const unitById = new Map(state.units.map((u) => [u.id, u]));
	const householdByRoom = new Map(state.households.map((h) => [`${h.unitId}|${h.room}`, h]));

	const plan: RosterPlan = {
		communityIds: [...new Set(rows.map((r) => r.communityId))].sort((a, b) => a - b),
		newCompounds: [],
		newBuildings: [],
		raisedBuildings: [],
		newUnits: [],
		created: [],
		updated: [],
		unchanged: 0,
		removed: [],
		kept: [],
		errors: [],
	};
	const newCompounds = new Map<string, RosterPlan['newCompounds'][number]>();
	const newBuildings = new Map<string, RosterPlan['newBuildings'][number]>();
	const newUnits = new Set<string>();
	const maxFloor = new Map<number, number>();
	const firstRowOf = new Map<string, number>();
	const matched = new Set<number>();
	const coveredCompounds = new Set<number>();

	for (const { row, communityId } of rows) {
		const compound = compoundByName.get(`${communityId}|${row.compound}`);
		const compoundKey = compound ? `c${compound.id}` : `n${communityId}|${row.compound}`;
		const roomKey = `${compoundKey}|${row.building}|${row.unit}|${row.room}`;
		const first = firstRowOf.get(roomKey);
		if (first !== undefined) {
			plan.errors.push({
				row: row.row,
				column: 'room',
				reason: 'roster.reason.duplicateRoom',
				params: { row: first },
			});
			continue;
		}
		firstRowOf.set(roomKey, row.row);
		if (compound) coveredCompounds.add(compound.id);
		else if (!newCompounds.has(compoundKey))
			newCompounds.set(compoundKey, { key: compoundKey, communityId, name: row.compound });

		const building = compound ? buildingByNumber.get(`${compound.id}|${row.building}`) : undefined;
		const buildingKey = building ? `b${building.id}` : `${compoundKey}|${row.building}`;
		if (building) maxFloor.set(building.id, Math.max(maxFloor.get(building.id) ?? 1, row.floor));
		else {
			const entry = newBuildings.get(buildingKey) ?? {
				key: buildingKey,
				compoundKey,
				number: row.building,
				floors: 1,
			};
			entry.floors = clampFloors(Math.max(entry.floors, row.floor));
			newBuildings.set(buildingKey, entry);
		}

		const unit = building ? unitByNumber.get(`${building.id}|${row.unit}`) : undefined;
		const unitKey = unit ? `u${unit.id}` : `${buildingKey}|${row.unit}`;
		if (!unit && !newUnits.has(unitKey)) {
			newUnits.add(unitKey);
			plan.newUnits.push({ key: unitKey, buildingKey, number: row.unit });
		}

		const household = unit ? householdByRoom.get(`${unit.id}|${row.room}`) : undefined;
		if (!household) {
			if (row.ownerKey === null) {
				plan.errors.push({
					row: row.row,
					column: 'ownerKey',
					reason: 'roster.reason.ownerKeyMissing',
				});
				continue;
			}
			plan.created.push({
				row: row.row,
				communityId,
				unitKey,
				room: row.room,
				floor: row.floor,
				area: row.area,
				occupancy: row.occupancy,
				ownerKey: row.ownerKey,
			});
			continue;
		}
		matched.add(household.id);
		const change = compareHousehold(household, row);
		if (change) {
			plan.updated.push({
				...change,
				communityId,
				label: { compound: row.compound, building: row.building, unit: row.unit, room: row.room },
			});
		} else plan.unchanged++;
	}

	plan.newCompounds = [...newCompounds.values()];
	plan.newBuildings = [...newBuildings.values()];
	for (const [buildingId, floor] of maxFloor) {
		const building = buildingById.get(buildingId)!;
		const floors = clampFloors(floor);
		if (floors > building.floors) plan.raisedBuildings.push({ id: buildingId, floors });
	}
	for (const household of state.households) {
		if (
			!coveredCompounds.has(household.compoundId) ||
			matched.has(household.id) ||
			household.retired
		)
			continue;
		const unit = unitById.get(household.unitId);
		const compound = compoundById.get(household.compoundId)!;
		const label: HouseholdLabel = {
			compound: compound.name,
			building: buildingById.get(household.buildingId)?.number ?? '',
			unit: unit?.number ?? '',
			room: household.room,
		};
		(household.inUse ? plan.kept : plan.removed).push({
			id: household.id,
			communityId: compound.communityId,
			label,
		});
	}
	return plan;
}

function compareHousehold(
	household: ExistingHousehold,
	row: RosterRow,
): Omit<HouseholdChange, 'label' | 'communityId'> | null {
	const fields: HouseholdChange['fields'] = {};
	if (household.floor !== row.floor) fields.floor = [household.floor, row.floor];
	if (household.area !== row.area) fields.area = [household.area, row.area];
	if (household.occupancy !== row.occupancy)
		fields.occupancy = [household.occupancy, row.occupancy];
	if (row.ownerKey !== null && row.ownerKey !== household.ownerKey) fields.owner = true;
	if (household.retired) fields.restored = true;
	if (Object.keys(fields).length === 0) return null;
	return {
		id: household.id,
		row: row.row,
		floor: row.floor,
		area: row.area,
		occupancy: row.occupancy,
		ownerKey: fields.owner ? row.ownerKey : null,
		restore: household.retired,
		fields,
	};
}
