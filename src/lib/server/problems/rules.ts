/** Pure rules of construction problem reports: the median time to close and its display. */

/**
 * The median of a list of numbers (the mean of the two middle values for an even count), or
 * null for an empty list. The input is not modified.
 */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Duration = { unit: 'hours' | 'days'; value: number };

/**
 * A duration in milliseconds as residents read it: whole hours (at least 1) under two days,
 * else days with one decimal, rounded half up.
 */
export function readableDuration(ms: number): Duration {
	const hours = ms / 3_600_000;
	if (hours < 48) return { unit: 'hours', value: Math.max(1, Math.round(hours)) };
	return { unit: 'days', value: Math.round((hours / 24) * 10) / 10 };
}

/** Whether a unit is one of the configured responsible units (PROBLEM_UNITS). */
export function isKnownUnit(units: readonly string[], unit: string): boolean {
	return units.includes(unit);
}

/** Stages during which residents may report construction problems: 施工 and 验收 (defects). */
export const REPORTABLE_STAGES: ReadonlySet<string> = new Set(['construction', 'acceptance']);

/**
 * Whole days a report is past its due date (派单 with a deadline) on `today` (YYYY-MM-DD,
 * Beijing): 0 when it is closed, has no due date, or is not yet due.
 */
export function daysOverdue(
	report: { status: string; dueOn: string | null },
	today: string,
): number {
	if (report.status === 'closed' || !report.dueOn || report.dueOn >= today) return 0;
	return Math.round(
		(Date.parse(`${today}T00:00:00Z`) - Date.parse(`${report.dueOn}T00:00:00Z`)) / 86_400_000,
	);
}
