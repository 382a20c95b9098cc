import {
	and,
	asc,
	desc,
	eq,
	exists,
	gt,
	inArray,
	isNotNull,
	isNull,
	lt,
	sql,
	type SQL,
	type SQLWrapper,
} from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	commentBlocks,
	communities,
	compounds,
	households,
	moderationFlags,
	offlineOpinions,
	opinionAnswerRevisions,
	opinionAnswers,
	opinionReports,
	opinions,
	planItems,
	planVersions,
	projectCompounds,
	projects,
	renovationItems,
	units,
	users,
} from '../../../../db/schema/index.ts';
import type { ReportReason } from '../opinions/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { StaffActor } from '../policy/index.ts';
import { isHeld } from './rules.ts';
import type { Disposition, OpinionState, QueueFilter, QueueItem, QueuePage } from './types.ts';
import { moderationCauses } from './types.ts';

export const QUEUE_PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

/** The opinions (or blocks) of the communities the staff member moderates. */
const moderated = (actor: StaffActor, communityId: SQLWrapper) =>
	scopeFilter(staffScope(actor, 'opinion.moderate'), { communityId });

function queueConditions(actor: StaffActor, filter: QueueFilter, now: Date): SQL {
	const open = filter.status === 'open';
	const scope = moderated(actor, open ? moderationFlags.communityId : projects.communityId);
	const reason = filter.reason;
	const isCause = reason !== undefined && (moderationCauses as readonly string[]).includes(reason);
	return and(
		scope,
		open
			? and(isNotNull(moderationFlags.opinionId), isNull(moderationFlags.resolvedAt))
			: filter.status === 'all'
				? undefined
				: eq(opinions.state, filter.status as OpinionState),
		filter.projectId === undefined
			? undefined
			: eq(open ? moderationFlags.projectId : projects.id, filter.projectId),
		reason === undefined
			? undefined
			: isCause
				? eq(moderationFlags.cause, reason as (typeof moderationCauses)[number])
				: exists(
						sql`(select 1 from ${opinionReports} where ${opinionReports.opinionId} = ${opinions.id} and ${opinionReports.reason} = ${reason})`,
					),
		filter.olderThanDays !== undefined
			? lt(opinions.createdAt, new Date(now.getTime() - filter.olderThanDays * DAY_MS))
			: undefined,
	)!;
}

const queueColumns = {
	id: opinions.id,
	parentId: opinions.parentId,
	body: opinions.body,
	alignment: opinions.alignment,
	channel: opinions.channel,
	state: opinions.state,
	stateReason: opinions.stateReason,
	authorBuilding: opinions.authorBuilding,
	createdAt: opinions.createdAt,
	projectId: projects.id,
	projectSlug: projects.slug,
	projectName: projects.name,
	projectNameEn: projects.nameEn,
	versionId: planVersions.id,
	versionNumber: planVersions.number,
	itemName: renovationItems.name,
	itemNameEn: renovationItems.nameEn,
	cause: moderationFlags.cause,
	matched: moderationFlags.matched,
	flaggedAt: moderationFlags.flaggedAt,
	resolvedAt: moderationFlags.resolvedAt,
};

// The joins of every queue read: opinion → version → project, and its queue entry if any.
function selectQueueRows(db: Executor, where: SQL, order: SQL[], page: number) {
	return db
		.select(queueColumns)
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.leftJoin(moderationFlags, eq(moderationFlags.opinionId, opinions.id))
		.leftJoin(planItems, eq(planItems.id, opinions.planItemId))
		.leftJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
		.where(where)
		.orderBy(...order)
		.limit(QUEUE_PAGE_SIZE)
		.offset((page - 1) * QUEUE_PAGE_SIZE);
}
type QueueRow = Awaited<ReturnType<typeof selectQueueRows>>[number];

/**
 * How many opinions the filter matches. The open queue is counted from its own index (the
 * conditions then name only queue columns, unless an age or a report reason needs the opinion).
 */
async function countQueue(db: Executor, filter: QueueFilter, where: SQL): Promise<number> {
	const count = { n: sql<number>`count(*)::int` };
	const reportReason =
		filter.reason !== undefined && !(moderationCauses as readonly string[]).includes(filter.reason);
	if (filter.status === 'open' && filter.olderThanDays === undefined && !reportReason) {
		const [row] = await db.select(count).from(moderationFlags).where(where);
		return row?.n ?? 0;
	}
	const [row] = await db
		.select(count)
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.leftJoin(moderationFlags, eq(moderationFlags.opinionId, opinions.id))
		.where(where);
	return row?.n ?? 0;
}

/**
 * The moderation queue of the staff member's communities (all of them for an admin), a page at
 * a time. `open` (the default) is what needs a decision — awaiting pre-moderation, matched
 * words, reported — oldest first; a state lists the opinions in that state, newest first.
 * Filters: project, reason (a queue cause or a report reason), older than N days. Each item
 * carries its report counts by reason; authors appear as their building only.
 */
