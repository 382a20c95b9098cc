import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { planItems, renovationItems } from '../../../../../db/schema/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft } from '../access.ts';
import { checkItemMoney } from '../rules.ts';
import { audit, requireBuildingInProject } from './common.ts';

export type PlanItemInput = {
	versionId: number;
	itemId: number;
	buildingId?: number | undefined;
	description: string;
	descriptionEn: string;
	costYuan: string;
	governmentYuan: string;
	residentYuan: string;
	split: 'area' | 'equal';
};

/**
 * Adds a menu item to a draft with its cost and shares. A building-scoped item must name a
 * building of the project's compounds. Errors: invalid (money, building), conflict (duplicate).
 */
export async function addPlanItem(
	db: Db,
	actor: Actor | null,
	input: PlanItemInput,
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	if (!checkItemMoney(input.costYuan, input.governmentYuan, input.residentYuan))
		throw new DomainError('invalid', 'plans.moneyInvalid');
	const [menuItem] = await db
		.select()
		.from(renovationItems)
		.where(eq(renovationItems.id, input.itemId));
	if (!menuItem) throw new DomainError('invalid', 'plans.itemUnknown');
	await requireBuildingInProject(db, input.buildingId, version.projectId);
	await db.transaction(async (tx) => {
		const inserted = await tx
			.insert(planItems)
			.values({
				planVersionId: version.id,
				itemId: input.itemId,
				buildingId: input.buildingId ?? null,
				description: input.description,
				descriptionEn: input.descriptionEn,
				costYuan: input.costYuan,
				governmentYuan: input.governmentYuan,
				residentYuan: input.residentYuan,
				split: input.split,
				sort: menuItem.sort,
			})
			.onConflictDoNothing()
			.returning({ id: planItems.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'plans.itemDuplicate');
		await audit(tx, staff.userId, 'plan.item_added', version.id, version.communityId, {
			itemId: input.itemId,
			buildingId: input.buildingId ?? null,
		});
	});
}

export async function removePlanItem(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; planItemId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const removed = await tx
			.delete(planItems)
			.where(and(eq(planItems.id, input.planItemId), eq(planItems.planVersionId, version.id)))
			.returning({ id: planItems.id });
		if (removed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await audit(tx, staff.userId, 'plan.item_removed', version.id, version.communityId, {
			planItemId: input.planItemId,
		});
	});
}
