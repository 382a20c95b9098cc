import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import { moderationFlags, opinions } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { type NotificationInput, notify, notifyReplyPublished } from '../../notifications/index.ts';
import { parseOrThrow } from '../../opinions/index.ts';
import type { Actor, StaffActor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadScopedOpinion, opinionLink, type ScopedOpinion } from '../access.ts';
import { decide, type Decision } from '../rules.ts';
import {
	bulkModerateInput,
	moderateInput,
	type BulkModerateInput,
	type ModerateInput,
} from '../schemas.ts';
import type { ModerationOp } from '../types.ts';

export type Applied = { opinion: ScopedOpinion; decision: Decision; op: ModerationOp };

/**
 * Applies one decision to a locked, in-scope opinion: its state and reason, its queue entry
 * closed (and marked reviewed, so only later reports count towards hiding it again), and the
 * author's notification. Returns null (and changes nothing) when the decision does not apply.
 */
export async function applyDecision(
	tx: Tx,
	staff: StaffActor,
	opinion: ScopedOpinion,
	op: ModerationOp,
	reason: string,
): Promise<Applied | null> {
	const queued = opinion.flagged !== null && opinion.flagResolvedAt === null;
	const decision = decide(
		op,
		{ state: opinion.state, reason: opinion.stateReason, queued },
		reason,
	);
	if (!decision) return null;
	await tx
		.update(opinions)
		.set({ state: decision.to, stateReason: decision.reason })
		.where(eq(opinions.id, opinion.id));
	if (opinion.flagged !== null)
		await tx
			.update(moderationFlags)
			.set({ resolvedAt: sql`now()`, resolvedBy: staff.userId, reviewedAt: sql`now()` })
			.where(eq(moderationFlags.opinionId, opinion.id));
	return { opinion, decision, op };
}

function notification(applied: Applied): NotificationInput | null {
	const { opinion, decision } = applied;
	if (!decision.notify || opinion.authorId === null) return null;
	return {
		userId: opinion.authorId,
		kind: decision.notify,
		params: {
			project: opinion.projectName,
			projectEn: opinion.projectNameEn,
			reason: decision.reason,
			opinionId: opinion.id,
		},
		link: opinionLink(opinion),
		projectId: opinion.projectId,
	};
}

/** A reply that was never public before (awaiting review, or rejected) and now is. */
const replyFirstShown = ({ opinion, decision }: Applied) =>
	opinion.parentId !== null &&
	decision.to === 'published' &&
	(opinion.state === 'pending' || opinion.state === 'rejected');

/**
 * Notifications (the author's, and the replied-to author's for a reply now first shown), then
 * one audit entry per changed opinion.
 */
export async function finishDecisions(
	tx: Tx,
	staff: StaffActor,
	applied: Applied[],
): Promise<void> {
	const notes = applied.map(notification).filter((n): n is NotificationInput => n !== null);
	if (notes.length) await notify(tx, notes);
	for (const reply of applied.filter(replyFirstShown))
		await notifyReplyPublished(tx, reply.opinion.id);
	for (const { opinion, decision, op } of applied)
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: `opinion.${op === 'approve' ? 'approved' : op === 'hide' ? 'hidden' : op === 'restore' ? 'restored' : 'rejected'}`,
			targetType: 'opinion',
			targetId: opinion.id,
			communityId: opinion.communityId,
			details: { from: opinion.state, to: decision.to, reason: decision.reason || undefined },
		});
}

/**
 * A moderator's decision on one opinion of their community (approve, hide with a reason,
 * restore, reject with a reason; see rules.ts `decide`). The author is notified in the same
 * transaction and the decision is audited.
 *
 * @returns the opinion's new state.
 * @throws DomainError invalid (input; hide/reject without a reason) | unauthenticated |
 *   forbidden | not_found (no such opinion, or another community's) | conflict (the decision
 *   does not apply to the opinion's current state, e.g. a colleague decided first).
 */
export async function moderateOpinion(
	db: Db,
	actor: Actor | null,
	input: ModerateInput,
): Promise<{ state: Decision['to'] }> {
	const data = parseOrThrow(moderateInput, input);
	return db.transaction(async (tx) => {
		const { staff, opinion } = await loadScopedOpinion(
			tx,
			actor,
			data.opinionId,
			'opinion.moderate',
			{ lock: true },
		);
		const applied = await applyDecision(tx, staff, opinion, data.op, data.reason);
		if (!applied) throw new DomainError('conflict', 'moderation.notApplicable');
		await finishDecisions(tx, staff, [applied]);
		return { state: applied.decision.to };
	});
}

/**
 * The same decision on several opinions at once (at most BULK_MAX), all or nothing: if any of
 * them is not the moderator's (or does not exist), nothing changes. Opinions the decision does
 * not apply to (already decided) are skipped and counted.
 *
 * @throws DomainError invalid | unauthenticated | forbidden | not_found.
 */
export async function bulkModerate(
	db: Db,
	actor: Actor | null,
	input: BulkModerateInput,
): Promise<{ changed: number; skipped: number }> {
	const data = parseOrThrow(bulkModerateInput, input);
	const ids = [...new Set(data.ids)].sort((a, b) => a - b);
	return db.transaction(async (tx) => {
		const applied: Applied[] = [];
		let staff: StaffActor | null = null;
		// In id order, so two bulk decisions over overlapping sets lock rows in the same order.
		for (const id of ids) {
			const loaded = await loadScopedOpinion(tx, actor, id, 'opinion.moderate', { lock: true });
			staff = loaded.staff;
			const done = await applyDecision(tx, loaded.staff, loaded.opinion, data.op, data.reason);
			if (done) applied.push(done);
		}
		if (staff && applied.length) await finishDecisions(tx, staff, applied);
		return { changed: applied.length, skipped: ids.length - applied.length };
	});
}
