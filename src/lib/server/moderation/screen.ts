/**
 * The moderation hooks the opinions module calls inside its own transactions: screening a new
 * opinion (blocks, pre-moderation, the sensitive-word list) and counting reports.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../../../db/client.ts';
import {
	commentBlocks,
	moderationFlags,
	opinionReports,
	opinions,
	planVersions,
	projects,
	sensitiveWords,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { DomainError, getConfig } from '../shared/index.ts';
import type { ModerationCause } from './types.ts';
import { compileWords, matchWords } from './words.ts';
import { chinaDay } from '../../china-time.ts';

export type Screening = {
	state: 'pending' | 'published';
	communityId: number;
	projectId: number;
	/** Why the opinion goes to the queue, or null when it is published at once. */
	cause: ModerationCause | null;
	matched: string[];
};

/**
 * The end of the resident's longest running block in a community, or null.
 */
export async function activeBlockEnd(
	db: Executor,
	userId: string,
	communityId: number,
	now: Date,
): Promise<Date | null> {
	const [row] = await db
		.select({ endsAt: sql<Date | string | null>`max(${commentBlocks.endsAt})` })
		.from(commentBlocks)
		.where(
			and(
				eq(commentBlocks.userId, userId),
				eq(commentBlocks.communityId, communityId),
				isNull(commentBlocks.liftedAt),
				gt(commentBlocks.endsAt, now),
			),
		);
	return row?.endsAt ? new Date(row.endsAt) : null;
}

/** The whole list, compiled (a few hundred entries at most: read on every post). */
export async function loadWordList(db: Executor) {
	const rows = await db.select({ pattern: sensitiveWords.pattern }).from(sensitiveWords);
	return compileWords(rows.map((r) => r.pattern));
}

/**
 * Screens an opinion before `postOpinion` stores it. A resident blocked in the project's
 * community is refused with the block's end date. Otherwise the opinion is `pending` when the
 * project is pre-moderated (先审后发) or when its text matches the sensitive-word list — even in
 * a post-moderated project: a match holds it for review, it never refuses it.
 *
 * @throws DomainError('forbidden', 'moderation.blocked', { date }) for a blocked resident.
 */
export async function screenOpinion(
	tx: Executor,
	input: { userId: string; projectId: number; moderation: 'pre' | 'post'; body: string },
	now: Date,
): Promise<Screening> {
	const [project] = await tx
		.select({ communityId: projects.communityId })
		.from(projects)
		.where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	const until = await activeBlockEnd(tx, input.userId, project.communityId, now);
	if (until)
		throw new DomainError('forbidden', 'moderation.blocked', { params: { date: chinaDay(until) } });
	const matched = matchWords(input.body, await loadWordList(tx));
	const cause: ModerationCause | null =
		matched.length > 0 ? 'words' : input.moderation === 'pre' ? 'premoderation' : null;
	return {
		state: cause ? 'pending' : 'published',
		communityId: project.communityId,
		projectId: input.projectId,
		cause,
		matched,
	};
}

/** Puts a screened opinion in its community's queue (after its insert, same transaction). */
export async function recordScreening(
	tx: Executor,
	opinionId: number,
	screening: Screening,
	now: Date,
): Promise<void> {
	if (!screening.cause) return;
	await tx.insert(moderationFlags).values({
		opinionId,
		communityId: screening.communityId,
		projectId: screening.projectId,
		cause: screening.cause,
		matched: screening.matched,
		flaggedAt: now,
	});
}

/**
 * Puts an opinion its author edited back in the queue when the new text needs review (pre-
 * moderation or a listed word): a flag it had is reopened with the new cause (one per opinion).
 */
export async function recordRescreening(
	tx: Executor,
	opinionId: number,
	screening: Screening,
	now: Date,
): Promise<void> {
	if (!screening.cause) return;
	const flag = {
		communityId: screening.communityId,
		projectId: screening.projectId,
		cause: screening.cause,
		matched: screening.matched,
		flaggedAt: now,
	};
	await tx
		.insert(moderationFlags)
		.values({ opinionId, ...flag })
		.onConflictDoUpdate({
			target: moderationFlags.opinionId,
			set: { ...flag, resolvedAt: null, resolvedBy: null },
		});
}

/** Distinct reporters before an opinion is hidden pending review (REPORT_HIDE_THRESHOLD). */
export const reportThreshold = (): number => getConfig().REPORT_HIDE_THRESHOLD;

/**
 * Called by `reportOpinion` after it stored a report, in its transaction. Locks the opinion
 * row (NO KEY UPDATE), so reports on one opinion are counted one after another and the threshold is crossed
 * exactly once; a resident's second report was never stored (one per resident, a unique key),
 * so it cannot count twice. The opinion enters the queue as reported; once `threshold`
 * residents have reported it since the committee last reviewed it, it is hidden pending review
 * (no reason: the committee has not decided yet), and the hide is audited as the system's.
 *
 * @returns whether this report hid the opinion.
 */
export async function afterReport(
	tx: Tx,
	opinionId: number,
	now: Date,
	threshold = reportThreshold(),
): Promise<{ hidden: boolean }> {
	const [opinion] = await tx
		.select({
			state: opinions.state,
			communityId: projects.communityId,
			projectId: projects.id,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(eq(opinions.id, opinionId))
		// NO KEY UPDATE: concurrent report inserts hold KEY SHARE on this row (their foreign key);
		// a plain FOR UPDATE would deadlock with them.
		.for('no key update', { of: opinions });
	if (!opinion || opinion.state !== 'published') return { hidden: false };
	const [flag] = await tx
		.insert(moderationFlags)
		.values({
			opinionId,
			communityId: opinion.communityId,
			projectId: opinion.projectId,
			cause: 'reports',
			flaggedAt: now,
		})
		.onConflictDoUpdate({
			target: moderationFlags.opinionId,
			set: {
				cause: sql`case when ${moderationFlags.resolvedAt} is null then ${moderationFlags.cause} else 'reports' end`,
				flaggedAt: sql`case when ${moderationFlags.resolvedAt} is null then ${moderationFlags.flaggedAt} else excluded.flagged_at end`,
				resolvedAt: null,
				resolvedBy: null,
			},
		})
		.returning({ reviewedAt: moderationFlags.reviewedAt });
	const since = flag?.reviewedAt ?? null;
	const [count] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(opinionReports)
		.where(
			and(
				eq(opinionReports.opinionId, opinionId),
				since ? gt(opinionReports.createdAt, since) : undefined,
			),
		);
	if ((count?.n ?? 0) < threshold) return { hidden: false };
	await tx
		.update(opinions)
		.set({ state: 'hidden', stateReason: '' })
		.where(eq(opinions.id, opinionId));
	await appendAudit(tx, {
		actorId: null,
		actorKind: 'system',
		action: 'opinion.auto_hidden',
		targetType: 'opinion',
		targetId: opinionId,
		communityId: opinion.communityId,
		details: { reporters: count?.n ?? 0, threshold },
	});
	return { hidden: true };
}
