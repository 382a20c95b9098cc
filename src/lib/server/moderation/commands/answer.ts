import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { opinionAnswerRevisions, opinionAnswers } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { notify } from '../../notifications/index.ts';
import { parseOrThrow } from '../../opinions/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { answerLink, loadScopedOpinion } from '../access.ts';
import { answerInput, type AnswerInput } from '../schemas.ts';
import type { Disposition } from '../types.ts';

/**
 * The committee's official answer to a published top-level opinion ("合理建议认真吸纳，不合理建议
 * 针对性沟通": every opinion gets an answer — adopted, or why not). A first answer creates it; a
 * later one revises it: the answer shows the new text marked as edited and every revision is
 * kept. Not adopted (不予采纳) needs the reason. The author (if the opinion came online) is
 * notified, and the answer is audited. An identical resubmission changes nothing.
 *
 * @returns the answer's id, its revision, and whether anything changed.
 * @throws DomainError invalid (input, a reply, an opinion not published) | unauthenticated |
 *   forbidden | not_found (no such opinion, or another community's).
 */
export async function answerOpinion(
	db: Db,
	actor: Actor | null,
	input: AnswerInput,
	now = new Date(),
): Promise<{ answerId: number; revision: number; changed: boolean }> {
	const data = parseOrThrow(answerInput, input);
	return db.transaction(async (tx) => {
		const { staff, opinion } = await loadScopedOpinion(
			tx,
			actor,
			data.opinionId,
			'opinion.answer',
			{ lock: true },
		);
		if (opinion.parentId !== null) throw new DomainError('invalid', 'moderation.answerReply');
		if (opinion.state !== 'published')
			throw new DomainError('invalid', 'moderation.answerUnpublished');
		const [current] = await tx
			.select()
			.from(opinionAnswers)
			.where(eq(opinionAnswers.opinionId, opinion.id));
		if (current && current.disposition === data.disposition && current.body === data.body)
			return { answerId: current.id, revision: current.revision, changed: false };
		const values = { disposition: data.disposition as Disposition, body: data.body };
		const [answer] = current
			? await tx
					.update(opinionAnswers)
					.set({
						...values,
						revision: sql`${opinionAnswers.revision} + 1`,
						answeredBy: staff.userId,
						updatedAt: now,
					})
					.where(eq(opinionAnswers.id, current.id))
					.returning({ id: opinionAnswers.id, revision: opinionAnswers.revision })
			: await tx
					.insert(opinionAnswers)
					.values({
						opinionId: opinion.id,
						...values,
						answeredBy: staff.userId,
						createdAt: now,
						updatedAt: now,
					})
					.returning({ id: opinionAnswers.id, revision: opinionAnswers.revision });
		await tx.insert(opinionAnswerRevisions).values({
			answerId: answer!.id,
			revision: answer!.revision,
			...values,
			editedBy: staff.userId,
			createdAt: now,
		});
		if (opinion.authorId !== null)
			await notify(tx, {
				userId: opinion.authorId,
				kind: current ? 'opinion.answer_revised' : 'opinion.answered',
				params: {
					project: opinion.projectName,
					projectEn: opinion.projectNameEn,
					disposition: data.disposition,
					opinionId: opinion.id,
				},
				link: answerLink(opinion),
				projectId: opinion.projectId,
			});
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: current ? 'opinion.answer_revised' : 'opinion.answered',
			targetType: 'opinion',
			targetId: opinion.id,
			communityId: opinion.communityId,
			details: { disposition: data.disposition, revision: answer!.revision },
		});
		return { answerId: answer!.id, revision: answer!.revision, changed: true };
	});
}
