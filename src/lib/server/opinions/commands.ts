import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import {
	opinionReactions,
	opinionReports,
	opinions,
	planItems,
	planVersions,
	renderings,
} from '../../../../db/schema/index.ts';
import { enforceRateLimits, limits } from '../auth/index.ts';
import {
	afterReport,
	notifyNewOpinion,
	recordScreening,
	screenOpinion,
} from '../moderation/index.ts';
import { followProject, notifyReplyPublished } from '../notifications/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, ResidentActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { getOpinionContext } from './queries.ts';
import { authorHousehold, windowState } from './rules.ts';
import {
	meTooInput,
	opinionCommandInput,
	parseOrThrow,
	reportInput,
	type OpinionCommandInput,
	type ReportInput,
} from './schemas.ts';
import type { OpinionContext } from './types.ts';

/** Transaction advisory lock namespace serialising one author's posts (duplicate check). */
const AUTHOR_LOCK_KEY = 7_340_213;

/** Only signed-in residents write, react and report (PRODUCT.md "People and roles"). */
function requireResident(actor: Actor | null): ResidentActor {
	if (actor === null) throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (!can(actor, 'opinion.write') || actor.kind !== 'resident')
		throw new DomainError('forbidden', 'opinions.residentsOnly');
	return actor;
}

/**
 * The version must be taking comments now. A draft is not public, so it does not exist for
 * residents; before the window opens and after it closes the answer is `closed`.
 */
function assertWindowOpen(context: OpinionContext | null, now: Date): OpinionContext {
	if (!context) throw new DomainError('not_found', 'error.notFound');
	const state = windowState(context, now);
	if (state === 'hidden') throw new DomainError('not_found', 'error.notFound');
	if (state === 'not_yet') throw new DomainError('closed', 'opinions.notOpenYet');
	if (state === 'closed') throw new DomainError('closed', 'opinions.closed');
	return context;
}

async function assertTarget(
	tx: Executor,
	planVersionId: number,
	target: { renderingId?: number | undefined; planItemId?: number | undefined },
): Promise<void> {
	const table = target.renderingId !== undefined ? renderings : planItems;
	const id = target.renderingId ?? target.planItemId;
	if (id === undefined) return;
	const [row] = await tx
		.select({ id: table.id })
		.from(table)
		.where(and(eq(table.id, id), eq(table.planVersionId, planVersionId)));
	if (!row) throw new DomainError('invalid', 'opinions.targetInvalid');
}

/** A reply goes under a published top-level opinion of the same version and takes its target. */
async function replyTarget(tx: Executor, planVersionId: number, parentId: number) {
	const [parent] = await tx
		.select({
			planVersionId: opinions.planVersionId,
			parentId: opinions.parentId,
			state: opinions.state,
			renderingId: opinions.renderingId,
			planItemId: opinions.planItemId,
		})
		.from(opinions)
		.where(eq(opinions.id, parentId));
	if (!parent || parent.planVersionId !== planVersionId || parent.state !== 'published')
		throw new DomainError('not_found', 'opinions.parentNotFound');
	if (parent.parentId !== null) throw new DomainError('invalid', 'opinions.replyDepth');
	return { renderingId: parent.renderingId, planItemId: parent.planItemId };
}

/**
 * Posts an opinion (or, with `parentId`, a reply one level deep) for a signed-in resident.
 * The window is checked against `now` with the version row share-locked, so a version closed
 * meanwhile takes nothing after its close commits. Pre-moderated projects keep the opinion
 * `pending` (only its author sees it) until the committee reviews it, and so does a match on the
 * sensitive-word list; a resident blocked in the project's community is refused (issue 5). The author is
 * recorded as their household's building in the project's compounds ("3号楼住户"). A reply
 * published at once notifies the author of the opinion it answers (notifications/replies.ts).
 *
 * @returns the new opinion's id and state.
 * @throws DomainError unauthenticated | forbidden (not a resident) | invalid (input, target,
 *   reply depth) | not_found (version, parent) | closed (outside the window) | conflict (the
 *   same text by the same author on this version) | rate_limited.
 */
