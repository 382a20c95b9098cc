import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	opinionAnswers,
	opinionReactions,
	opinionReports,
	opinions,
	planItems,
	planVersions,
	projectCompounds,
	projects,
	renderings,
	renovationItems,
	users,
} from '../../../../db/schema/index.ts';
import { attachAnswers, moderationNotice, shownToPublic, textShown } from '../moderation/index.ts';
import type { Actor } from '../policy/index.ts';
import { authorLabel, emptyCounts, OPINIONS_PAGE_SIZE, pageCount } from './rules.ts';
import type {
	Alignment,
	OpinionContext,
	OpinionCounts,
	OpinionOrder,
	OpinionPage,
	OpinionTarget,
	OpinionView,
} from './types.ts';

/**
 * A version's status, window, moderation mode and compounds, or null when it does not exist.
 * With `lock`, the version row is share-locked until the caller's transaction ends, so closing
 * the version waits for opinions being written and none lands after the close commits.
 */
export async function getOpinionContext(
	db: Executor,
	planVersionId: number,
	options: { lock?: boolean } = {},
): Promise<OpinionContext | null> {
	const query = db
		.select({
			planVersionId: planVersions.id,
			projectId: planVersions.projectId,
			status: planVersions.status,
			opensAt: planVersions.commentOpensAt,
			closesAt: planVersions.commentClosesAt,
			moderation: projects.moderation,
		})
		.from(planVersions)
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(eq(planVersions.id, planVersionId));
	const [row] = options.lock ? await query.for('share', { of: planVersions }) : await query;
	if (!row) return null;
	const compounds = await db
		.select({ id: projectCompounds.compoundId })
		.from(projectCompounds)
		.where(eq(projectCompounds.projectId, row.projectId));
	return { ...row, compoundIds: compounds.map((c) => c.id) };
}

/**
 * Published opinions and, in place, those the committee hid (moderation, issue 5: shown as
 * "hidden by the committee: reason"), plus all of a resident's own (awaiting review, held after
 * reports or rejected: seen only by them).
 */
function visibleTo(viewer: Actor | null): SQL {
	const shown = shownToPublic();
	if (viewer?.kind !== 'resident') return shown;
	return or(shown, eq(opinions.authorId, viewer.userId))!;
}

function targetCondition(target: OpinionTarget | undefined): SQL | undefined {
	if (target === undefined) return undefined;
	if (target === 'version') return and(isNull(opinions.renderingId), isNull(opinions.planItemId));
	if ('renderingId' in target) return eq(opinions.renderingId, target.renderingId);
	return eq(opinions.planItemId, target.planItemId);
}

const viewColumns = {
	id: opinions.id,
	parentId: opinions.parentId,
	alignment: opinions.alignment,
	body: opinions.body,
	channel: opinions.channel,
	createdAt: opinions.createdAt,
	meTooCount: opinions.meTooCount,
	editedAt: opinions.editedAt,
	withdrawnAt: opinions.withdrawnAt,
	state: opinions.state,
	stateReason: opinions.stateReason,
	authorId: opinions.authorId,
	building: opinions.authorBuilding,
	deletedAt: users.deletedAt,
	renderingId: opinions.renderingId,
	caption: renderings.caption,
	captionEn: renderings.captionEn,
	planItemId: opinions.planItemId,
	itemName: renovationItems.name,
	itemNameEn: renovationItems.nameEn,
};

