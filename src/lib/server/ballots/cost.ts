import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { roundHouseholds } from '../../../../db/schema/ballots.ts';
import { households } from '../../../../db/schema/org.ts';
import { planItems } from '../../../../db/schema/plans.ts';
import { householdItemShare, type CostItem } from './cost-share.ts';
import { loadFunding, residentPartFen } from '../plans/index.ts';
import { getFloorCoefficients } from './floor-queries.ts';
import { permilleFor } from './floors.ts';
import type { RoundInfo } from './types.ts';

export type CostEstimate = {
	/** Round item id → the household's share of the residents' part, in fen (cents). */
	perItem: Map<number, bigint>;
	/** Round item id → how it is split. */
	split: Map<number, 'area' | 'equal'>;
};

/**
 * The household's estimated share of each plan item's residents' cost ("谁受益、谁出资"): the
 * item's resident part split among the round's households it serves (its building's, or all)
 * by registered area or equally, weighed by the round's floor coefficients (楼层系数) if it has
 * any, exactly to the fen (cost-share.ts). Items that are not plan
 * items (needs questionnaires, special questions) have no estimate.
 */
export async function estimateCosts(
	db: Executor,
	round: RoundInfo,
	householdId: number,
): Promise<CostEstimate> {
	const estimate: CostEstimate = { perItem: new Map(), split: new Map() };
	const linked = round.items.filter((item) => item.planItemId !== null);
	if (linked.length === 0) return estimate;
	const [costs, scope, coefficients] = await Promise.all([
		db
			.select({
				id: planItems.id,
				residentYuan: planItems.residentYuan,
				split: planItems.split,
				buildingId: planItems.buildingId,
			})
			.from(planItems)
			.where(
				inArray(
					planItems.id,
					linked.map((item) => item.planItemId!),
				),
			),
		db
			.select({
				householdId: roundHouseholds.householdId,
				buildingId: roundHouseholds.buildingId,
				areaCenti: roundHouseholds.areaCenti,
				floor: households.floor,
			})
			.from(roundHouseholds)
			.innerJoin(households, eq(households.id, roundHouseholds.householdId))
			.where(eq(roundHouseholds.roundId, round.id)),
		getFloorCoefficients(db, round.id),
	]);
	const byId = new Map(costs.map((c) => [c.id, c]));
	const funding = await loadFunding(
		db,
		costs.map((c) => c.id),
	);
	for (const item of linked) {
		const cost = byId.get(item.planItemId!);
		if (!cost) continue;
		const served = scope.filter(
			(h) => cost.buildingId === null || h.buildingId === cost.buildingId,
		);
		if (served.length === 0) continue;
		const costItem: CostItem = {
			itemId: item.id,
			residentShareCents: residentPartFen({
				residentYuan: cost.residentYuan,
				funding: funding.get(cost.id) ?? null,
			}),
			split: cost.split,
			scope: served.map((h) => ({
				householdId: h.householdId,
				areaCenti: BigInt(h.areaCenti),
				...(coefficients.length > 0 && {
					floorPermille: BigInt(permilleFor(coefficients, h.floor)),
				}),
			})),
		};
		// Every floor weighing 0 leaves nobody to pay: no estimate rather than a division by zero.
		if (costItem.scope.every((unit) => unit.floorPermille === 0n)) continue;
		const share = householdItemShare(costItem, householdId);
		if (share !== null) {
			estimate.perItem.set(item.id, share);
			estimate.split.set(item.id, cost.split);
		}
	}
	return estimate;
}
