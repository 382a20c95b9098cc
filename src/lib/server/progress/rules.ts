/** Pure rules of construction progress: item status and percent, defect lines, dates. */

export const ITEM_STATUSES = ['not_started', 'in_progress', 'done', 'dropped'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const MILESTONES = ['works_started', 'works_completed', 'joint_acceptance'] as const;
export type MilestoneKind = (typeof MILESTONES)[number];

export type ItemState = { status: ItemStatus; percent: number; reason: string };

/**
 * An item's state as an officer set it, made consistent: done is 100 %, not started 0 %; a
 * dropped item keeps its percent (work done before it was dropped) and must say why
 * ("不合理建议针对性沟通": residents are owed the reason). Returns null when it cannot be made
 * consistent: a percent outside 0–100 or not whole, or a dropped item without a reason.
 */
export function normaliseItemState(input: ItemState): ItemState | null {
	const reason = input.reason.trim();
	if (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100) return null;
	switch (input.status) {
		case 'done':
			return { status: 'done', percent: 100, reason: '' };
		case 'not_started':
			return { status: 'not_started', percent: 0, reason: '' };
		case 'dropped':
			return reason ? { status: 'dropped', percent: input.percent, reason } : null;
		case 'in_progress':
			return { status: 'in_progress', percent: input.percent, reason: '' };
	}
}

/** Whether two states differ (an update records only the items it changed). */
export function stateChanged(before: ItemState | undefined, after: ItemState): boolean {
	const was = before ?? { status: 'not_started', percent: 0, reason: '' };
	return (
		was.status !== after.status || was.percent !== after.percent || was.reason !== after.reason
	);
}

/** "itemId:buildingId" (0 for the whole project) — the key of an item in forms. */
export function itemKey(itemId: number, buildingId: number | null): string {
	return `${itemId}:${buildingId ?? 0}`;
}

export function parseItemKey(key: string): { itemId: number; buildingId: number | null } | null {
	const match = /^(\d{1,9}):(\d{1,9})$/.exec(key);
	if (!match) return null;
	const itemId = Number(match[1]);
	const buildingId = Number(match[2]);
	return itemId > 0 ? { itemId, buildingId: buildingId > 0 ? buildingId : null } : null;
}

/** Today's date in China (UTC+8, no daylight saving) as YYYY-MM-DD. */
export function chinaToday(now: Date): string {
	return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export type DefectLine = { dueOn: string; description: string };

/**
 * Defects found at acceptance, one per line: "YYYY-MM-DD description" (the deadline first).
 * Blank lines are skipped. Returns the defects, or the 1-based number of the first bad line.
 */
export function parseDefectLines(
	text: string,
): { ok: true; defects: DefectLine[] } | { ok: false; line: number } {
	const defects: DefectLine[] = [];
	const lines = text.split(/\r?\n/);
	for (const [index, raw] of lines.entries()) {
		const line = raw.trim();
		if (!line) continue;
		const match = /^(\d{4}-\d{2}-\d{2})[\s,，:：]+(.{1,300})$/.exec(line);
		if (!match || !isIsoDate(match[1]!)) return { ok: false, line: index + 1 };
		defects.push({ dueOn: match[1]!, description: match[2]!.trim() });
	}
	return { ok: true, defects };
}

/** Non-empty trimmed lines of a textarea (participating units, representatives, opinions). */
export function lines(text: string, max = 100): string[] {
	return text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean)
		.slice(0, max);
}

/**
 * The overall percent complete of a project's items: the mean over items not dropped, rounded
 * down (never shows 100 % before everything is done). Null when there is nothing to count.
 */
export function overallPercent(items: { status: ItemStatus; percent: number }[]): number | null {
	const counted = items.filter((i) => i.status !== 'dropped');
	if (counted.length === 0) return null;
	const total = counted.reduce((sum, i) => sum + i.percent, 0);
	return Math.floor(total / counted.length);
}
