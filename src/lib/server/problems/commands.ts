import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
	buildings,
	problemPhotos,
	problemReports,
	projectCompounds,
	projects,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { enforceRateLimits, type Limit } from '../auth/index.ts';
import { savePreparedImage } from '../images/index.ts';
import { notify } from '../notifications/index.ts';
import type { Actor } from '../policy/index.ts';
import {
	chinaToday,
	isIsoDate,
	prepareImages,
	projectFor,
	requireResident,
} from '../progress/index.ts';
import { DomainError } from '../shared/index.ts';
import { isKnownUnit, REPORTABLE_STAGES } from './rules.ts';

/** Enough for a resident who walks the site and sees three things; too few to flood the queue. */
const reportLimit = (userId: string): Limit => ({
	key: `problem:user:${userId}`,
	limit: 5,
	windowSeconds: 3600,
});

/**
 * A resident reports a construction problem (派单): text, where (a building of the project
 * and/or a spot) and up to three photos (metadata stripped by the image pipeline). Only while
 * the project is under construction or in acceptance. Errors: unauthenticated, forbidden
 * (staff), not_found (project), closed (wrong stage), invalid (building, photos),
 * rate_limited. Nothing is stored on any error.
 */
export async function reportProblem(
	db: Db,
	actor: Actor | null,
	input: {
		projectId: number;
		body: string;
		buildingId?: number | undefined;
		place: string;
		photos: File[];
	},
): Promise<{ id: number }> {
	const resident = requireResident(actor);
	const [project] = await db.select().from(projects).where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	if (!REPORTABLE_STAGES.has(project.stage)) throw new DomainError('closed', 'problems.notNow');
	if (input.photos.length > 3) throw new DomainError('invalid', 'problems.tooManyPhotos');
	if (input.buildingId !== undefined) {
		const [inScope] = await db
			.select({ id: buildings.id })
			.from(buildings)
			.innerJoin(projectCompounds, eq(projectCompounds.compoundId, buildings.compoundId))
			.where(and(eq(buildings.id, input.buildingId), eq(projectCompounds.projectId, project.id)));
		if (!inScope) throw new DomainError('invalid', 'problems.buildingInvalid');
	}
	await enforceRateLimits(db, [reportLimit(resident.userId)]);
	const photos = await prepareImages(input.photos);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(problemReports)
			.values({
				projectId: project.id,
				reporterId: resident.userId,
				body: input.body,
				buildingId: input.buildingId ?? null,
				place: input.place,
			})
			.returning({ id: problemReports.id });
		for (const [sort, prepared] of photos.entries()) {
			const imageId = await savePreparedImage(tx, resident.userId, prepared);
			await tx
				.insert(problemPhotos)
				.values({ reportId: row!.id, imageId, sort })
				.onConflictDoNothing();
		}
		return { id: row!.id };
	});
}

async function reportForStaff(db: Db, actor: Actor | null, reportId: number) {
	const [report] = await db.select().from(problemReports).where(eq(problemReports.id, reportId));
	if (!report) throw new DomainError('not_found', 'error.notFound');
	const { staff, project } = await projectFor(db, actor, 'problem.dispatch', report.projectId);
	return { staff, project, report };
}

/**
 * Dispatches a report to a responsible unit with a due date (or re-dispatches it), and tells
 * the reporter. Errors: not_found (scope), invalid (unit not configured, due date in the past),
 * conflict (already closed).
 */
export async function dispatchProblem(
	db: Db,
	actor: Actor | null,
	input: { reportId: number; unit: string; dueOn: string },
	options: { units: readonly string[]; now?: Date },
): Promise<void> {
	const { staff, project, report } = await reportForStaff(db, actor, input.reportId);
	if (!isKnownUnit(options.units, input.unit))
		throw new DomainError('invalid', 'problems.unitInvalid');
	if (!isIsoDate(input.dueOn) || input.dueOn < chinaToday(options.now ?? new Date())) {
		throw new DomainError('invalid', 'problems.dueInvalid');
	}
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(problemReports)
			.set({
				status: 'dispatched',
				unit: input.unit,
				dueOn: input.dueOn,
				dispatchedBy: staff.userId,
				dispatchedAt: options.now ?? new Date(),
			})
			.where(
				and(
					eq(problemReports.id, report.id),
					inArray(problemReports.status, ['open', 'dispatched']),
				),
			)
			.returning({ id: problemReports.id });
		if (updated.length === 0) throw new DomainError('conflict', 'problems.alreadyClosed');
		if (report.reporterId) {
			await notify(tx, {
				userId: report.reporterId,
				kind: 'problem.dispatched',
				params: {
					project: project.name,
					projectEn: project.nameEn,
					unit: input.unit,
					due: input.dueOn,
				},
				link: `/p/${project.slug}/problems/${report.id}`,
				projectId: project.id,
			});
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'problem.dispatched',
			targetType: 'problem_report',
			targetId: report.id,
			communityId: project.communityId,
			details: { unit: input.unit, dueOn: input.dueOn },
		});
	});
}

/**
 * Closes a report with an answer and optionally a photo of the fix, and tells the reporter.
 * Errors: not_found (scope), invalid (photo), conflict (already closed).
 */
export async function closeProblem(
	db: Db,
	actor: Actor | null,
	input: { reportId: number; answer: string; photo: File[] },
	now = new Date(),
): Promise<void> {
	const { staff, project, report } = await reportForStaff(db, actor, input.reportId);
	if (report.status === 'closed') throw new DomainError('conflict', 'problems.alreadyClosed');
	if (input.photo.length > 1) throw new DomainError('invalid', 'problems.tooManyPhotos');
	const [photo] = await prepareImages(input.photo);
	await db.transaction(async (tx) => {
		const answerImageId = photo ? await savePreparedImage(tx, staff.userId, photo) : null;
		const updated = await tx
			.update(problemReports)
			.set({
				status: 'closed',
				answer: input.answer,
				answerImageId,
				closedBy: staff.userId,
				closedAt: now,
				// A report closed straight away was handled by the committee itself.
				unit: report.unit ?? 'committee',
				dispatchedAt: report.dispatchedAt ?? now,
			})
			.where(
				and(
					eq(problemReports.id, report.id),
					inArray(problemReports.status, ['open', 'dispatched']),
				),
			)
			.returning({ id: problemReports.id });
		if (updated.length === 0) throw new DomainError('conflict', 'problems.alreadyClosed');
		if (report.reporterId) {
			await notify(tx, {
				userId: report.reporterId,
				kind: 'problem.closed',
				params: { project: project.name, projectEn: project.nameEn },
				link: `/p/${project.slug}/problems/${report.id}`,
				projectId: project.id,
			});
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'problem.closed',
			targetType: 'problem_report',
			targetId: report.id,
			communityId: project.communityId,
			details: { photo: answerImageId !== null },
		});
	});
}
