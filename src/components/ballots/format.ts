/** Display helpers for the ballots pages (numbers stay exact until shown). */

/** A share for display, one decimal ("66.7%"); verdicts never use it. */
export function percent(part: number, whole: number): string {
	if (whole <= 0) return '—';
	return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** Fen → "1234.56" (yuan, exact). */
export function yuan(cents: bigint): string {
	const abs = cents < 0n ? -cents : cents;
	return `${cents < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * A result's rows for the compound a city-wide round's page shows (one at a time), or every
 * row when `compound` is null.
 */
export function inCompound<T extends { compoundId: number | null }>(
	rows: T[],
	compound: number | null,
): T[] {
	return rows.filter((r) => compound === null || r.compoundId === compound);
}
