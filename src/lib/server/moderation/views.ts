/**
 * What moderation adds to the opinions module's public reads (the plan page): which states the
 * public sees, the notice shown instead of a hidden text, and the official answers.
 */
import { and, eq, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { opinionAnswers, opinions } from '../../../../db/schema/index.ts';
import { isHeld } from './rules.ts';
import type { AnswerView, Disposition, OpinionModeration, OpinionState } from './types.ts';

/**
 * Opinions everyone sees: published ones, and those the committee hid — in place, as "hidden
 * by the committee: reason" without their text, so a removal is never silent. Held (hidden
 * after reports, not reviewed yet), pending and rejected opinions are their author's only.
 */
export function shownToPublic(): SQL {
	return and(
		// Withdrawn by its author (issue 19): kept, shown to its author only.
		isNull(opinions.withdrawnAt),
		or(
			eq(opinions.state, 'published'),
			and(eq(opinions.state, 'hidden'), ne(opinions.stateReason, '')),
		),
	)!;
}

/** The notice an opinion carries for its state (null when published or pending). */
export function moderationNotice(state: OpinionState, reason: string): OpinionModeration['notice'] {
	if (isHeld(state, reason)) return { kind: 'held' };
	if (state === 'hidden') return { kind: 'hidden', reason };
	if (state === 'rejected') return { kind: 'rejected', reason };
	return null;
}

/** Whether a viewer may read the text: published and pending texts always, others by the author. */
export const textShown = (state: OpinionState, mine: boolean): boolean =>
	mine || state === 'published' || state === 'pending';

const toAnswer = (row: typeof opinionAnswers.$inferSelect): AnswerView => ({
	disposition: row.disposition as Disposition,
	body: row.body,
	revision: row.revision,
	edited: row.revision > 1,
	answeredAt: row.createdAt,
	updatedAt: row.updatedAt,
});

/** The official answers of these opinions, by opinion id (one query). */
export async function answersFor(db: Executor, ids: number[]): Promise<Map<number, AnswerView>> {
	if (ids.length === 0) return new Map();
	const rows = await db.select().from(opinionAnswers).where(inArray(opinionAnswers.opinionId, ids));
	return new Map(rows.map((row) => [row.opinionId, toAnswer(row)]));
}

/** Fills in the answers of top-level opinions (replies are discussion, never answered). */
export async function attachAnswers(
	db: Executor,
	items: { id: number; moderation?: OpinionModeration }[],
): Promise<void> {
	const answers = await answersFor(
		db,
		items.map((i) => i.id),
	);
	for (const item of items)
		if (item.moderation) item.moderation.answer = answers.get(item.id) ?? null;
}
