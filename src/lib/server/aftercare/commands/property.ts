import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { projects, propertyManagementRecords } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import { isIsoDate, projectFor } from '../../progress/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { PropertyModel } from '../rules.ts';

export type PropertyInput = {
	projectId: number;
	model: PropertyModel;
	manager: string;
	contractStart: string;
	contractEnd?: string | undefined;
	feePerSqm: string;
	contact: string;
	note: string;
};

/**
 * Records who manages the compound after the works, as residents decided it in the special
 * round (物业服务企业 / 居民自治 / 社区托管): the committee that publishes round results records
 * it. Each call adds the next version; earlier versions stay public. Errors: not_found (scope),
 * invalid (dates: the contract must end after it starts). Audited.
 */
export async function recordPropertyManagement(
	db: Db,
	actor: Actor | null,
	input: PropertyInput,
): Promise<{ version: number }> {
	const { staff, project } = await projectFor(db, actor, 'results.publish', input.projectId);
	const end = input.contractEnd || null;
	if (
		!isIsoDate(input.contractStart) ||
		(end !== null && (!isIsoDate(end) || end <= input.contractStart))
	) {
		throw new DomainError('invalid', 'aftercare.contractInvalid');
	}
	return db.transaction(async (tx) => {
		// One writer per project at a time: versions are numbered without gaps or races.
		await tx
			.select({ id: projects.id })
			.from(projects)
			.where(eq(projects.id, project.id))
			.for('update');
		const [last] = await tx
			.select({ version: sql<number>`coalesce(max(${propertyManagementRecords.version}), 0)::int` })
			.from(propertyManagementRecords)
			.where(eq(propertyManagementRecords.projectId, project.id));
		const version = (last?.version ?? 0) + 1;
		await tx.insert(propertyManagementRecords).values({
			projectId: project.id,
			version,
			model: input.model,
			manager: input.manager,
			contractStart: input.contractStart,
			contractEnd: end,
			feePerSqm: input.feePerSqm,
			contact: input.contact,
			note: input.note,
			recordedBy: staff.userId,
		});
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'property.recorded',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { version, model: input.model, manager: input.manager, fee: input.feePerSqm },
		});
		return { version };
	});
}
