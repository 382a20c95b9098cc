import { effectiveStatus, type StoredStatus } from '../plans/index.ts';
import type {
	Alignment,
	AlignmentCounts,
	AuthorLabel,
	OpinionOrder,
	OpinionTarget,
} from './types.ts';

export const OPINIONS_PAGE_SIZE = 20;

export type WindowState = 'hidden' | 'not_yet' | 'open' | 'closed';

/**
 * Where a version's comment window stands at `now` (the plans module's rule: an open version
 * takes comments in [opens, closes)): a draft is not public ('hidden'), an open version before
 * its window is 'not_yet', everything else 'closed'. The server decides this on every write:
 * the page's form is a convenience, never the check.
 */
export function windowState(
	version: { status: StoredStatus; opensAt: Date | null; closesAt: Date | null },
	now: Date,
): WindowState {
	const status = effectiveStatus(
		{ status: version.status, commentOpensAt: version.opensAt, commentClosesAt: version.closesAt },
		now,
	);
	if (status === 'draft') return 'hidden';
	if (status === 'upcoming') return 'not_yet';
	// The schema requires both dates once published; without them nothing is accepted.
	if (status === 'open' && version.opensAt && version.closesAt) return 'open';
	return 'closed';
}

/**
 * How the public sees an author (PRODUCT.md capability 2: "3号楼住户", never a phone number or a
 * name). A deleted account shows as "已注销用户" whatever it wrote (PIPL: the person is gone,
 * the opinion stays); without a household in the project's compounds, just "居民".
 */
export function authorLabel(author: { deleted: boolean; building: string }): AuthorLabel {
	if (author.deleted) return { key: 'resident.deleted' };
	if (author.building) return { key: 'resident.label', params: { building: author.building } };
	return { key: 'opinions.author.resident' };
}

/**
 * The household an author writes from: their first binding in one of the project's compounds
 * (so "3号楼住户" is a building of this project), or none.
 */
export function authorHousehold(
	memberships: readonly { householdId: number; compoundId: number; buildingNumber: string }[],
	compoundIds: readonly number[],
): { householdId: number | null; building: string } {
	const membership = memberships.find((m) => compoundIds.includes(m.compoundId));
	return {
		householdId: membership?.householdId ?? null,
		building: membership?.buildingNumber ?? '',
	};
}

export const emptyCounts = (): AlignmentCounts => ({ support: 0, object: 0, neutral: 0, total: 0 });

/** Reads an ordering from a query string; anything unknown is the default, newest first. */
export function parseOrder(raw: string | null | undefined): OpinionOrder {
	return raw === 'supported' ? 'supported' : 'newest';
}

/** A position filter from a query string: support, object, neutral, or none. */
export function parseStance(raw: string | null | undefined): Alignment | undefined {
	return raw === 'support' || raw === 'object' || raw === 'neutral' ? raw : undefined;
}

/** An "answered" filter from a query string: 'yes', 'no', or none. */
export function parseAnswered(raw: string | null | undefined): boolean | undefined {
	return raw === 'yes' ? true : raw === 'no' ? false : undefined;
}

/** A page number from a query string: a positive integer, or 1. */
export function parsePage(raw: string | null | undefined): number {
	if (!raw || !/^\d{1,6}$/.test(raw)) return 1;
	return Math.max(1, Number(raw));
}

/** Pages for `total` items (at least one, so "page 1 of 1" reads right when empty). */
export function pageCount(total: number, size = OPINIONS_PAGE_SIZE): number {
	return Math.max(1, Math.ceil(total / size));
}

/** A target as a short URL value: "version", "r12" (a rendering), "i7" (an item). */
export function formatTarget(target: OpinionTarget | undefined): string {
	if (target === undefined) return '';
	if (target === 'version') return 'version';
	return 'renderingId' in target ? `r${target.renderingId}` : `i${target.planItemId}`;
}

/** The inverse of formatTarget; anything else means "every target". */
export function parseTarget(raw: string | null | undefined): OpinionTarget | undefined {
	if (raw === 'version') return 'version';
	const match = /^([ri])([1-9]\d{0,9})$/.exec(raw ?? '');
	if (!match) return undefined;
	const id = Number(match[2]);
	if (id > 2_147_483_647) return undefined;
	return match[1] === 'r' ? { renderingId: id } : { planItemId: id };
}
