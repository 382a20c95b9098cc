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
