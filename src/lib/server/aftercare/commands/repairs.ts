import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import {
	buildings,
	projectCompounds,
	projects,
	repairPhotos,
	repairRequests,
	warrantyItems,
} from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { notify } from '../../notifications/index.ts';
import { enforceRateLimits } from '../../auth/index.ts';
import { savePreparedImage } from '../../images/index.ts';
import type { Actor } from '../../policy/index.ts';
import { chinaToday, prepareImages, projectFor, requireResident } from '../../progress/index.ts';
import { DomainError } from '../../shared/index.ts';
import { listPropertyManagement } from '../queries.ts';
import { REPAIRABLE_STAGES, repairDueOn, routeRepair, type RepairCategory } from '../rules.ts';

/**
 * A resident reports a defect on an accepted item (报修): category, text, where (building and
 * 单元) and up to three photos (image pipeline: metadata stripped). It is routed at once by
 * `routeRepair` — the contractor under warranty, the property manager after — with a due date
 * by category; the property manager is the one on record now. Only in the 长效管理 stage. Errors: unauthenticated, forbidden (staff), not_found
 * (project), closed (stage), invalid (item, building, photos), rate_limited; nothing is stored
 * on any error.
 */
export async function reportRepair(
	db: Db,
	actor: Actor | null,
	input: {
		projectId: number;
		warrantyItemId: number;
		category: RepairCategory;
		body: string;
		buildingId?: number | undefined;
		unitLabel: string;
		photos: File[];
	},
	options: { now?: Date } = {},
): Promise<{ id: number }> {
	const resident = requireResident(actor);
	const [project] = await db.select().from(projects).where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	if (!REPAIRABLE_STAGES.has(project.stage)) throw new DomainError('closed', 'aftercare.notNow');
	if (input.photos.length > 3) throw new DomainError('invalid', 'progress.tooManyPhotos');
	const [item] = await db
		.select()
		.from(warrantyItems)
		.where(
			and(eq(warrantyItems.id, input.warrantyItemId), eq(warrantyItems.projectId, project.id)),
		);
	if (!item) throw new DomainError('invalid', 'aftercare.itemInvalid');
	if (input.buildingId !== undefined) {
		const [inScope] = await db
			.select({ id: buildings.id })
			.from(buildings)
			.innerJoin(projectCompounds, eq(projectCompounds.compoundId, buildings.compoundId))
			.where(and(eq(buildings.id, input.buildingId), eq(projectCompounds.projectId, project.id)));
		if (!inScope) throw new DomainError('invalid', 'problems.buildingInvalid');
	}
	await enforceRateLimits(db, [
		{ key: `repair:user:${resident.userId}`, limit: 5, windowSeconds: 3600 },
	]);
	const photos = await prepareImages(input.photos);
	const today = chinaToday(options.now ?? new Date());
	const [manager] = await listPropertyManagement(db, project.id);
	const route = routeRepair(item, today, manager?.manager ?? '');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(repairRequests)
			.values({
				projectId: project.id,
				warrantyItemId: item.id,
				reporterId: resident.userId,
				category: input.category,
				body: input.body,
				buildingId: input.buildingId ?? null,
				unitLabel: input.unitLabel,
				...route,
				dueOn: repairDueOn(input.category, today),
				createdAt: options.now ?? new Date(),
			})
			.returning({ id: repairRequests.id });
		for (const [sort, prepared] of photos.entries()) {
			const imageId = await savePreparedImage(tx, resident.userId, prepared);
			await tx
				.insert(repairPhotos)
				.values({ requestId: row!.id, imageId, sort })
				.onConflictDoNothing();
		}
		return { id: row!.id };
	});
}

/**
 * The committee records the responsible party's answer (施工单位 or 物业 replied): either a
 * progress note (in progress) or the closing answer; the reporter is notified of the new
 * state in the same transaction. Errors: not_found (scope), conflict (already closed). Audited.
 */
export async function answerRepair(
	db: Db,
	actor: Actor | null,
	input: { requestId: number; answer: string; close: boolean },
	now = new Date(),
): Promise<void> {
	const [request] = await db
		.select()
		.from(repairRequests)
		.where(eq(repairRequests.id, input.requestId));
	if (!request) throw new DomainError('not_found', 'error.notFound');
	// Repair requests are the after-works counterpart of construction problems (派单).
	const { staff, project } = await projectFor(db, actor, 'problem.dispatch', request.projectId);
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(repairRequests)
			.set({
				status: input.close ? 'closed' : 'in_progress',
				answer: input.answer,
				answeredBy: staff.userId,
				closedAt: input.close ? now : null,
				closedOn: input.close ? chinaToday(now) : null,
			})
			.where(
				and(
					eq(repairRequests.id, request.id),
					inArray(repairRequests.status, ['open', 'in_progress']),
				),
			)
			.returning({ id: repairRequests.id });
		if (updated.length === 0) throw new DomainError('conflict', 'aftercare.alreadyClosed');
		// The reporter learns of each change of state (issue 23), unless their account is gone.
		if (request.reporterId) {
			const params = { project: project.name, projectEn: project.nameEn, requestId: request.id };
			const link = `/p/${project.slug}/repairs/${request.id}`;
			await notify(tx, {
				userId: request.reporterId,
				kind: input.close ? 'repair.closed' : 'repair.answered',
				params,
				link,
				projectId: project.id,
			});
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: input.close ? 'repair.closed' : 'repair.answered',
			targetType: 'repair_request',
			targetId: request.id,
			communityId: project.communityId,
			details: { party: request.party },
		});
	});
}
