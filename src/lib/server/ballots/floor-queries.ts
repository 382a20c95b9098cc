import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { ballots, roundFloorCoefficients, roundHouseholds } from '../../../../db/schema/ballots.ts';
import { households, units } from '../../../../db/schema/org.ts';
import type { FloorCoefficient, FloorCounts } from './floors.ts';
import type { RoundInfo } from './types.ts';

/** A round's floor coefficients (楼层系数), lowest floor first; empty when it has none. */
export function getFloorCoefficients(db: Executor, roundId: number): Promise<FloorCoefficient[]> {
	return db
		.select({ floor: roundFloorCoefficients.floor, permille: roundFloorCoefficients.permille })
		.from(roundFloorCoefficients)
		.where(eq(roundFloorCoefficients.roundId, roundId))
		.orderBy(asc(roundFloorCoefficients.floor));
}

/** The floor a household lives on (to mark its coefficient on its ballot). */
export async function householdFloor(db: Executor, householdId: number): Promise<number | null> {
	const [row] = await db
		.select({ floor: households.floor })
		.from(households)
		.where(eq(households.id, householdId));
	return row?.floor ?? null;
}

export type UnitFloors = { unitId: number; unitNumber: string; floors: FloorCounts[] };
export type ItemFloors = { roundItemId: number; units: UnitFloors[] };

/**
 * Per unit and floor, how many flats of a one-building round agreed, were against, abstained
 * or did not answer each item decided per unit (an elevator). Counts only: which flat answered
 * what never leaves this function (ballots are secret; results publish counts). Empty for a
 * round not limited to one building or with no item decided per unit. Call it only where the
 * round's results may be shown (results.astro's access check).
 */
export async function getFloorViews(db: Executor, round: RoundInfo): Promise<ItemFloors[]> {
	const items = round.items.filter((item) => item.decisionScope === 'unit');
	if (round.scopeBuildingId === null || items.length === 0 || !round.openedAt) return [];
	const rows = await db
		.select({
			unitId: roundHouseholds.unitId,
			unitNumber: units.number,
			floor: households.floor,
			choices: ballots.choices,
		})
		.from(roundHouseholds)
		.innerJoin(households, eq(households.id, roundHouseholds.householdId))
		.innerJoin(units, eq(units.id, roundHouseholds.unitId))
		.leftJoin(
			ballots,
			and(
				eq(ballots.roundId, roundHouseholds.roundId),
				eq(ballots.householdId, roundHouseholds.householdId),
			),
		)
		.where(eq(roundHouseholds.roundId, round.id));
	const collator = new Intl.Collator('zh-CN', { numeric: true });
	return items.map((item) => {
		const byUnit = new Map<number, { unitNumber: string; floors: Map<number, FloorCounts> }>();
		for (const row of rows) {
			let unit = byUnit.get(row.unitId);
			if (!unit) {
				unit = { unitNumber: row.unitNumber, floors: new Map() };
				byUnit.set(row.unitId, unit);
			}
			let floor = unit.floors.get(row.floor);
			if (!floor) {
				floor = { floor: row.floor, agree: 0, disagree: 0, abstain: 0, none: 0 };
				unit.floors.set(row.floor, floor);
			}
			const choice = row.choices?.[String(item.id)];
			floor[choice ?? 'none'] += 1;
		}
		return {
			roundItemId: item.id,
			units: [...byUnit.entries()]
				.map(([unitId, unit]) => ({
					unitId,
					unitNumber: unit.unitNumber,
					floors: [...unit.floors.values()].sort((a, b) => b.floor - a.floor),
				}))
				.sort((a, b) => collator.compare(a.unitNumber, b.unitNumber)),
		};
	});
}
