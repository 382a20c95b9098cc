import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	attachments,
	buildings,
	households,
	planChangeOpinions,
	planChanges,
	planItems,
	planVersions,
	projectCompounds,
	projects,
	renderings,
	renovationItems,
} from '../../../../db/schema/index.ts';
import { parseCenti, splitCost } from '../ballots/index.ts';
import { getImageViews, type ImageView } from '../images/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { diffItems, diffLines } from './diff.ts';
import { listAlternatives, type AlternativeView } from './alternatives.ts';
import { loadFunding } from './funding-queries.ts';
import {
	effectiveFunding,
	fundingTotals,
	FUNDING_SOURCES,
	residentPartFen,
	type Funding,
	type FundingSource,
} from './funding.ts';
import { renderMarkdown } from './markdown.ts';
import { effectiveStatus, formatYuan, type EffectiveStatus } from './rules.ts';

export type VersionSummary = {
	id: number;
	number: number;
	title: string;
	titleEn: string;
	status: EffectiveStatus;
	commentOpensAt: Date | null;
	commentClosesAt: Date | null;
	publishedAt: Date | null;
};

/** A project's versions, newest first; drafts only for its editors. */
export async function listPlanVersions(
	db: Executor,
	projectId: number,
	options: { drafts: boolean },
	now = new Date(),
): Promise<VersionSummary[]> {
	const rows = await db
		.select()
		.from(planVersions)
		.where(
			options.drafts
				? eq(planVersions.projectId, projectId)
				: and(eq(planVersions.projectId, projectId), ne(planVersions.status, 'draft')),
		)
		.orderBy(desc(planVersions.number));
	return rows.map((v) => ({
		id: v.id,
		number: v.number,
		title: v.title,
		titleEn: v.titleEn,
		status: effectiveStatus(v, now),
		commentOpensAt: v.commentOpensAt,
		commentClosesAt: v.commentClosesAt,
		publishedAt: v.publishedAt,
	}));
}

export type PlanItemView = {
	id: number;
	itemId: number;
	code: string;
	category: 'basic' | 'improvement' | 'upgrade';
	scope: 'building' | 'public';
	name: string;
	nameEn: string;
	buildingNumber: string | null;
	buildingId: number | null;
	description: string;
	descriptionEn: string;
	costYuan: string;
	governmentYuan: string;
	residentYuan: string;
	split: 'area' | 'equal';
	/** The viewer's household's estimated share in yuan, when signed in and bound in scope. */
	myShareYuan: string | null;
	/** The item's breakdown in fen, or null when it has none (summary columns only). */
	funding: Funding | null;
	/** Who pays, by source (the summary columns when there is no breakdown), nonzero only. */
	fundingLines: FundingLine[];
	/** 多方案比选: the designs offered for this item (a chosen one is marked). */
	alternatives: AlternativeView[];
};

export type FundingLine = { source: FundingSource; amountYuan: string };

/** A version's money by source (资金来源) over all its items. */
export type FundingTable = {
	bySource: FundingLine[];
	costYuan: string;
	unfundedYuan: string;
};

export type RenderingView = {
	id: number;
	caption: string;
	captionEn: string;
	spot: string;
	buildingNumber: string | null;
	before: ImageView | undefined;
	after: ImageView | undefined;
};

export type PlanVersionView = {
	project: { id: number; slug: string; name: string; nameEn: string; communityId: number };
	version: VersionSummary & {
		bodyHtml: string;
		bodyEnHtml: string;
		body: string;
		bodyEn: string;
		/** A final plan a district admin published past its gates: the public reason. */
		overrideReason: string | null;
	};
	items: PlanItemView[];
	renderings: RenderingView[];
	changes: { id: number; text: string; textEn: string; opinionIds: number[] }[];
	attachments: { id: number; title: string; hash: string; byteLength: number }[];
	previousNumber: number | null;
	myHouseholdId: number | null;
	myTotalYuan: string | null;
	funding: FundingTable;
};

/**
 * Everything the plan version page shows. Drafts are visible only with `drafts: true` (editors).
 * The viewer's cost share is computed from the plan's per-item rules over the item's scope
 * (the building for building items, else all current households of the project's compounds).
 */
