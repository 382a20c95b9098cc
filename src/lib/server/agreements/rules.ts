/**
 * 改造协议 (合约书, seed 000 "三入户三公示": after the final plan is published, the community
 * signs the renovation agreement with each household). Pure rules: which final-plan items
 * concern a household and its share of their residents' part; and the gate before works start.
 */
import { splitCost, type SplitMethod } from '../ballots/index.ts';

/** A final-plan item: a building item names its building; a public item serves everyone. */
export type TermItem = {
	id: number;
	buildingId: number | null;
	/** The residents' part of the item's cost, in fen (cents). */
	residentCents: bigint;
	split: SplitMethod;
};

/** A household of the project's compounds, with its registered area in 0.01 m². */
export type ScopeHousehold = { id: number; buildingId: number; areaCenti: bigint };

export type HouseholdTerms = {
	/** The items that concern the household, each with its share in fen (0 when it pays nothing). */
	items: { id: number; cents: bigint }[];
	totalCents: bigint;
};

const served = (item: TermItem, scope: readonly ScopeHousehold[]) =>
	scope.filter((h) => item.buildingId === null || h.buildingId === item.buildingId);

/** Each household's share of one item's residents' part (谁受益、谁出资), exact to the fen. */
function itemShares(item: TermItem, scope: readonly ScopeHousehold[]): Map<number, bigint> {
	const units = served(item, scope).map((h) => ({ householdId: h.id, areaCenti: h.areaCenti }));
	if (units.length === 0) return new Map();
	return splitCost(item.residentCents, item.split, units);
}

/**
 * The terms of one household's agreement: the public items and its own building's items, each
 * with its share. A household outside the scope has no terms (null).
 */
export function householdTerms(
	items: readonly TermItem[],
	scope: readonly ScopeHousehold[],
	householdId: number,
): HouseholdTerms | null {
	const household = scope.find((h) => h.id === householdId);
	if (!household) return null;
	const mine: HouseholdTerms['items'] = [];
	let totalCents = 0n;
	for (const item of items) {
		if (item.buildingId !== null && item.buildingId !== household.buildingId) continue;
		const cents = itemShares(item, scope).get(householdId) ?? 0n;
		mine.push({ id: item.id, cents });
		totalCents += cents;
	}
	return { items: mine, totalCents };
}

export type AgreementBlocker = {
	itemId: number;
	buildingId: number;
	paying: number;
	missing: number;
};

/**
 * The gate before works start (开工): a building item that its households pay for (e.g. 加装电梯,
 * an elevator) needs the agreement of every household that pays a share of it; public items
 * and items the government pays in full do not wait. Returns one blocker per such item still
 * missing agreements; none means the works may start.
 */
export function agreementBlockers(
	items: readonly TermItem[],
	scope: readonly ScopeHousehold[],
	agreed: ReadonlySet<number>,
): AgreementBlocker[] {
	const blockers: AgreementBlocker[] = [];
	for (const item of items) {
		if (item.buildingId === null || item.residentCents === 0n) continue;
		const paying = [...itemShares(item, scope)].filter(([, cents]) => cents > 0n);
		const missing = paying.filter(([id]) => !agreed.has(id)).length;
		if (missing > 0) {
			blockers.push({
				itemId: item.id,
				buildingId: item.buildingId,
				paying: paying.length,
				missing,
			});
		}
	}
	return blockers;
}
