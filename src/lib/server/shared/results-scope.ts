/**
 * Which part of a results page's per-building detail a viewer gets (issue 19): the whole
 * scope's summary always; per-building cards for every building while the scope is small, and
 * for one compound otherwise — the one asked for (a GET filter), else the viewer's own. A
 * district-wide survey of 2,000 buildings so never sends more than one compound's cards, and
 * the page stays under the 60 KB compressed budget whatever the scope.
 */

/** Up to this many buildings a results page lists them all. */
export const ALL_BUILDINGS_UP_TO = 60;

export type ResultsScope =
	/** Every building is listed (a small scope). */
	| { kind: 'all' }
	/** One compound's buildings: asked for (`requested`) or the viewer's own. */
	| { kind: 'compound'; compoundId: number; requested: boolean }
	/** A large scope and nothing asked for: the summary and the filter only. */
	| { kind: 'none' };

/**
 * @param compoundIds the compounds of the results' scope
 * @param buildings how many buildings the scope has
 * @param requested the `compound` query parameter, parsed (NaN when absent or malformed)
 * @param own the viewer's own compounds (a resident's memberships; empty for anyone else)
 */
export function chooseResultsScope(input: {
	compoundIds: readonly number[];
	buildings: number;
	requested: number;
	own: readonly number[];
}): ResultsScope {
	const { compoundIds, buildings, requested, own } = input;
	if (compoundIds.includes(requested)) {
		return { kind: 'compound', compoundId: requested, requested: true };
	}
	if (buildings <= ALL_BUILDINGS_UP_TO) return { kind: 'all' };
	const mine = own.find((id) => compoundIds.includes(id));
	return mine === undefined
		? { kind: 'none' }
		: { kind: 'compound', compoundId: mine, requested: false };
}

/** Rows of a results view the chosen scope shows (`compoundId` is the compound a row lies in). */
export function rowsInScope<T extends { compoundId: number | null }>(
	rows: readonly T[],
	scope: ResultsScope,
): T[] {
	if (scope.kind === 'all') return [...rows];
	if (scope.kind === 'none') return [];
	return rows.filter((row) => row.compoundId === scope.compoundId);
}