export async function postOpinion(
	db: Db,
	actor: Actor | null,
	input: OpinionCommandInput,
	now = new Date(),
): Promise<{ id: number; state: 'pending' | 'published' }> {
	const resident = requireResident(actor);
	const data = parseOrThrow(opinionCommandInput, input);
	// Counted before anything else, refused attempts included: a flood costs the flooder.
	await enforceRateLimits(db, [limits.opinionPerUser(resident.userId)], now);
	return db.transaction(async (tx) => {
		const context = assertWindowOpen(
			await getOpinionContext(tx, data.planVersionId, { lock: true }),
			now,
		);
		// Moderation (issue 5): a blocked resident is refused here; pre-moderation and the
		// sensitive-word list decide whether the opinion waits in the committee's queue.
		const screening = await screenOpinion(
			tx,
			{
				userId: resident.userId,
				projectId: context.projectId,
				moderation: context.moderation,
				body: data.body,
			},
			now,
		);
		const target =
			data.parentId !== undefined
				? await replyTarget(tx, data.planVersionId, data.parentId)
				: { renderingId: data.renderingId ?? null, planItemId: data.planItemId ?? null };
		if (data.parentId === undefined) await assertTarget(tx, data.planVersionId, data);
		// One author's posts in a row: the duplicate check below then sees every earlier commit.
		await tx.execute(
			sql`select pg_advisory_xact_lock(${sql.raw(String(AUTHOR_LOCK_KEY))}, hashtext(${resident.userId}))`,
		);
		const [duplicate] = await tx
			.select({ id: opinions.id })
			.from(opinions)
			.where(
				and(
					eq(opinions.authorId, resident.userId),
					eq(opinions.planVersionId, data.planVersionId),
					eq(opinions.body, data.body),
				),
			)
			.limit(1);
		if (duplicate) throw new DomainError('conflict', 'opinions.duplicate');
		const household = authorHousehold(resident.memberships, context.compoundIds);
		const state = screening.state;
		const [row] = await tx
			.insert(opinions)
			.values({
				planVersionId: data.planVersionId,
				...target,
				parentId: data.parentId ?? null,
				authorId: resident.userId,
				householdId: household.householdId,
				authorBuilding: household.building,
				alignment: data.alignment,
				body: data.body,
				state,
				channel: 'online',
			})
			.returning({ id: opinions.id });
		await recordScreening(tx, row!.id, screening, now); // moderation queue (issue 5)
		await followProject(tx, resident.userId, context.projectId, true); // issue 8: auto-follow
		if (data.parentId === undefined || state === 'pending')
			await notifyNewOpinion(tx, { id: row!.id, projectId: context.projectId }, now); // issue 21
		if (data.parentId !== undefined && state === 'published')
			await notifyReplyPublished(tx, row!.id); // the replied-to author hears of it
		return { id: row!.id, state };
	});
}

/** A published opinion with its version's window, for reactions and reports. */
async function publishedOpinion(tx: Executor, opinionId: number) {
	const [row] = await tx
		.select({
			id: opinions.id,
			authorId: opinions.authorId,
			status: planVersions.status,
			opensAt: planVersions.commentOpensAt,
			closesAt: planVersions.commentClosesAt,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.where(and(eq(opinions.id, opinionId), eq(opinions.state, 'published')));
	if (!row) throw new DomainError('not_found', 'error.notFound');
	return row;
}

/**
 * Adds or takes back the resident's "me too" (我也这么想) on a published opinion, while the
 * version takes comments. One reaction per resident (the primary key); the count moves in the
 * same transaction as the reaction row and only when a row was really inserted or deleted, so
 * it stays exact under any concurrency.
 *
 * @returns whether the resident now backs it, and the new count.
 * @throws DomainError unauthenticated | forbidden | not_found | closed | invalid (own opinion).
 */
export async function toggleMeToo(
	db: Db,
	actor: Actor | null,
	opinionId: number,
	now = new Date(),
): Promise<{ active: boolean; count: number }> {
	const resident = requireResident(actor);
	const { opinionId: id } = parseOrThrow(meTooInput, { opinionId });
	return db.transaction(async (tx) => {
		const opinion = await publishedOpinion(tx, id);
		const state = windowState(opinion, now);
		if (state !== 'open')
			throw new DomainError(
				'closed',
				state === 'not_yet' ? 'opinions.notOpenYet' : 'opinions.closed',
			);
		if (opinion.authorId === resident.userId) throw new DomainError('invalid', 'opinions.meTooOwn');
		const added = await tx
			.insert(opinionReactions)
			.values({ opinionId: id, userId: resident.userId })
			.onConflictDoNothing()
			.returning({ opinionId: opinionReactions.opinionId });
		let delta = added.length;
		if (delta === 0) {
			const removed = await tx
				.delete(opinionReactions)
				.where(
					and(eq(opinionReactions.opinionId, id), eq(opinionReactions.userId, resident.userId)),
				)
				.returning({ opinionId: opinionReactions.opinionId });
			delta = -removed.length;
		}
		const [row] = await tx
			.update(opinions)
			.set({ meTooCount: sql`${opinions.meTooCount} + ${delta}` })
			.where(eq(opinions.id, id))
			.returning({ count: opinions.meTooCount });
		return { active: delta > 0, count: row!.count };
	});
}

/**
 * Records a resident's report on a published opinion, once per resident (a second report is
 * refused). The opinion enters its community's moderation queue and is hidden pending review
 * after N distinct reporters (moderation/screen.ts `afterReport`); reporting stays possible
 * after the window closes.
 *
 * @throws DomainError unauthenticated | forbidden | invalid (input, own opinion) | not_found |
 *   conflict (already reported).
 */
export async function reportOpinion(
	db: Db,
	actor: Actor | null,
	input: ReportInput,
): Promise<{ id: number }> {
	const resident = requireResident(actor);
	const data = parseOrThrow(reportInput, input);
	return db.transaction(async (tx) => {
		const opinion = await publishedOpinion(tx, data.opinionId);
		if (opinion.authorId === resident.userId)
			throw new DomainError('invalid', 'opinions.reportOwn');
		const [row] = await tx
			.insert(opinionReports)
			.values({
				opinionId: data.opinionId,
				userId: resident.userId,
				reason: data.reason,
				text: data.text ?? '',
			})
			.onConflictDoNothing()
			.returning({ id: opinionReports.id });
		if (!row) throw new DomainError('conflict', 'opinions.alreadyReported');
		// Moderation (issue 5): the queue, and the hide after N distinct reporters.
		await afterReport(tx, data.opinionId, new Date());
		return { id: row.id };
	});
}