export async function listQueue(
	db: Executor,
	actor: StaffActor,
	filter: QueueFilter,
	now = new Date(),
): Promise<QueuePage> {
	const where = queueConditions(actor, filter, now);
	const total = await countQueue(db, filter, where);
	const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
	const page = Math.min(Math.max(1, filter.page ?? 1), pages);
	const order =
		filter.status === 'open'
			? [asc(moderationFlags.flaggedAt), asc(opinions.id)]
			: [desc(opinions.createdAt), desc(opinions.id)];
	const rows = total === 0 ? [] : await selectQueueRows(db, where, order, page);
	const ids = rows.map((r) => r.id);
	const [reports, answered] = await Promise.all([reportCounts(db, ids), answeredAmong(db, ids)]);
	return {
		items: rows.map((r) => toQueueItem(r, reports.get(r.id), answered.has(r.id))),
		total,
		page,
		pages,
	};
}

/** Which of `ids` have an official answer (through the answers' unique index). */
async function answeredAmong(db: Executor, ids: number[]): Promise<Set<number>> {
	if (ids.length === 0) return new Set();
	const rows = await db
		.select({ id: opinionAnswers.opinionId })
		.from(opinionAnswers)
		.where(inArray(opinionAnswers.opinionId, ids));
	return new Set(rows.map((r) => r.id));
}

async function reportCounts(db: Executor, ids: number[]) {
	const byOpinion = new Map<number, Partial<Record<ReportReason, number>>>();
	if (ids.length === 0) return byOpinion;
	const rows = await db
		.select({
			opinionId: opinionReports.opinionId,
			reason: opinionReports.reason,
			n: sql<number>`count(*)::int`,
		})
		.from(opinionReports)
		.where(inArray(opinionReports.opinionId, ids))
		.groupBy(opinionReports.opinionId, opinionReports.reason);
	for (const row of rows) {
		const counts = byOpinion.get(row.opinionId) ?? {};
		counts[row.reason] = row.n;
		byOpinion.set(row.opinionId, counts);
	}
	return byOpinion;
}

function toQueueItem(
	row: QueueRow,
	reports: Partial<Record<ReportReason, number>> = {},
	answered = false,
): QueueItem {
	return {
		id: row.id,
		parentId: row.parentId,
		body: row.body,
		alignment: row.alignment,
		channel: row.channel,
		state: row.state,
		stateReason: row.stateReason,
		authorBuilding: row.authorBuilding,
		createdAt: row.createdAt,
		project: {
			id: row.projectId,
			slug: row.projectSlug,
			name: row.projectName,
			nameEn: row.projectNameEn,
		},
		version: { id: row.versionId, number: row.versionNumber },
		item:
			row.itemName === null || row.itemNameEn === null
				? null
				: { name: row.itemName, nameEn: row.itemNameEn },
		flag:
			row.cause && row.flaggedAt
				? {
						cause: row.cause,
						matched: row.matched ?? [],
						flaggedAt: row.flaggedAt,
						open: row.resolvedAt === null,
					}
				: null,
		reports,
		reportCount: Object.values(reports).reduce((a, b) => a + (b ?? 0), 0),
		answered,
	};
}

/**
 * One opinion as the moderator's page shows it: the queue item, its reports (reason and note,
 * never the reporter), the answer with every revision, whether it was recorded offline, and
 * the author's running block in this community. Null when it is not in the actor's scope.
 */
export async function getModerationItem(
	db: Executor,
	actor: StaffActor,
	opinionId: number,
	now = new Date(),
) {
	const scope = moderated(actor, projects.communityId);
	const [row] = await db
		.select({ ...queueColumns, communityId: projects.communityId, authorId: opinions.authorId })
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.leftJoin(moderationFlags, eq(moderationFlags.opinionId, opinions.id))
		.leftJoin(planItems, eq(planItems.id, opinions.planItemId))
		.leftJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
		.where(and(eq(opinions.id, opinionId), scope));
	if (!row) return null;
	const [reportRows, answer, offline, block] = await Promise.all([
		db
			.select({
				reason: opinionReports.reason,
				text: opinionReports.text,
				createdAt: opinionReports.createdAt,
			})
			.from(opinionReports)
			.where(eq(opinionReports.opinionId, opinionId))
			.orderBy(asc(opinionReports.id)),
		getAnswerWithRevisions(db, opinionId),
		db
			.select({ receivedOn: offlineOpinions.receivedOn, recordedBy: users.displayName })
			.from(offlineOpinions)
			.leftJoin(users, eq(users.id, offlineOpinions.recordedBy))
			.where(eq(offlineOpinions.opinionId, opinionId)),
		row.authorId
			? db
					.select({
						id: commentBlocks.id,
						endsAt: commentBlocks.endsAt,
						reason: commentBlocks.reason,
					})
					.from(commentBlocks)
					.where(
						and(
							eq(commentBlocks.userId, row.authorId),
							eq(commentBlocks.communityId, row.communityId),
							isNull(commentBlocks.liftedAt),
							gt(commentBlocks.endsAt, now),
						),
					)
					.orderBy(desc(commentBlocks.endsAt))
					.limit(1)
			: Promise.resolve([]),
	]);
	const reportsByReason: Partial<Record<ReportReason, number>> = {};
	for (const r of reportRows) reportsByReason[r.reason] = (reportsByReason[r.reason] ?? 0) + 1;
	return {
		item: toQueueItem(row, reportsByReason, answer !== null),
		held: isHeld(row.state, row.stateReason),
		hasAccount: row.authorId !== null,
		reports: reportRows,
		answer,
		offline: offline[0] ?? null,
		block: block[0] ?? null,
	};
}

