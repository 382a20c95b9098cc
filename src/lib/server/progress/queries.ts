import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	acceptanceDefects,
	acceptanceRecords,
	acceptanceScans,
	buildings,
	itemProgress,
	meetingRsvps,
	meetings,
	milestones,
	planItems,
	planVersions,
	progressItemChanges,
	progressPhotos,
	progressUpdates,
	projects,
	renovationItems,
} from '../../../../db/schema/index.ts';
import { getImageViews, type ImageView } from '../images/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import {
	itemKey,
	MILESTONES,
	overallPercent,
	type ItemStatus,
	type MilestoneKind,
} from './rules.ts';

/**
 * The plan version whose items are being built: the final one (上墙公示), or else the newest
 * published one. Null when nothing was published.
 */
export async function currentPlanVersion(db: Executor, projectId: number) {
	const [row] = await db
		.select({ id: planVersions.id, number: planVersions.number, status: planVersions.status })
		.from(planVersions)
		.where(and(eq(planVersions.projectId, projectId), ne(planVersions.status, 'draft')))
		.orderBy(sql`${planVersions.status} = 'final' desc`, desc(planVersions.number))
		.limit(1);
	return row ?? null;
}

export type ItemProgressView = {
	key: string;
	itemId: number;
	buildingId: number | null;
	code: string;
	name: string;
	nameEn: string;
	buildingNumber: string | null;
	status: ItemStatus;
	percent: number;
	reason: string;
	updatedAt: Date | null;
};

/**
 * The items of the current plan with their progress, plus items that have progress but left
 * the plan (a dropped item stays visible with its reason). Menu order, then building.
 */
export async function listItemProgress(
	db: Executor,
	projectId: number,
): Promise<ItemProgressView[]> {
	const version = await currentPlanVersion(db, projectId);
	const [planned, progress] = await Promise.all([
		version
			? db
					.select({ itemId: planItems.itemId, buildingId: planItems.buildingId })
					.from(planItems)
					.where(eq(planItems.planVersionId, version.id))
			: Promise.resolve([]),
		db.select().from(itemProgress).where(eq(itemProgress.projectId, projectId)),
	]);
	const byKey = new Map(progress.map((p) => [itemKey(p.itemId, p.buildingId), p]));
	const keys = new Map<string, { itemId: number; buildingId: number | null }>();
	for (const row of [...planned, ...progress])
		keys.set(itemKey(row.itemId, row.buildingId), {
			itemId: row.itemId,
			buildingId: row.buildingId,
		});
	if (keys.size === 0) return [];
	const itemIds = [...new Set([...keys.values()].map((k) => k.itemId))];
	const buildingIds = [
		...new Set([...keys.values()].flatMap((k) => (k.buildingId === null ? [] : [k.buildingId]))),
	];
	const [menu, buildingRows] = await Promise.all([
		db.select().from(renovationItems).where(inArray(renovationItems.id, itemIds)),
		buildingIds.length
			? db
					.select({ id: buildings.id, number: buildings.number })
					.from(buildings)
					.where(inArray(buildings.id, buildingIds))
			: Promise.resolve([]),
	]);
	const menuById = new Map(menu.map((m) => [m.id, m]));
	const buildingNumber = new Map(buildingRows.map((b) => [b.id, b.number]));
	return [...keys.entries()]
		.map(([key, { itemId, buildingId }]) => {
			const m = menuById.get(itemId)!;
			const p = byKey.get(key);
			return {
				key,
				itemId,
				buildingId,
				code: m.code,
				name: m.name,
				nameEn: m.nameEn,
				sort: m.sort,
				buildingNumber: buildingId === null ? null : (buildingNumber.get(buildingId) ?? null),
				status: p?.status ?? 'not_started',
				percent: p?.percent ?? 0,
				reason: p?.reason ?? '',
				updatedAt: p?.updatedAt ?? null,
			};
		})
		.sort((a, b) => a.sort - b.sort || (a.buildingId ?? 0) - (b.buildingId ?? 0))
		.map(({ sort: _sort, ...view }) => view);
}

export type MilestoneView = {
	kind: MilestoneKind;
	plannedOn: string | null;
	achievedOn: string | null;
};

/** The three milestones in order, with planned and actual dates (null when not set). */
export async function listMilestones(db: Executor, projectId: number): Promise<MilestoneView[]> {
	const rows = await db.select().from(milestones).where(eq(milestones.projectId, projectId));
	return MILESTONES.map((kind) => {
		const row = rows.find((r) => r.kind === kind);
		return { kind, plannedOn: row?.plannedOn ?? null, achievedOn: row?.achievedOn ?? null };
	});
}

export type UpdateView = {
	id: number;
	body: string;
	bodyEn: string;
	createdAt: Date;
	photos: ImageView[];
	changes: {
		code: string;
		name: string;
		nameEn: string;
		buildingNumber: string | null;
		status: ItemStatus;
		percent: number;
		reason: string;
	}[];
};

