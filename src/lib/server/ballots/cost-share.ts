/**
 * Estimated cost shares shown on ballots (PRODUCT capability 4: "Ballots show the household's
 * estimated cost share for the items it supports"). 谁受益、谁出资: an item's resident share is
 * split among the households of the item's scope — by registered floor area, or equally, each
 * weight multiplied by the household's floor coefficient (楼层系数) when the round sets them.
 *
 * Exact: money in cents (fen) and areas in 0.01 m², both bigint. Rounding is the largest-
 * remainder method, so the shares always add up to the total to the cent:
 * 1. every household gets floor(total × weight / Σweights) cents;
 * 2. the cents left over (fewer than the number of households) go one each to the households
 *    with the largest remainders, ties broken by the smaller household id (deterministic, so
 *    the same ballot always shows the same estimate).
 * Each share is then within one cent of its exact quota, a larger area never pays less, and an
 * equal split differs by at most one cent between households.
 */

export type SplitMethod = 'area' | 'equal';

/**
 * `floorPermille`: the household's floor coefficient (楼层系数) in thousandths when the round
 * sets them (ballots/floors.ts), multiplying its weight: 0 for a ground floor that pays nothing
 * towards an elevator. Absent means 1000 (weight unchanged).
 */
export type ShareUnit = { householdId: number; areaCenti: bigint; floorPermille?: bigint };

export type CostItem = {
	itemId: number;
	/** The residents' part of the item's cost (after government and other shares), in cents. */
	residentShareCents: bigint;
	split: SplitMethod;
	/** The households that benefit from the item and share its cost. */
	scope: readonly ShareUnit[];
};

export type HouseholdEstimate = {
	totalCents: bigint;
	items: { itemId: number; cents: bigint }[];
};

function weightOf(unit: ShareUnit, method: SplitMethod): bigint {
	const floor = unit.floorPermille ?? 1000n;
	if (floor < 0n) throw new RangeError(`household ${unit.householdId} has a negative coefficient`);
	if (method === 'equal') return floor;
	if (unit.areaCenti <= 0n) throw new RangeError(`household ${unit.householdId} has no area`);
	return unit.areaCenti * floor;
}

/**
 * Splits `totalCents` among the scope's households; returns every household's share in cents.
 * Throws RangeError on a negative total, an empty scope, a household listed twice, a
 * non-positive area when splitting by area, or floor coefficients that are all zero.
 */
export function splitCost(
	totalCents: bigint,
	method: SplitMethod,
	scope: readonly ShareUnit[],
): Map<number, bigint> {
	if (totalCents < 0n) throw new RangeError('a cost share cannot be negative');
	if (scope.length === 0) throw new RangeError('cannot split a cost among no households');
	const weights = scope.map((unit) => weightOf(unit, method));
	const totalWeight = weights.reduce((sum, w) => sum + w, 0n);
	if (totalWeight === 0n) throw new RangeError('every household has a zero floor coefficient');
	const shares = new Map<number, bigint>();
	const remainders: { householdId: number; remainder: bigint }[] = [];
	let allocated = 0n;
	scope.forEach((unit, i) => {
		if (shares.has(unit.householdId)) {
			throw new RangeError(`household ${unit.householdId} appears twice in the scope`);
		}
		const quota = totalCents * weights[i]!;
		const share = quota / totalWeight;
		shares.set(unit.householdId, share);
		remainders.push({ householdId: unit.householdId, remainder: quota % totalWeight });
		allocated += share;
	});
	remainders.sort((a, b) =>
		a.remainder === b.remainder
			? a.householdId - b.householdId
			: a.remainder > b.remainder
				? -1
				: 1,
	);
	const leftover = Number(totalCents - allocated);
	for (const { householdId } of remainders.slice(0, leftover)) {
		shares.set(householdId, shares.get(householdId)! + 1n);
	}
	return shares;
}

/** One household's share of one item in cents, or null when the household is not in its scope. */
export function householdItemShare(item: CostItem, householdId: number): bigint | null {
	if (!item.scope.some((unit) => unit.householdId === householdId)) return null;
	return splitCost(item.residentShareCents, item.split, item.scope).get(householdId)!;
}

/**
 * A household's estimated cost over the items it supports: its share of each item whose scope
 * includes it, and the sum. Items outside the household's scope are left out (they cost it
 * nothing). Throws RangeError as `splitCost` does.
 */
export function estimateHouseholdCost(
	householdId: number,
	supportedItems: readonly CostItem[],
): HouseholdEstimate {
	const items: HouseholdEstimate['items'] = [];
	let totalCents = 0n;
	for (const item of supportedItems) {
		const cents = householdItemShare(item, householdId);
		if (cents === null) continue;
		items.push({ itemId: item.itemId, cents });
		totalCents += cents;
	}
	return { totalCents, items };
}
