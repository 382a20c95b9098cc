import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
	acceptanceDefects,
	acceptanceRecords,
	acceptanceScans,
	projects,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { savePreparedImage } from '../images/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError, isUniqueViolation } from '../shared/index.ts';
import { projectFor } from './access.ts';
import { prepareImages, writeMilestone } from './commands.ts';
import { chinaToday, isIsoDate, lines, parseDefectLines } from './rules.ts';

export type AcceptanceInput = {
	projectId: number;
	heldOn: string;
	units: string;
	representatives: string;
	outcome: 'passed' | 'passed_with_defects' | 'failed';
	notes: string;
	/** One defect per line: "YYYY-MM-DD description" (the deadline to fix it first). */
	defects: string;
	scans: File[];
};

/**
 * Records the joint completion acceptance (联合竣工验收): date, participating units, residents'
 * representatives, outcome, open defects with deadlines, and scans of the signed form. It also
 * sets the joint-acceptance milestone to that date, which notifies the project's followers.
 * One record per project. Errors: not_found (scope), invalid (date, defect lines, images, a
 * "passed with defects" without defects), conflict (already recorded).
 */
export async function recordAcceptance(
	db: Db,
	actor: Actor | null,
	input: AcceptanceInput,
	now = new Date(),
): Promise<{ id: number }> {
	const { staff, project } = await projectFor(db, actor, 'acceptance.record', input.projectId);
	if (!isIsoDate(input.heldOn) || input.heldOn > chinaToday(now)) {
		throw new DomainError('invalid', 'progress.dateInvalid');
	}
	const parsed = parseDefectLines(input.defects);
	if (!parsed.ok) {
		throw new DomainError('invalid', 'progress.defectLineInvalid', {
			params: { line: parsed.line },
		});
	}
	if (input.outcome === 'passed_with_defects' && parsed.defects.length === 0) {
		throw new DomainError('invalid', 'progress.defectsRequired');
	}
	if (lines(input.units).length === 0 || lines(input.representatives).length === 0) {
		throw new DomainError('invalid', 'progress.unitsRequired');
	}
	if (input.scans.length > 6) throw new DomainError('invalid', 'progress.tooManyPhotos');
	const scans = await prepareImages(input.scans);
	try {
		return await db.transaction(async (tx) => {
			const [record] = await tx
				.insert(acceptanceRecords)
				.values({
					projectId: project.id,
					heldOn: input.heldOn,
					units: lines(input.units).join('\n'),
					representatives: lines(input.representatives).join('\n'),
					outcome: input.outcome,
					notes: input.notes,
					recordedBy: staff.userId,
				})
				.returning({ id: acceptanceRecords.id });
			const recordId = record!.id;
			if (parsed.defects.length) {
				await tx.insert(acceptanceDefects).values(parsed.defects.map((d) => ({ recordId, ...d })));
			}
			for (const [sort, prepared] of scans.entries()) {
				const imageId = await savePreparedImage(tx, staff.userId, prepared);
				await tx.insert(acceptanceScans).values({ recordId, imageId, sort }).onConflictDoNothing();
			}
			await writeMilestone(tx, project, {
				kind: 'joint_acceptance',
				plannedOn: '',
				achievedOn: input.heldOn,
			});
			await appendAudit(tx, {
				actorId: staff.userId,
				actorKind: 'staff',
				action: 'progress.acceptance_recorded',
				targetType: 'project',
				targetId: project.id,
				communityId: project.communityId,
				details: { outcome: input.outcome, defects: parsed.defects.length, scans: scans.length },
			});
			return { id: recordId };
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw new DomainError('conflict', 'progress.acceptanceExists');
		throw error;
	}
}

/**
 * Marks an acceptance defect fixed on a date (整改完成). Errors: not_found (scope or defect),
 * invalid (date in the future or before the acceptance).
 */
export async function markDefectFixed(
	db: Db,
	actor: Actor | null,
	input: { defectId: number; fixedOn: string },
	now = new Date(),
): Promise<void> {
	const [row] = await db
		.select({ projectId: projects.id, heldOn: acceptanceRecords.heldOn })
		.from(acceptanceDefects)
		.innerJoin(acceptanceRecords, eq(acceptanceRecords.id, acceptanceDefects.recordId))
		.innerJoin(projects, eq(projects.id, acceptanceRecords.projectId))
		.where(eq(acceptanceDefects.id, input.defectId));
	if (!row) throw new DomainError('not_found', 'error.notFound');
	const { staff, project } = await projectFor(db, actor, 'acceptance.record', row.projectId);
	if (!isIsoDate(input.fixedOn) || input.fixedOn > chinaToday(now) || input.fixedOn < row.heldOn) {
		throw new DomainError('invalid', 'progress.dateInvalid');
	}
	await db.transaction(async (tx) => {
		await tx
			.update(acceptanceDefects)
			.set({ fixedOn: input.fixedOn })
			.where(and(eq(acceptanceDefects.id, input.defectId)));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'progress.defect_fixed',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { defectId: input.defectId, fixedOn: input.fixedOn },
		});
	});
}