/** The current answer to an opinion with every revision, newest first (staff pages). */
export async function getAnswerWithRevisions(db: Executor, opinionId: number) {
	const [answer] = await db
		.select()
		.from(opinionAnswers)
		.where(eq(opinionAnswers.opinionId, opinionId));
	if (!answer) return null;
	const revisions = await db
		.select({
			revision: opinionAnswerRevisions.revision,
			disposition: opinionAnswerRevisions.disposition,
			body: opinionAnswerRevisions.body,
			createdAt: opinionAnswerRevisions.createdAt,
			editedBy: users.displayName,
		})
		.from(opinionAnswerRevisions)
		.leftJoin(users, eq(users.id, opinionAnswerRevisions.editedBy))
		.where(eq(opinionAnswerRevisions.answerId, answer.id))
		.orderBy(desc(opinionAnswerRevisions.revision));
	return {
		disposition: answer.disposition as Disposition,
		body: answer.body,
		/** The carrier as the answer form sends it (rules.ts `parseCarrier`). */
		carrier:
			answer.carrierItemId !== null
				? `item:${answer.carrierItemId}`
				: answer.carrierChangeId !== null
					? `change:${answer.carrierChangeId}`
					: 'next',
		revision: answer.revision,
		createdAt: answer.createdAt,
		updatedAt: answer.updatedAt,
		revisions,
	};
}

/** The projects (with their community) whose opinions the staff member moderates. */
export async function listModeratedProjects(db: Executor, actor: StaffActor) {
	const scope = moderated(actor, projects.communityId);
	return db
		.select({
			id: projects.id,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
			communityId: projects.communityId,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
			moderation: projects.moderation,
		})
		.from(projects)
		.innerJoin(communities, eq(communities.id, projects.communityId))
		.where(scope)
		.orderBy(asc(communities.name), asc(projects.name));
}

/** Running blocks in the staff member's communities, soonest end first. */
export async function listBlocks(db: Executor, actor: StaffActor, now = new Date()) {
	const scope = moderated(actor, commentBlocks.communityId);
	return db
		.select({
			id: commentBlocks.id,
			opinionId: commentBlocks.opinionId,
			reason: commentBlocks.reason,
			endsAt: commentBlocks.endsAt,
			createdAt: commentBlocks.createdAt,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
		})
		.from(commentBlocks)
		.innerJoin(communities, eq(communities.id, commentBlocks.communityId))
		.where(and(scope, isNull(commentBlocks.liftedAt), gt(commentBlocks.endsAt, now)))
		.orderBy(asc(commentBlocks.endsAt));
}

/** Public plan versions of the staff member's projects, for recording offline opinions. */
export async function listOfflineVersions(db: Executor, actor: StaffActor) {
	const scope = moderated(actor, projects.communityId);
	return db
		.select({
			id: planVersions.id,
			number: planVersions.number,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
		})
		.from(planVersions)
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(and(scope, sql`${planVersions.status} <> 'draft'`))
		.orderBy(asc(projects.name), desc(planVersions.number));
}

/** The current households of a version's project, by building, unit and room. */
export async function listVersionHouseholds(db: Executor, planVersionId: number) {
	return db
		.select({
			id: households.id,
			building: buildings.number,
			unit: units.number,
			room: households.room,
			compoundName: compounds.name,
			compoundNameEn: compounds.nameEn,
		})
		.from(planVersions)
		.innerJoin(projectCompounds, eq(projectCompounds.projectId, planVersions.projectId))
		.innerJoin(households, eq(households.compoundId, projectCompounds.compoundId))
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(and(eq(planVersions.id, planVersionId), isNull(households.retiredAt)))
		.orderBy(asc(compounds.name), asc(buildings.id), asc(units.id), asc(households.room));
}
