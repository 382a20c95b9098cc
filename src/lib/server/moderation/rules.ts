/** Moderation rules, pure: what each decision may change, and the numbers staff see. */
import type { ModerationOp, OpinionState, QueueReason, QueueStatus } from './types.ts';
import { moderationCauses, queueAges, queueStatuses } from './types.ts';
import { reportReasons } from '../opinions/index.ts';

const DAY_MS = 86_400_000;

/**
 * Hidden after reports and not reviewed yet ("held"): the committee's own hide always carries a
 * reason, an automatic one never does.
 */
export const isHeld = (state: OpinionState, reason: string): boolean =>
	state === 'hidden' && reason === '';

export type Decision = {
	to: OpinionState;
	reason: string;
	/** The notification kind for the author, if the author should hear of it. */
	notify: 'opinion.approved' | 'opinion.hidden' | 'opinion.restored' | 'opinion.rejected' | null;
};

/**
 * What a moderator's decision does to an opinion in `state` (with `reason`, and whether it is
 * in the open queue), or null when the decision does not apply:
 * - approve: a pending opinion is published; a held one is published again; a published one
 *   in the queue (reported, below the threshold) stays published and leaves the queue;
 * - hide (with a reason): pending, published or held → hidden, the reason shown to all;
 * - restore: hidden or rejected → published;
 * - reject (with a reason): anything not yet rejected → rejected, seen by its author only.
 * Content is never deleted (STYLE.md): every decision changes state and keeps the text.
 */
export function decide(
	op: ModerationOp,
	current: { state: OpinionState; reason: string; queued: boolean },
	reason: string,
): Decision | null {
	const { state } = current;
	const held = isHeld(state, current.reason);
	switch (op) {
		case 'approve':
			if (state === 'pending') return { to: 'published', reason: '', notify: 'opinion.approved' };
			if (held) return { to: 'published', reason: '', notify: 'opinion.restored' };
			if (state === 'published' && current.queued)
				return { to: 'published', reason: '', notify: null };
			return null;
		case 'hide':
			if (!reason) return null;
			if (state === 'pending' || state === 'published' || held)
				return { to: 'hidden', reason, notify: 'opinion.hidden' };
			return null;
		case 'restore':
			if (state === 'hidden' || state === 'rejected')
				return { to: 'published', reason: '', notify: 'opinion.restored' };
			return null;
		case 'reject':
			if (!reason || state === 'rejected') return null;
			return { to: 'rejected', reason, notify: 'opinion.rejected' };
	}
}

/** Whole days an opinion has waited at `now` (0 on the first day). */
export function waitingDays(since: Date, now: Date): number {
	return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** The end of a block of `days` days from `now`. */
export const blockEnd = (now: Date, days: number): Date => new Date(now.getTime() + days * DAY_MS);

/** Queue filters from a query string; anything unknown is the default. */
export function parseQueueQuery(query: URLSearchParams): {
	status: QueueStatus;
	projectId: number | undefined;
	reason: QueueReason | undefined;
	olderThanDays: number | undefined;
	page: number;
} {
	const status = queueStatuses.find((s) => s === query.get('status')) ?? 'open';
	const reasons: readonly string[] = [...moderationCauses, ...reportReasons];
	const reasonRaw = query.get('reason') ?? '';
	const reason = reasons.includes(reasonRaw) ? (reasonRaw as QueueReason) : undefined;
	const project = /^[1-9]\d{0,8}$/.test(query.get('project') ?? '')
		? Number(query.get('project'))
		: undefined;
	const age = Number(query.get('age'));
	const olderThanDays = (queueAges as readonly number[]).includes(age) ? age : undefined;
	const pageRaw = query.get('page') ?? '';
	const page = /^\d{1,6}$/.test(pageRaw) ? Math.max(1, Number(pageRaw)) : 1;
	return { status, projectId: project, reason, olderThanDays, page };
}

/**
 * What carries an adopted opinion into a later plan version (issue 21 "adopted means changed"):
 * an item (`item:<id>`) or a listed change (`change:<id>`) of a later version, or `next` — "in
 * the next version", to be linked when it exists.
 */
export type Carrier =
	{ kind: 'next' } | { kind: 'item'; id: number } | { kind: 'change'; id: number };

/** 采纳 and 部分采纳 promise a change, so they name what carries it; the others carry nothing. */
export const needsCarrier = (disposition: string): boolean =>
	disposition === 'adopted' || disposition === 'partly_adopted';

/**
 * Reads the carrier a form sent: `next`, `item:<id>`, `change:<id>`. `undefined` (a caller that
 * did not ask, such as a script) counts as `next`; '' (the form's "choose…") is no choice, and
 * anything else is invalid: both null.
 */
export function parseCarrier(value: string | null | undefined): Carrier | null {
	if (value === undefined || value === null) return { kind: 'next' };
	if (value === 'next') return { kind: 'next' };
	const match = /^(item|change):([1-9]\d{0,9})$/.exec(value);
	if (!match) return null;
	const id = Number(match[2]);
	if (id > 2_147_483_647) return null;
	return { kind: match[1] as 'item' | 'change', id };
}

/** The first characters of an opinion for a list, whole characters, with an ellipsis if cut. */
export function excerpt(body: string, max = 80): string {
	const chars = [...body.replace(/\s+/g, ' ').trim()];
	return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

/** The staff digest goes out at 18:00 China time (10:00 UTC): today's, or tomorrow's if past. */
export function digestRunAt(now: Date): Date {
	const at = new Date(now);
	at.setUTCHours(10, 0, 0, 0);
	if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
	return at;
}
