import { eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { acceptanceRecords, itemProgress, warrantyItems } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import { projectFor } from '../../progress/index.ts';
import { DomainError } from '../../shared/index.ts';
import { warrantyEndsOn } from '../rules.ts';

/**
 * Records (or corrects) an accepted item's warranty: the responsible contractor and the period
 * in months, which starts on the joint acceptance day. The project officer, like the acceptance
 * itself. Errors: not_found (item or scope), conflict (no passed acceptance yet, or the item was
 * not done at acceptance). Audited.
 */
export async function recordWarranty(
	db: Db,
	actor: Actor | null,
	input: { itemProgressId: number; contractor: string; months: number },
): Promise<{ id: number; endsOn: string }> {
	const [item] = await db
		.select()
		.from(itemProgress)
		.where(eq(itemProgress.id, input.itemProgressId));
	if (!item) throw new DomainError('not_found', 'error.notFound');
	const { staff, project } = await projectFor(db, actor, 'acceptance.record', item.projectId);
	const [acceptance] = await db
		.select()
		.from(acceptanceRecords)
		.where(eq(acceptanceRecords.projectId, project.id));
	if (!acceptance || acceptance.outcome === 'failed') {
		throw new DomainError('conflict', 'aftercare.noAcceptance');
	}
	if (item.status !== 'done') throw new DomainError('conflict', 'aftercare.itemNotDone');
	const values = {
		projectId: project.id,
		acceptanceId: acceptance.id,
		itemProgressId: item.id,
		contractor: input.contractor,
		months: input.months,
		startsOn: acceptance.heldOn,
		endsOn: warrantyEndsOn(acceptance.heldOn, input.months),
		recordedBy: staff.userId,
	};
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(warrantyItems)
			.values(values)
			.onConflictDoUpdate({
				target: warrantyItems.itemProgressId,
				set: { ...values, updatedAt: new Date() },
			})
			.returning({ id: warrantyItems.id, endsOn: warrantyItems.endsOn });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'warranty.recorded',
			targetType: 'warranty_item',
			targetId: row!.id,
			communityId: project.communityId,
			details: { contractor: input.contractor, months: input.months, endsOn: values.endsOn },
		});
		return row!;
	});
}
