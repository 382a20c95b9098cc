import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { commentBlocks } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { parseOrThrow } from '../../opinions/index.ts';
import { can } from '../../policy/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadScopedOpinion, requireStaffActor } from '../access.ts';
import { blockEnd } from '../rules.ts';
import { blockInput, liftBlockInput, type BlockInput } from '../schemas.ts';

/**
 * Blocks the author of an opinion from commenting in the moderator's community for `days` days
 * (the moderator never sees who the author is: the block goes through the opinion). While it
 * runs, `postOpinion` refuses the resident with the block's end date. Audited.
 *
 * @throws DomainError invalid (input; an opinion recorded offline has no account to block) |
 *   unauthenticated | forbidden | not_found (another community's opinion).
 */
export async function blockAuthor(
	db: Db,
	actor: Actor | null,
	input: BlockInput,
	now = new Date(),
): Promise<{ blockId: number; endsAt: Date }> {
	const data = parseOrThrow(blockInput, input);
	return db.transaction(async (tx) => {
		const { staff, opinion } = await loadScopedOpinion(
			tx,
			actor,
			data.opinionId,
			'opinion.moderate',
		);
		if (opinion.authorId === null) throw new DomainError('invalid', 'moderation.noAccount');
		const endsAt = blockEnd(now, data.days);
		const [row] = await tx
			.insert(commentBlocks)
			.values({
				userId: opinion.authorId,
				communityId: opinion.communityId,
				opinionId: opinion.id,
				reason: data.reason,
				endsAt,
				createdBy: staff.userId,
				createdAt: now,
			})
			.returning({ id: commentBlocks.id });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'resident.blocked',
			targetType: 'opinion',
			targetId: opinion.id,
			communityId: opinion.communityId,
			details: {
				blockId: row!.id,
				days: data.days,
				endsAt: endsAt.toISOString(),
				reason: data.reason,
			},
		});
		return { blockId: row!.id, endsAt };
	});
}

/**
 * Lifts a running block before its end (kept, marked lifted). Audited.
 * @throws DomainError unauthenticated | forbidden | not_found (no such running block in the
 *   actor's communities).
 */
export async function liftBlock(
	db: Db,
	actor: Actor | null,
	input: { blockId: number | string },
	now = new Date(),
): Promise<void> {
	const staff = requireStaffActor(actor);
	const { blockId } = parseOrThrow(liftBlockInput, input);
	await db.transaction(async (tx) => {
		const [block] = await tx
			.select({ id: commentBlocks.id, communityId: commentBlocks.communityId })
			.from(commentBlocks)
			.where(and(eq(commentBlocks.id, blockId), isNull(commentBlocks.liftedAt)))
			.for('update');
		if (!block || !can(staff, 'opinion.moderate', { communityId: block.communityId }))
			throw new DomainError('not_found', 'error.notFound');
		await tx
			.update(commentBlocks)
			.set({ liftedAt: now, liftedBy: staff.userId })
			.where(eq(commentBlocks.id, block.id));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'resident.unblocked',
			targetType: 'comment_block',
			targetId: block.id,
			communityId: block.communityId,
		});
	});
}
