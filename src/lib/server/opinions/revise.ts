/**
 * A resident edits or withdraws their own opinion until the committee answers it (issue 19).
 * The earlier text is kept (opinion_revisions) and every change is audited: what residents and
 * the committee read can always be traced. An edit is screened like a new opinion (pre-
 * moderation, sensitive words): if the new text needs review, the opinion waits again.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../../db/client.ts';
import { opinionAnswers, opinionRevisions, opinions } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { recordRescreening, screenOpinion } from '../moderation/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { getOpinionContext } from './queries.ts';
import { windowState } from './rules.ts';
import { parseOrThrow, reviseOpinionInput, withdrawOpinionInput } from './schemas.ts';
import type { Alignment } from './types.ts';

/** The author's own opinion, locked, still theirs to change: not withdrawn, not answered. */
async function ownOpinion(tx: Tx, actor: Actor | null, opinionId: number) {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	const [row] = await tx
		.select({
			id: opinions.id,
			planVersionId: opinions.planVersionId,
			body: opinions.body,
			alignment: opinions.alignment,
			state: opinions.state,
		})
		.from(opinions)
		.where(
			and(
				eq(opinions.id, opinionId),
				eq(opinions.authorId, actor.userId),
				isNull(opinions.withdrawnAt),
			),
		)
		.for('update');
	// Someone else's opinion answers exactly like a missing one.
	if (!row) throw new DomainError('not_found', 'error.notFound');
	if (row.state === 'hidden' || row.state === 'rejected')
		throw new DomainError('conflict', 'opinions.revise.moderated');
	const [answer] = await tx
		.select({ id: opinionAnswers.id })
		.from(opinionAnswers)
		.where(eq(opinionAnswers.opinionId, opinionId));
	if (answer) throw new DomainError('conflict', 'opinions.revise.answered');
	return { ...row, userId: actor.userId };
}

async function keepRevision(
	tx: Tx,
	row: { id: number; body: string; alignment: Alignment },
	kind: 'edit' | 'withdraw',
	now: Date,
) {
	await tx
		.insert(opinionRevisions)
		.values({ opinionId: row.id, kind, body: row.body, alignment: row.alignment, replacedAt: now });
}

/**
 * Replaces the text and position of the resident's own opinion while its version takes comments
 * and before any answer. @returns the opinion's state after screening.
 * @throws DomainError unauthenticated | not_found | invalid | closed | conflict (answered,
 *   hidden or rejected by moderation, unchanged).
 */
export async function reviseOpinion(
	db: Db,
	actor: Actor | null,
	input: unknown,
	now = new Date(),
): Promise<{ state: 'pending' | 'published' }> {
	const data = parseOrThrow(reviseOpinionInput, input);
	return db.transaction(async (tx) => {
		const row = await ownOpinion(tx, actor, data.opinionId);
		const context = await getOpinionContext(tx, row.planVersionId, { lock: true });
		if (!context || windowState(context, now) !== 'open')
			throw new DomainError('closed', 'opinions.closed');
		if (row.body === data.body && row.alignment === data.alignment)
			throw new DomainError('conflict', 'opinions.revise.unchanged');
		const screening = await screenOpinion(
			tx,
			{
				userId: row.userId,
				projectId: context.projectId,
				moderation: context.moderation,
				body: data.body,
			},
			now,
		);
		// A pending opinion stays pending; a published one waits again if the new text must.
		const state = row.state === 'pending' ? 'pending' : screening.state;
		await keepRevision(tx, row, 'edit', now);
		await tx
			.update(opinions)
			.set({ body: data.body, alignment: data.alignment, state, editedAt: now })
			.where(eq(opinions.id, row.id));
		await recordRescreening(tx, row.id, screening, now);
		await appendAudit(tx, {
			actorId: row.userId,
			actorKind: 'resident',
			action: 'opinion.revised',
			targetType: 'opinion',
			targetId: row.id,
			details: { state, alignment: data.alignment },
			at: now,
		});
		return { state };
	});
}

/**
 * Withdraws the resident's own opinion before any answer: it stays stored with its text, is
 * shown to its author only, and leaves the counts. @throws DomainError unauthenticated |
 * not_found | conflict (answered, hidden or rejected by moderation).
 */
export async function withdrawOpinion(
	db: Db,
	actor: Actor | null,
	input: unknown,
	now = new Date(),
): Promise<void> {
	const data = parseOrThrow(withdrawOpinionInput, input);
	await db.transaction(async (tx) => {
		const row = await ownOpinion(tx, actor, data.opinionId);
		await keepRevision(tx, row, 'withdraw', now);
		await tx.update(opinions).set({ withdrawnAt: now }).where(eq(opinions.id, row.id));
		await appendAudit(tx, {
			actorId: row.userId,
			actorKind: 'resident',
			action: 'opinion.withdrawn',
			targetType: 'opinion',
			targetId: row.id,
			at: now,
		});
	});
}