/** Opinions with the names a page shows (author account state, rendering caption, item name). */
function selectViews(db: Executor) {
	return db
		.select(viewColumns)
		.from(opinions)
		.leftJoin(users, eq(users.id, opinions.authorId))
		.leftJoin(renderings, eq(renderings.id, opinions.renderingId))
		.leftJoin(planItems, eq(planItems.id, opinions.planItemId))
		.leftJoin(renovationItems, eq(renovationItems.id, planItems.itemId));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['where']>>[number];

function toView(
	row: ViewRow,
	viewer: Actor | null,
	flags: { reacted: Set<number>; reported: Set<number> },
): OpinionView {
	const target =
		row.renderingId !== null
			? {
					kind: 'rendering' as const,
					id: row.renderingId,
					caption: row.caption ?? '',
					captionEn: row.captionEn ?? '',
				}
			: row.planItemId !== null
				? {
						kind: 'item' as const,
						id: row.planItemId,
						name: row.itemName ?? '',
						nameEn: row.itemNameEn ?? '',
					}
				: null;
	const mine = viewer !== null && row.authorId === viewer.userId;
	return {
		id: row.id,
		parentId: row.parentId,
		alignment: row.alignment,
		body: textShown(row.state, mine) ? row.body : '',
		author: authorLabel({ deleted: row.deletedAt !== null, building: row.building }),
		channel: row.channel,
		target,
		createdAt: row.createdAt,
		meTooCount: row.meTooCount,
		mine,
		editedAt: row.editedAt,
		withdrawn: row.withdrawnAt !== null,
		awaitingReview: row.state === 'pending',
		meTooByViewer: flags.reacted.has(row.id),
		reportedByViewer: flags.reported.has(row.id),
		moderation: { notice: moderationNotice(row.state, row.stateReason), answer: null },
		replies: [],
	};
}

/** Which of `ids` the resident has backed ("me too") and reported. */
async function viewerFlags(db: Executor, viewer: Actor | null, ids: number[]) {
	const flags = { reacted: new Set<number>(), reported: new Set<number>() };
	if (viewer?.kind !== 'resident' || ids.length === 0) return flags;
	const [reacted, reported] = await Promise.all([
		db
			.select({ id: opinionReactions.opinionId })
			.from(opinionReactions)
			.where(
				and(eq(opinionReactions.userId, viewer.userId), inArray(opinionReactions.opinionId, ids)),
			),
		db
			.select({ id: opinionReports.opinionId })
			.from(opinionReports)
			.where(and(eq(opinionReports.userId, viewer.userId), inArray(opinionReports.opinionId, ids))),
	]);
	for (const r of reacted) flags.reacted.add(r.id);
	for (const r of reported) flags.reported.add(r.id);
	return flags;
}

const orderings: Record<OpinionOrder, SQL[]> = {
	newest: [desc(opinions.createdAt), desc(opinions.id)],
	supported: [desc(opinions.meTooCount), desc(opinions.createdAt), desc(opinions.id)],
};

/**
 * One page of a version's top-level opinions (all targets, the version itself, one rendering
 * or one item), newest or most supported first, each with its replies (oldest first). The
 * viewer sees what is published and their own opinions awaiting review. Authors appear only as
 * labels ("3号楼住户", "已注销用户"). `page` is clamped to the pages there are.
 */
export async function listOpinions(
	db: Executor,
	viewer: Actor | null,
	options: {
		planVersionId: number;
		target?: OpinionTarget | undefined;
		order?: OpinionOrder;
		page?: number;
		/** Only opinions of this position (立场). */
		stance?: Alignment | undefined;
		/** Only opinions the committee has (true) or has not yet (false) answered. */
		answered?: boolean | undefined;
	},
): Promise<OpinionPage> {
	const order = options.order ?? 'newest';
	const answeredSql = sql`exists (select 1 from ${opinionAnswers} where ${opinionAnswers.opinionId} = ${opinions.id})`;
	const where = and(
		eq(opinions.planVersionId, options.planVersionId),
		isNull(opinions.parentId),
		targetCondition(options.target),
		options.stance ? eq(opinions.alignment, options.stance) : undefined,
		options.answered === undefined
			? undefined
			: options.answered
				? answeredSql
				: sql`not ${answeredSql}`,
		visibleTo(viewer),
	);
	const [[totalRow], counts] = await Promise.all([
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(opinions)
			.where(where),
		countOpinions(db, options.planVersionId),
	]);
	const total = totalRow?.n ?? 0;
	const pages = pageCount(total);
	const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
	const top =
		total === 0
			? []
			: await selectViews(db)
					.where(where)
					.orderBy(...orderings[order])
					.limit(OPINIONS_PAGE_SIZE)
					.offset((page - 1) * OPINIONS_PAGE_SIZE);
	const topIds = top.map((r) => r.id);
	const replies =
		topIds.length === 0
			? []
			: await selectViews(db)
					.where(and(inArray(opinions.parentId, topIds), visibleTo(viewer)))
					.orderBy(asc(opinions.createdAt), asc(opinions.id));
	const flags = await viewerFlags(db, viewer, [...topIds, ...replies.map((r) => r.id)]);
	const items = top.map((row) => toView(row, viewer, flags));
	const byId = new Map(items.map((item) => [item.id, item]));
	for (const reply of replies)
		byId.get(reply.parentId!)?.replies.push(toView(reply, viewer, flags));
	await attachAnswers(db, items); // official answers (issue 5)
	return { items, page, pages, total, order, counts: pickCounts(counts, options.target) };
}

function pickCounts(counts: OpinionCounts, target: OpinionTarget | undefined) {
	if (target === undefined) return counts.all;
	if (target === 'version') return counts.version;
	const bucket =
		'renderingId' in target
			? counts.renderings[target.renderingId]
			: counts.items[target.planItemId];
	return bucket ?? emptyCounts();
}

/**
 * Published top-level opinions of a version by alignment: in all, on the version itself, per
 * rendering and per item (for badges next to each rendering or item). Pending, hidden and
 * rejected opinions and replies are not counted.
 */
export async function countOpinions(db: Executor, planVersionId: number): Promise<OpinionCounts> {
	const rows = await db
		.select({
			renderingId: opinions.renderingId,
			planItemId: opinions.planItemId,
			alignment: opinions.alignment,
			n: sql<number>`count(*)::int`,
		})
		.from(opinions)
		.where(
			and(
				eq(opinions.planVersionId, planVersionId),
				isNull(opinions.parentId),
				eq(opinions.state, 'published'),
				isNull(opinions.withdrawnAt),
			),
		)
		.groupBy(opinions.renderingId, opinions.planItemId, opinions.alignment);
	const result: OpinionCounts = {
		all: emptyCounts(),
		version: emptyCounts(),
		renderings: {},
		items: {},
	};
	for (const row of rows) {
		const bucket =
			row.renderingId !== null
				? (result.renderings[row.renderingId] ??= emptyCounts())
				: row.planItemId !== null
					? (result.items[row.planItemId] ??= emptyCounts())
					: result.version;
		for (const counts of [bucket, result.all]) {
			counts[row.alignment] += row.n;
			counts.total += row.n;
		}
	}
	return result;
}

/** What a version's opinions may be about, for the composer's "about" choice. */
export async function listOpinionTargets(db: Executor, planVersionId: number) {
	const [renderingRows, itemRows] = await Promise.all([
		db
			.select({ id: renderings.id, caption: renderings.caption, captionEn: renderings.captionEn })
			.from(renderings)
			.where(eq(renderings.planVersionId, planVersionId))
			.orderBy(asc(renderings.sort), asc(renderings.id)),
		db
			.select({
				id: planItems.id,
				name: renovationItems.name,
				nameEn: renovationItems.nameEn,
				building: buildings.number,
			})
			.from(planItems)
			.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
			.leftJoin(buildings, eq(buildings.id, planItems.buildingId))
			.where(eq(planItems.planVersionId, planVersionId))
			.orderBy(asc(planItems.sort), asc(planItems.id)),
	]);
	return { renderings: renderingRows, items: itemRows };
}
