/**
 * Candidate compounds (issue 22; seeds/000, 001, 004: 居民改造意愿强、参与积极性高的小区优先):
 * which compounds qualify, and in which order the district considers them. Pure, unit-tested.
 */

/** Qualifies: built before the district's cutoff year. An unknown build year does not qualify. */
export function isEligible(builtYear: number | null, builtBefore: number): boolean {
	return builtYear !== null && builtYear < builtBefore;
}

export type CandidateFacts = {
	compoundId: number;
	builtYear: number | null;
	/** Households in the latest needs round's scope in this compound (0: no needs round yet). */
	households: number;
	/** Of those, households that answered. */
	responded: number;
	/** Of those, households that want at least one item (said "agree" to any item). */
	willing: number;
};

/**
 * THE ranking rule: first by willingness over ALL households (willing ÷ households: a compound
 * where many did not answer cannot rank on the few who did), then by participation (responded
 * ÷ households), then the older compound first, then the smaller id. Ratios compare exactly by
 * cross-multiplication; a compound without a needs round counts as 0 ÷ 0 = lowest.
 */
export function rankCandidates<T extends CandidateFacts>(list: readonly T[]): T[] {
	const ratio = (a: number, b: number, c: number, d: number) =>
		// a/b vs c/d, with x/0 treated as 0
		(b === 0 ? 0 : a) * (d === 0 ? 1 : d) - (d === 0 ? 0 : c) * (b === 0 ? 1 : b);
	return [...list].sort(
		(x, y) =>
			-ratio(x.willing, x.households, y.willing, y.households) ||
			-ratio(x.responded, x.households, y.responded, y.households) ||
			(x.builtYear ?? 9999) - (y.builtYear ?? 9999) ||
			x.compoundId - y.compoundId,
	);
}

/** A whole percentage for display (rounded down, so 66.7 % shows as 66 %, never an inflated 67). */
export function percent(part: number, whole: number): number {
	return whole === 0 ? 0 : Math.floor((part * 100) / whole);
}