/** A project's progress updates, newest first, with their photos and item changes. */
export async function listProgressUpdates(
	db: Executor,
	projectId: number,
	limit = 20,
): Promise<UpdateView[]> {
	const updates = await db
		.select()
		.from(progressUpdates)
		.where(eq(progressUpdates.projectId, projectId))
		.orderBy(desc(progressUpdates.createdAt), desc(progressUpdates.id))
		.limit(limit);
	if (updates.length === 0) return [];
	const ids = updates.map((u) => u.id);
	const [photos, changes] = await Promise.all([
		db
			.select()
			.from(progressPhotos)
			.where(inArray(progressPhotos.updateId, ids))
			.orderBy(asc(progressPhotos.sort)),
		db
			.select({
				updateId: progressItemChanges.updateId,
				code: renovationItems.code,
				name: renovationItems.name,
				nameEn: renovationItems.nameEn,
				buildingNumber: buildings.number,
				status: progressItemChanges.status,
				percent: progressItemChanges.percent,
				reason: progressItemChanges.reason,
			})
			.from(progressItemChanges)
			.innerJoin(renovationItems, eq(renovationItems.id, progressItemChanges.itemId))
			.leftJoin(buildings, eq(buildings.id, progressItemChanges.buildingId))
			.where(inArray(progressItemChanges.updateId, ids))
			.orderBy(asc(renovationItems.sort), asc(progressItemChanges.id)),
	]);
	const views = await getImageViews(
		db,
		photos.map((p) => p.imageId),
	);
	return updates.map((u) => ({
		id: u.id,
		body: u.body,
		bodyEn: u.bodyEn,
		createdAt: u.createdAt,
		photos: photos.flatMap((p) => {
			const view = p.updateId === u.id ? views.get(p.imageId) : undefined;
			return view ? [view] : [];
		}),
		changes: changes.filter((c) => c.updateId === u.id).map(({ updateId: _u, ...c }) => c),
	}));
}

/** What the project page's progress block shows: items, overall percent, milestones, latest. */
export async function getProgressSummary(db: Executor, projectId: number) {
	const [items, milestoneViews, latest] = await Promise.all([
		listItemProgress(db, projectId),
		listMilestones(db, projectId),
		listProgressUpdates(db, projectId, 1),
	]);
	return {
		items,
		overall: overallPercent(items),
		milestones: milestoneViews,
		latest: latest[0] ?? null,
	};
}

/** The joint acceptance record of a project, with defects and scans, or null. */
export async function getAcceptance(db: Executor, projectId: number) {
	const [record] = await db
		.select()
		.from(acceptanceRecords)
		.where(eq(acceptanceRecords.projectId, projectId));
	if (!record) return null;
	const [defects, scans] = await Promise.all([
		db
			.select()
			.from(acceptanceDefects)
			.where(eq(acceptanceDefects.recordId, record.id))
			.orderBy(asc(acceptanceDefects.dueOn), asc(acceptanceDefects.id)),
		db
			.select()
			.from(acceptanceScans)
			.where(eq(acceptanceScans.recordId, record.id))
			.orderBy(asc(acceptanceScans.sort)),
	]);
	const views = await getImageViews(
		db,
		scans.map((s) => s.imageId),
	);
	return {
		id: record.id,
		heldOn: record.heldOn,
		units: record.units,
		representatives: record.representatives,
		outcome: record.outcome,
		notes: record.notes,
		defects: defects.map((d) => ({
			id: d.id,
			description: d.description,
			dueOn: d.dueOn,
			fixedOn: d.fixedOn,
		})),
		scans: scans.flatMap((s) => {
			const view = views.get(s.imageId);
			return view ? [view] : [];
		}),
	};
}

export type MeetingView = {
	id: number;
	title: string;
	startsAt: Date;
	place: string;
	agenda: string;
	minutes: string;
	decisions: string;
	attendance: number | null;
	minutesPublished: boolean;
	rsvps: number;
	attending: boolean;
};

/** A project's meetings, soonest upcoming first then past ones, with RSVP counts. */
export async function listMeetings(
	db: Executor,
	projectId: number,
	viewerId: string | null,
): Promise<MeetingView[]> {
	const rows = await db
		.select({
			meeting: meetings,
			rsvps: sql<number>`(select count(*)::int from meeting_rsvps r where r.meeting_id = ${meetings.id})`,
		})
		.from(meetings)
		.where(eq(meetings.projectId, projectId))
		.orderBy(desc(meetings.startsAt))
		.limit(50);
	const mine = viewerId
		? new Set(
				(
					await db
						.select({ id: meetingRsvps.meetingId })
						.from(meetingRsvps)
						.where(eq(meetingRsvps.userId, viewerId))
				).map((r) => r.id),
			)
		: new Set<number>();
	return rows.map(({ meeting: m, rsvps }) => ({
		id: m.id,
		title: m.title,
		startsAt: m.startsAt,
		place: m.place,
		agenda: m.agenda,
		minutes: m.minutesPublishedAt ? m.minutes : '',
		decisions: m.minutesPublishedAt ? m.decisions : '',
		attendance: m.minutesPublishedAt ? m.attendance : null,
		minutesPublished: m.minutesPublishedAt !== null,
		rsvps,
		attending: mine.has(m.id),
	}));
}

/**
 * Projects whose progress or meetings a staff member manages: all for admins, their projects
 * for officers, their communities' projects for moderators (committee).
 */
export async function listProjectsForProgress(db: Executor, actor: Actor | null) {
	const scope = staffScope(actor, 'progress.post', 'meeting.manage');
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
		.where(scopeFilter(scope, { communityId: projects.communityId, projectId: projects.id }))
		.orderBy(desc(projects.year), asc(projects.id))
		.limit(500);
}
