import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema/index.ts';

/** XSS bait in every text field by default: every page that shows it doubles as an escaping test. */
export const xssBait = '<script>alert("gj")</script><img src=x onerror=alert(1)>';

const HOUR = 3_600_000;

/** The demo project with this slug (seeded by seedDemo): its id, community and compounds. */
export async function demoProject(db: Db, slug: string) {
	const [project] = await db
		.select({
			id: s.projects.id,
			communityId: s.projects.communityId,
			moderation: s.projects.moderation,
		})
		.from(s.projects)
		.where(eq(s.projects.slug, slug));
	if (!project) throw new Error(`no demo project ${slug}`);
	const compounds = await db
		.select({ id: s.projectCompounds.compoundId })
		.from(s.projectCompounds)
		.where(eq(s.projectCompounds.projectId, project.id));
	return { ...project, compoundIds: compounds.map((c) => c.id) };
}

export type PlanVersionOverrides = {
	projectId: number;
	status?: 'draft' | 'open' | 'closed' | 'superseded' | 'final';
	/** Default: an hour ago (a week ahead for closing), so the window is open now. */
	opensAt?: Date;
	closesAt?: Date;
	number?: number;
	title?: string;
	body?: string;
};

/**
 * A plan version row written directly (no audit, no rules): the next number of the project,
 * open for comment around now unless told otherwise. Drafts get no window or publication date.
 */
export async function createPlanVersion(db: Db, overrides: PlanVersionOverrides) {
	const now = Date.now();
	const status = overrides.status ?? 'open';
	const [last] = await db
		.select({ n: sql<number>`coalesce(max(${s.planVersions.number}), 0)::int` })
		.from(s.planVersions)
		.where(eq(s.planVersions.projectId, overrides.projectId));
	const draft = status === 'draft';
	const [row] = await db
		.insert(s.planVersions)
		.values({
			projectId: overrides.projectId,
			number: overrides.number ?? (last?.n ?? 0) + 1,
			title: overrides.title ?? `改造方案 ${xssBait}`,
			titleEn: 'Renovation plan',
			body: overrides.body ?? `## 方案说明\n\n${xssBait}`,
			status,
			commentOpensAt: draft ? null : (overrides.opensAt ?? new Date(now - HOUR)),
			commentClosesAt: draft ? null : (overrides.closesAt ?? new Date(now + 7 * 24 * HOUR)),
			publishedAt: draft ? null : new Date(now - 2 * HOUR),
		})
		.returning();
	return row!;
}

/** A renovation item of the menu in a version (the next menu item not yet in it). */
export async function createPlanItem(
	db: Db,
	planVersionId: number,
	overrides: { buildingId?: number; costYuan?: string } = {},
) {
	const [item] = await db
		.select({ id: s.renovationItems.id })
		.from(s.renovationItems)
		.where(
			sql`not exists (select 1 from plan_items p where p.plan_version_id = ${planVersionId} and p.item_id = ${s.renovationItems.id})`,
		)
		.orderBy(s.renovationItems.sort)
		.limit(1);
	if (!item) throw new Error('the menu is empty or used up: seed the demo first');
	const [row] = await db
		.insert(s.planItems)
		.values({
			planVersionId,
			itemId: item.id,
			buildingId: overrides.buildingId ?? null,
			description: xssBait,
			costYuan: overrides.costYuan ?? '100000.00',
			governmentYuan: '60000.00',
			residentYuan: '40000.00',
		})
		.returning();
	return row!;
}

/** A stored image row (bytes are random: enough for foreign keys, never decoded). */
export async function createImageRow(db: Db) {
	const original = randomBytes(64);
	const id = createHash('sha256').update(original).digest('hex');
	await db.insert(s.images).values({
		id,
		width: 1600,
		height: 1200,
		placeholder: 'data:image/webp;base64,',
		original,
		originalType: 'image/jpeg',
		status: 'ready',
	});
	return id;
}

/** A before/after rendering pair in a version, with image rows behind it. */
export async function createRendering(
	db: Db,
	planVersionId: number,
	overrides: { caption?: string; buildingId?: number } = {},
) {
	const [row] = await db
		.insert(s.renderings)
		.values({
			planVersionId,
			beforeImageId: await createImageRow(db),
			afterImageId: await createImageRow(db),
			caption: overrides.caption ?? `楼道改造前后 ${xssBait}`,
			captionEn: 'Stairwell before and after',
			buildingId: overrides.buildingId ?? null,
		})
		.returning();
	return row!;
}

/** Moves a version's comment window (e.g. to close it in the middle of a test). */
export async function setCommentWindow(
	db: Db,
	planVersionId: number,
	window: { opensAt: Date; closesAt: Date; status?: 'open' | 'closed' },
) {
	await db
		.update(s.planVersions)
		.set({
			commentOpensAt: window.opensAt,
			commentClosesAt: window.closesAt,
			...(window.status ? { status: window.status } : {}),
		})
		.where(and(eq(s.planVersions.id, planVersionId)));
}