export async function getPlanVersionView(
	db: Executor,
	input: { slug: string; number: number; viewer: Actor | null; drafts?: boolean },
	now = new Date(),
): Promise<PlanVersionView | null> {
	const [row] = await db
		.select({
			version: planVersions,
			project: {
				id: projects.id,
				slug: projects.slug,
				name: projects.name,
				nameEn: projects.nameEn,
				communityId: projects.communityId,
			},
		})
		.from(planVersions)
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(and(eq(projects.slug, input.slug), eq(planVersions.number, input.number)));
	if (!row || (row.version.status === 'draft' && !input.drafts)) return null;
	const v = row.version;
	const [itemRows, renderingRows, changeRows, attachmentRows] = await Promise.all([
		db
			.select({
				id: planItems.id,
				itemId: planItems.itemId,
				code: renovationItems.code,
				category: renovationItems.category,
				scope: renovationItems.scope,
				name: renovationItems.name,
				nameEn: renovationItems.nameEn,
				buildingId: planItems.buildingId,
				buildingNumber: buildings.number,
				description: planItems.description,
				descriptionEn: planItems.descriptionEn,
				costYuan: planItems.costYuan,
				governmentYuan: planItems.governmentYuan,
				residentYuan: planItems.residentYuan,
				split: planItems.split,
			})
			.from(planItems)
			.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
			.leftJoin(buildings, eq(buildings.id, planItems.buildingId))
			.where(eq(planItems.planVersionId, v.id))
			.orderBy(asc(renovationItems.sort), asc(planItems.id)),
		db
			.select({
				id: renderings.id,
				caption: renderings.caption,
				captionEn: renderings.captionEn,
				spot: renderings.spot,
				buildingNumber: buildings.number,
				beforeImageId: renderings.beforeImageId,
				afterImageId: renderings.afterImageId,
			})
			.from(renderings)
			.leftJoin(buildings, eq(buildings.id, renderings.buildingId))
			.where(eq(renderings.planVersionId, v.id))
			.orderBy(asc(renderings.sort), asc(renderings.id)),
		db
			.select()
			.from(planChanges)
			.where(eq(planChanges.planVersionId, v.id))
			.orderBy(asc(planChanges.sort)),
		db
			.select({
				id: attachments.id,
				title: attachments.title,
				hash: attachments.hash,
				byteLength: attachments.byteLength,
			})
			.from(attachments)
			.where(eq(attachments.planVersionId, v.id)),
	]);
	const links = changeRows.length
		? await db
				.select()
				.from(planChangeOpinions)
				.where(
					inArray(
						planChangeOpinions.changeId,
						changeRows.map((c) => c.id),
					),
				)
		: [];
	const imageViews = await getImageViews(
		db,
		renderingRows.flatMap((r) => [r.beforeImageId, r.afterImageId]),
	);
	const [previous] = await db
		.select({ number: planVersions.number })
		.from(planVersions)
		.where(
			and(
				eq(planVersions.projectId, row.project.id),
				ne(planVersions.status, 'draft'),
				eq(planVersions.number, v.number - 1),
			),
		);
	const [fundingByItem, alternatives] = await Promise.all([
		loadFunding(
			db,
			itemRows.map((i) => i.id),
		),
		listAlternatives(
			db,
			itemRows.map((i) => i.id),
		),
	]);
	const items = itemRows.map((item) => ({ ...item, funding: fundingByItem.get(item.id) ?? null }));
	const shares = await householdShares(db, row.project.id, items, input.viewer);
	const totals = fundingTotals(items);
	const myTotal =
		shares.householdId === null ? null : [...shares.byItem.values()].reduce((a, b) => a + b, 0n);
	const status = effectiveStatus(v, now);
	return {
		project: row.project,
		version: {
			id: v.id,
			number: v.number,
			title: v.title,
			titleEn: v.titleEn,
			status,
			commentOpensAt: v.commentOpensAt,
			commentClosesAt: v.commentClosesAt,
			publishedAt: v.publishedAt,
			overrideReason: v.overrideReason,
			body: v.body,
			bodyEn: v.bodyEn,
			bodyHtml: renderMarkdown(v.body),
			bodyEnHtml: renderMarkdown(v.bodyEn || v.body),
		},
		items: items.map((item) => ({
			...item,
			myShareYuan: shares.byItem.has(item.id) ? formatYuan(shares.byItem.get(item.id)!) : null,
			fundingLines: fundingLines(effectiveFunding(item)),
			alternatives: alternatives.get(item.id) ?? [],
		})),
		renderings: renderingRows.map((r) => ({
			id: r.id,
			caption: r.caption,
			captionEn: r.captionEn,
			spot: r.spot,
			buildingNumber: r.buildingNumber,
			before: imageViews.get(r.beforeImageId),
			after: imageViews.get(r.afterImageId),
		})),
		changes: changeRows.map((c) => ({
			id: c.id,
			text: c.text,
			textEn: c.textEn,
			opinionIds: links.filter((l) => l.changeId === c.id).map((l) => l.opinionId),
		})),
		attachments: attachmentRows,
		previousNumber: previous?.number ?? null,
		myHouseholdId: shares.householdId,
		myTotalYuan: myTotal === null ? null : formatYuan(myTotal),
		funding: {
			bySource: fundingLines(totals.bySource),
			costYuan: formatYuan(totals.costFen),
			unfundedYuan: formatYuan(totals.unfundedFen),
		},
	};
}

