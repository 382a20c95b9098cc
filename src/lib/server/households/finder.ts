/**
 * Finding a household on paper-entry pages the way committee staff read a form: by building →
 * unit → room, or by typing its door number ("5-2-301", "5号楼2单元301室"), and moving on to
 * the next household of the same unit after saving. Pure functions over the page's list.
 */

export type FinderHousehold = {
	householdId: number;
	compound: string;
	compoundEn: string;
	building: string;
	unit: string;
	room: string;
	/** Already has an answer (or a paper form awaiting its second entry): skipped by "next". */
	done: boolean;
};

export type DoorNumber = { building: string; unit: string; room: string };

/**
 * A typed door number, or null: building, unit and room separated by dashes, slashes, dots or
 * spaces ("5-2-301", "5 2 301", full-width "５－２－３０１"), or written out ("5号楼2单元301室",
 * "5栋2单元301"). Full-width digits and dashes count as their ASCII forms.
 */
export function parseDoorNumber(text: string): DoorNumber | null {
	const plain = text
		.normalize('NFKC')
		.trim()
		.replace(/[号楼栋幢单元室]+/g, '-')
		.replace(/[\s/.、，,—–-]+/g, '-')
		.replace(/^-|-$/g, '');
	const match = /^([0-9A-Za-z]{1,10})-([0-9A-Za-z]{1,10})-([0-9A-Za-z]{1,10})$/.exec(plain);
	if (!match) return null;
	const [, building, unit, room] = match as unknown as [string, string, string, string];
	return { building, unit, room };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Households at that door number (one per compound that has it). */
export function findByDoorNumber<T extends FinderHousehold>(list: readonly T[], door: DoorNumber) {
	return list.filter(
		(h) => same(h.building, door.building) && same(h.unit, door.unit) && same(h.room, door.room),
	);
}

/** The key of a building in the picker: compound and number (numbers repeat across compounds). */
export const buildingKey = (h: { compound: string; building: string }) =>
	`${h.compound}|${h.building}`;

const sameUnit = (a: FinderHousehold, b: FinderHousehold) =>
	a.compound === b.compound && a.building === b.building && a.unit === b.unit;

/**
 * The household after `householdId` in the same unit (list order) still without an answer,
 * wrapping around to the unit's start; null when every other household of the unit is done.
 */
export function nextInUnit<T extends FinderHousehold>(
	list: readonly T[],
	householdId: number,
): T | null {
	const current = list.find((h) => h.householdId === householdId);
	if (!current) return null;
	const unit = list.filter((h) => sameUnit(h, current));
	const at = unit.indexOf(current);
	const order = [...unit.slice(at + 1), ...unit.slice(0, at)];
	return order.find((h) => !h.done) ?? null;
}

export type FinderGroup<T> = { key: string; label: T; total: number; left: number };

const group = <T extends FinderHousehold>(list: readonly T[], keyOf: (h: T) => string) => {
	const groups = new Map<string, FinderGroup<T>>();
	for (const h of list) {
		const key = keyOf(h);
		const g = groups.get(key) ?? { key, label: h, total: 0, left: 0 };
		g.total += 1;
		if (!h.done) g.left += 1;
		groups.set(key, g);
	}
	return [...groups.values()];
};

/** The buildings, the units of the chosen building and the rooms of the chosen unit. */
export function pickerLevels<T extends FinderHousehold>(
	list: readonly T[],
	chosen: { building: string | null; unit: string | null },
) {
	const buildings = group(list, buildingKey);
	const inBuilding = chosen.building ? list.filter((h) => buildingKey(h) === chosen.building) : [];
	const units = group(inBuilding, (h) => h.unit);
	const rooms = chosen.unit ? inBuilding.filter((h) => h.unit === chosen.unit) : [];
	return { buildings, units, rooms };
}
