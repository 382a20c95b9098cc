import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import {
	opinionAnswerRevisions,
	opinionAnswers,
	planChanges,
	planItems,
	planVersions,
} from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { notify, type NotificationInput } from '../../notifications/index.ts';
import { parseOrThrow } from '../../opinions/index.ts';
import type { Actor, StaffActor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { answerLink, loadScopedOpinion, type ScopedOpinion } from '../access.ts';
import { needsCarrier, parseCarrier, type Carrier } from '../rules.ts';
import {
	answerInput,
	answerManyInput,
	type AnswerInput,
	type AnswerManyInput,
} from '../schemas.ts';
import type { Disposition } from '../types.ts';
import { applyDecision, finishDecisions, type Applied } from './moderate.ts';

type AnswerData = { disposition: Disposition; body: string; carrier: Carrier | null };
export type AnswerOutcome = { answerId: number; revision: number; changed: boolean };

/**
 * The carrier's row ids, checked against the opinion: an item or a change of a LATER version of
 * the same project (a plan changes after the opinion, never before it).
 * @throws DomainError invalid (moderation.carrierInvalid)
 */
async function carrierColumns(tx: Tx, opinion: ScopedOpinion, carrier: Carrier | null) {
	const none = { carrierItemId: null, carrierChangeId: null };
	if (carrier === null || carrier.kind === 'next') return none;
	const table = carrier.kind === 'item' ? planItems : planChanges;
	const [row] = await tx
		.select({ projectId: planVersions.projectId, number: planVersions.number })
		.from(table)
		.innerJoin(planVersions, eq(planVersions.id, table.planVersionId))
		.where(and(eq(table.id, carrier.id)));
	if (!row || row.projectId !== opinion.projectId || row.number <= opinion.versionNumber)
		throw new DomainError('invalid', 'moderation.carrierInvalid');
	return carrier.kind === 'item'
		? { carrierItemId: carrier.id, carrierChangeId: null }
		: { carrierItemId: null, carrierChangeId: carrier.id };
}

/**
 * Writes one opinion's answer (first or revised), its revision row and audit entry; returns the
 * outcome and the author's notification (null when nothing changed or the opinion came offline).
 */
async function writeAnswer(
	tx: Tx,
	staff: StaffActor,
	opinion: ScopedOpinion,
	data: AnswerData,
	now: Date,
): Promise<AnswerOutcome & { note: NotificationInput | null }> {
	if (opinion.parentId !== null) throw new DomainError('invalid', 'moderation.answerReply');
	if (opinion.state !== 'published')
		throw new DomainError('invalid', 'moderation.answerUnpublished');
	const carried = needsCarrier(data.disposition)
		? await carrierColumns(tx, opinion, data.carrier)
		: { carrierItemId: null, carrierChangeId: null };
	const [current] = await tx
		.select()
		.from(opinionAnswers)
		.where(eq(opinionAnswers.opinionId, opinion.id));
	if (
		current &&
		current.disposition === data.disposition &&
		current.body === data.body &&
		current.carrierItemId === carried.carrierItemId &&
		current.carrierChangeId === carried.carrierChangeId
	)
		return { answerId: current.id, revision: current.revision, changed: false, note: null };
	const values = { disposition: data.disposition, body: data.body };
	const [answer] = current
		? await tx
				.update(opinionAnswers)
				.set({
					...values,
					...carried,
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
					...carried,
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
	const kind = current ? 'opinion.answer_revised' : 'opinion.answered';
	await appendAudit(tx, {
		actorId: staff.userId,
		actorKind: 'staff',
		action: kind,
		targetType: 'opinion',
		targetId: opinion.id,
		communityId: opinion.communityId,
		details: {
			disposition: data.disposition,
			revision: answer!.revision,
			carrierItemId: carried.carrierItemId ?? undefined,
			carrierChangeId: carried.carrierChangeId ?? undefined,
		},
	});
	const note: NotificationInput | null =
		opinion.authorId === null
			? null
			: {
					userId: opinion.authorId,
					kind,
					params: {
						project: opinion.projectName,
						projectEn: opinion.projectNameEn,
						disposition: data.disposition,
						opinionId: opinion.id,
					},
					link: answerLink(opinion),
					projectId: opinion.projectId,
				};
	return { answerId: answer!.id, revision: answer!.revision, changed: true, note };
}

/** The answer's data from parsed input (the schema refused 采纳 / 部分采纳 without a carrier). */
function answerData(data: {
	disposition: Disposition;
	body: string;
	carrier?: string | null | undefined;
}) {
	const carrier = parseCarrier(data.carrier);
	if (needsCarrier(data.disposition) && carrier === null)
		throw new DomainError('invalid', 'moderation.carrierRequired');
	return { disposition: data.disposition, body: data.body, carrier };
}

/**
 * The committee's official answer to published top-level opinions, one answer text for all of
 * them ("合理建议认真吸纳，不合理建议针对性沟通": every opinion gets an answer — adopted, or why
 * not). Each opinion gets its own answer record (first, or a revision: every revision is kept),
 * its own audit entry and its own notification to its author. With `approve`, a pending (or
 * queued) opinion is approved first in the same transaction (one step for the moderator). 采纳
 * and 部分采纳 name what carries the opinion: an item or change of a later version of its
 * project, or "in the next version". All or nothing; an identical resubmission changes nothing.
 *
 * @returns per opinion (in id order) its answer's id, revision and whether anything changed.
 * @throws DomainError invalid (input, a reply, an opinion not published, a carrier missing or
 *   of another project) | unauthenticated | forbidden | not_found (another community's).
 */
export async function answerOpinions(
	db: Db,
	actor: Actor | null,
	input: AnswerManyInput,
	now = new Date(),
): Promise<{ answers: AnswerOutcome[]; changed: number; approved: number }> {
	const parsed = parseOrThrow(answerManyInput, input);
	const data = answerData(parsed);
	const ids = [...new Set(parsed.ids)].sort((a, b) => a - b);
	return db.transaction(async (tx) => {
		const answers: AnswerOutcome[] = [];
		const approvals: Applied[] = [];
		const loaded: ScopedOpinion[] = [];
		let staff: StaffActor | null = null;
		// In id order, so two grouped answers over overlapping sets lock rows in the same order.
		for (const id of ids) {
			const action = parsed.approve ? 'opinion.moderate' : 'opinion.answer';
			const scoped = await loadScopedOpinion(tx, actor, id, action, { lock: true });
			staff = scoped.staff;
			let opinion = scoped.opinion;
			if (parsed.approve) {
				const applied = await applyDecision(tx, staff, opinion, 'approve', '');
				if (applied) {
					approvals.push(applied);
					opinion = { ...opinion, state: applied.decision.to };
				}
			}
			loaded.push(opinion);
		}
		if (!staff) throw new DomainError('invalid', 'moderation.noneSelected');
		// The approvals' audit entries and notifications first: approved, then answered.
		if (approvals.length) await finishDecisions(tx, staff, approvals);
		const notes: NotificationInput[] = [];
		for (const opinion of loaded) {
			const { note, ...outcome } = await writeAnswer(tx, staff, opinion, data, now);
			if (note) notes.push(note);
			answers.push(outcome);
		}
		if (notes.length) await notify(tx, notes);
		return {
			answers,
			changed: answers.filter((a) => a.changed).length,
			approved: approvals.length,
		};
	});
}

/**
 * One opinion's official answer (see `answerOpinions`): approve-and-answer with `approve`.
 * @returns the answer's id, its revision, and whether anything changed.
 */
export async function answerOpinion(
	db: Db,
	actor: Actor | null,
	input: AnswerInput,
	now = new Date(),
): Promise<AnswerOutcome> {
	const data = parseOrThrow(answerInput, input);
	const { answers } = await answerOpinions(db, actor, { ...data, ids: [data.opinionId] }, now);
	return answers[0]!;
}