/** The nonzero sources of a breakdown, in the seeds' order. */
function fundingLines(funding: Funding): FundingLine[] {
	return FUNDING_SOURCES.filter((s) => (funding[s] ?? 0n) > 0n).map((source) => ({
		source,
		amountYuan: formatYuan(funding[source]!),
	}));
}

/**
 * The signed-in resident's household's share of each item (in cents): the first of their
 * households that lies in the project's compounds; items whose scope excludes it get none.
 */
async function householdShares(
	db: Executor,
	projectId: number,
	items: {
		id: number;
		buildingId: number | null;
		residentYuan: string;
		funding: Funding | null;
		split: 'area' | 'equal';
	}[],
	viewer: Actor | null,
): Promise<{ householdId: number | null; byItem: Map<number, bigint> }> {
	const none = { householdId: null, byItem: new Map<number, bigint>() };
	if (viewer?.kind !== 'resident' || viewer.memberships.length === 0 || items.length === 0)
		return none;
	const scope = await db
		.select({ id: households.id, buildingId: households.buildingId, area: households.areaM2 })
		.from(households)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
		.where(and(eq(projectCompounds.projectId, projectId), isNull(households.retiredAt)));
	const mine = viewer.memberships.find((m) => scope.some((h) => h.id === m.householdId));
	if (!mine) return none;
	const byItem = new Map<number, bigint>();
	for (const item of items) {
		const units = scope
			.filter((h) => item.buildingId === null || h.buildingId === item.buildingId)
			.map((h) => ({ householdId: h.id, areaCenti: parseCenti(h.area) }));
		if (!units.some((u) => u.householdId === mine.householdId)) continue;
		const shares = splitCost(residentPartFen(item), item.split, units);
		byItem.set(item.id, shares.get(mine.householdId) ?? 0n);
	}
	return { householdId: mine.householdId, byItem };
}

/** Menu items for the editor's "add item" form. */
export async function listMenu(db: Executor) {
	return db.select().from(renovationItems).orderBy(asc(renovationItems.sort));
}

/** Projects a staff member may edit (all for admins, their projects for officers). */
export async function listProjectsForStaff(db: Executor, actor: Actor | null) {
	const scope = staffScope(actor, 'project.edit');
	return db
		.select({
			id: projects.id,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
			stage: projects.stage,
			communityId: projects.communityId,
		})
		.from(projects)
		.where(scopeFilter(scope, { projectId: projects.id }))
		.orderBy(desc(projects.year), asc(projects.id))
		.limit(500);
}

/** Buildings of a project's compounds, for building-scoped items and renderings. */
export async function listProjectBuildings(db: Executor, projectId: number) {
	return db
		.select({ id: buildings.id, number: buildings.number, compoundId: buildings.compoundId })
		.from(buildings)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, buildings.compoundId))
		.where(eq(projectCompounds.projectId, projectId))
		.orderBy(asc(buildings.compoundId), asc(buildings.id));
}

/** Text and item differences between two published versions of a project, or null. */
export async function getVersionDiff(
	db: Executor,
	input: { slug: string; from: number; to: number; viewer: Actor | null },
) {
	const [a, b] = await Promise.all([
		getPlanVersionView(db, { slug: input.slug, number: input.from, viewer: input.viewer }),
		getPlanVersionView(db, { slug: input.slug, number: input.to, viewer: input.viewer }),
	]);
	if (!a || !b) return null;
	const keyed = (items: PlanItemView[]) =>
		items.map((item) => ({ ...item, key: `${item.itemId}:${item.buildingId ?? 0}` }));
	return {
		project: a.project,
		from: a.version,
		to: b.version,
		text: diffLines(a.version.body, b.version.body),
		textEn: diffLines(a.version.bodyEn, b.version.bodyEn),
		items: diffItems(
			keyed(a.items),
			keyed(b.items),
			(x, y) =>
				x.costYuan === y.costYuan &&
				x.governmentYuan === y.governmentYuan &&
				x.residentYuan === y.residentYuan &&
				x.split === y.split &&
				x.description === y.description,
		),
		changes: b.changes,
	};
}

/** A published version's attachment by content hash (drafts' files are not public), or null. */
export async function getPublishedAttachment(db: Executor, hash: string) {
	const [row] = await db
		.select({
			data: attachments.data,
			byteLength: attachments.byteLength,
			title: attachments.title,
		})
		.from(attachments)
		.innerJoin(planVersions, eq(planVersions.id, attachments.planVersionId))
		.where(and(eq(attachments.hash, hash), ne(planVersions.status, 'draft')))
		.limit(1);
	return row ?? null;
}
