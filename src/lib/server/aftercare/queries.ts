import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	acceptanceRecords,
	buildings,
	itemProgress,
	projects,
	propertyManagementRecords,
	renovationItems,
	repairPhotos,
	repairRequests,
	warrantyItems,
} from '../../../../db/schema/index.ts';
import { getImageViews, type ImageView } from '../images/index.ts';
import { can, scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { isOverdue, isUnderWarranty, repairCounts, type RepairStatus } from './rules.ts';

export type WarrantyView = {
	id: number;
	itemName: string;
	itemNameEn: string;
	buildingNumber: string | null;
	contractor: string;
	months: number;
	startsOn: string;
	endsOn: string;
	underWarranty: boolean;
};

/** A project's warranty ledger, in menu order; each item says whether it is still covered. */
export async function listWarranty(
	db: Executor,
	projectId: number,
	today: string,
): Promise<WarrantyView[]> {
	const rows = await db
		.select({
			id: warrantyItems.id,
			itemName: renovationItems.name,
			itemNameEn: renovationItems.nameEn,
			buildingNumber: buildings.number,
			contractor: warrantyItems.contractor,
			months: warrantyItems.months,
			startsOn: warrantyItems.startsOn,
			endsOn: warrantyItems.endsOn,
		})
		.from(warrantyItems)
		.innerJoin(itemProgress, eq(itemProgress.id, warrantyItems.itemProgressId))
		.innerJoin(renovationItems, eq(renovationItems.id, itemProgress.itemId))
		.leftJoin(buildings, eq(buildings.id, itemProgress.buildingId))
		.where(eq(warrantyItems.projectId, projectId))
		.orderBy(asc(renovationItems.sort), asc(buildings.number));
	return rows.map((r) => ({ ...r, underWarranty: isUnderWarranty(r.endsOn, today) }));
}

export type AcceptedItem = {
	itemProgressId: number;
	itemName: string;
	itemNameEn: string;
	buildingNumber: string | null;
	contractor: string | null;
	months: number | null;
	endsOn: string | null;
};

/**
 * The staff ledger form: the items done at a passed acceptance with their warranty so far;
 * null when the project has no passed acceptance yet.
 */
export async function listAcceptedItems(
	db: Executor,
	projectId: number,
): Promise<{ heldOn: string; items: AcceptedItem[] } | null> {
	const [acceptance] = await db
		.select()
		.from(acceptanceRecords)
		.where(eq(acceptanceRecords.projectId, projectId));
	if (!acceptance || acceptance.outcome === 'failed') return null;
	const items = await db
		.select({
			itemProgressId: itemProgress.id,
			itemName: renovationItems.name,
			itemNameEn: renovationItems.nameEn,
			buildingNumber: buildings.number,
			contractor: warrantyItems.contractor,
			months: warrantyItems.months,
			endsOn: warrantyItems.endsOn,
		})
		.from(itemProgress)
		.innerJoin(renovationItems, eq(renovationItems.id, itemProgress.itemId))
		.leftJoin(buildings, eq(buildings.id, itemProgress.buildingId))
		.leftJoin(warrantyItems, eq(warrantyItems.itemProgressId, itemProgress.id))
		.where(and(eq(itemProgress.projectId, projectId), eq(itemProgress.status, 'done')))
		.orderBy(asc(renovationItems.sort), asc(buildings.number));
	return { heldOn: acceptance.heldOn, items };
}

/** The public figures of a project's repair requests: opened, closed in time, overdue. */
export async function repairStats(db: Executor, projectId: number, today: string) {
	const rows = await db
		.select({
			status: repairRequests.status,
			dueOn: repairRequests.dueOn,
			closedOn: repairRequests.closedOn,
		})
		.from(repairRequests)
		.where(eq(repairRequests.projectId, projectId));
	return repairCounts(rows, today);
}

export type RepairView = {
	id: number;
	projectId: number;
	projectSlug: string;
	projectName: string;
	projectNameEn: string;
	itemName: string;
	itemNameEn: string;
	category: (typeof repairRequests.$inferSelect)['category'];
	body: string;
	buildingNumber: string | null;
	unitLabel: string;
	party: 'contractor' | 'property_manager';
	partyName: string;
	dueOn: string;
	status: RepairStatus;
	answer: string;
	createdAt: Date;
	closedAt: Date | null;
	overdue: boolean;
	photos: ImageView[];
};

const base = (db: Executor) =>
	db
		.select({
			request: repairRequests,
			projectSlug: projects.slug,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			communityId: projects.communityId,
			itemName: renovationItems.name,
			itemNameEn: renovationItems.nameEn,
			buildingNumber: buildings.number,
		})
		.from(repairRequests)
		.innerJoin(projects, eq(projects.id, repairRequests.projectId))
		.innerJoin(warrantyItems, eq(warrantyItems.id, repairRequests.warrantyItemId))
		.innerJoin(itemProgress, eq(itemProgress.id, warrantyItems.itemProgressId))
		.innerJoin(renovationItems, eq(renovationItems.id, itemProgress.itemId))
		.leftJoin(buildings, eq(buildings.id, repairRequests.buildingId));

type Row = Awaited<ReturnType<ReturnType<typeof base>['where']>>[number];

async function toViews(db: Executor, rows: Row[], today: string): Promise<RepairView[]> {
	if (rows.length === 0) return [];
	const photos = await db
		.select()
		.from(repairPhotos)
		.where(
			inArray(
				repairPhotos.requestId,
				rows.map((r) => r.request.id),
			),
		)
		.orderBy(asc(repairPhotos.sort));
	const images = await getImageViews(
		db,
		photos.map((p) => p.imageId),
	);
	return rows.map(({ request: r, communityId: _, ...joined }) => ({
		...joined,
		id: r.id,
		projectId: r.projectId,
		category: r.category,
		body: r.body,
		unitLabel: r.unitLabel,
		party: r.party,
		partyName: r.partyName,
		dueOn: r.dueOn,
		status: r.status,
		answer: r.answer,
		createdAt: r.createdAt,
		closedAt: r.closedAt,
		overdue: isOverdue(r, today),
		photos: photos.flatMap((p) => {
			const view = p.requestId === r.id ? images.get(p.imageId) : undefined;
			return view ? [view] : [];
		}),
	}));
}

/**
 * One request for its reporter or for staff who may answer it; null for anyone else (a
 * request may describe someone's home, and its existence is not revealed).
 */
export async function getRepairForViewer(
	db: Executor,
	actor: Actor | null,
	requestId: number,
	today: string,
): Promise<RepairView | null> {
	const [row] = await base(db).where(eq(repairRequests.id, requestId));
	if (!row) return null;
	const reporter = actor?.kind === 'resident' && row.request.reporterId === actor.userId;
	const staff = can(actor, 'problem.dispatch', {
		projectId: row.request.projectId,
		communityId: row.communityId,
	});
	if (!reporter && !staff) return null;
	const [view] = await toViews(db, [row], today);
	return view ?? null;
}

/** A resident's own requests on a project, newest first. */
export async function listMyRepairs(
	db: Executor,
	userId: string,
	projectId: number,
	today: string,
): Promise<RepairView[]> {
	const rows = await base(db)
		.where(and(eq(repairRequests.reporterId, userId), eq(repairRequests.projectId, projectId)))
		.orderBy(desc(repairRequests.id))
		.limit(50);
	return toViews(db, rows, today);
}

/**
 * The staff queue: requests of the communities in the actor's scope (all for admins); those
 * not closed first, earliest due on top (so the overdue lead), then recently closed ones.
 */
export async function listRepairsForStaff(
	db: Executor,
	actor: Actor | null,
	today: string,
): Promise<RepairView[]> {
	const scope = staffScope(actor, 'problem.dispatch');
	const rows = await base(db)
		.where(scopeFilter(scope, { communityId: projects.communityId }))
		.orderBy(
			sql`${repairRequests.status} = 'closed'`,
			asc(repairRequests.dueOn),
			desc(repairRequests.closedAt),
		)
		.limit(200);
	return toViews(db, rows, today);
}

export type PropertyRecordView = typeof propertyManagementRecords.$inferSelect;

/** A project's property-management record, newest version first ([] when none is recorded). */
export async function listPropertyManagement(
	db: Executor,
	projectId: number,
): Promise<PropertyRecordView[]> {
	return db
		.select()
		.from(propertyManagementRecords)
		.where(eq(propertyManagementRecords.projectId, projectId))
		.orderBy(desc(propertyManagementRecords.version));
}
