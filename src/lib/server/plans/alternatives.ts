/**
 * 多方案比选 (seeds/003): a draft item may offer two or three alternative designs, each with a
 * description, an optional rendering (the one image pipeline) and its cost. Residents choose in
 * the version's opinion round (ballots/alternatives.ts); the next draft keeps the chosen one.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import { planItemAlternatives, planItems } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { getImageViews, prepareImage, savePreparedImage, type ImageView } from '../images/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { editableDraft } from './access.ts';
import { formatYuan, parseYuan } from './rules.ts';

/** At most three designs per item: more is no longer a comparison residents can make. */
export const MAX_ALTERNATIVES = 3;

export type AlternativeView = {
	id: number;
	label: string;
	labelEn: string;
	description: string;
	descriptionEn: string;
	costYuan: string;
	image: ImageView | null;
	chosen: boolean;
};

/** Plan item id → its alternatives in order. */
export async function listAlternatives(
	db: Executor,
	planItemIds: readonly number[],
): Promise<Map<number, AlternativeView[]>> {
	const byItem = new Map<number, AlternativeView[]>();
	if (planItemIds.length === 0) return byItem;
	const rows = await db
		.select()
		.from(planItemAlternatives)
		.where(inArray(planItemAlternatives.planItemId, [...planItemIds]))
		.orderBy(asc(planItemAlternatives.sort), asc(planItemAlternatives.id));
	const images = await getImageViews(
		db,
		rows.flatMap((r) => (r.imageId ? [r.imageId] : [])),
	);
	for (const r of rows) {
		const list = byItem.get(r.planItemId) ?? [];
		list.push({
			id: r.id,
			label: r.label,
			labelEn: r.labelEn,
			description: r.description,
			descriptionEn: r.descriptionEn,
			costYuan: formatYuan(r.costFen),
			image: r.imageId ? (images.get(r.imageId) ?? null) : null,
			chosen: r.chosen,
		});
		byItem.set(r.planItemId, list);
	}
	return byItem;
}

/**
 * Adds an alternative design to a draft's item. Errors: not_found (scope, item not in the
 * version), conflict (not a draft; already three), invalid (cost, image refused). Audited.
 */
export async function addAlternative(
	db: Db,
	actor: Actor | null,
	input: {
		versionId: number;
		planItemId: number;
		label: string;
		labelEn: string;
		description: string;
		descriptionEn: string;
		costYuan: string;
		image?: File | undefined;
	},
): Promise<{ id: number }> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	const costFen = parseYuan(input.costYuan);
	if (costFen === null) throw new DomainError('invalid', 'plans.moneyInvalid');
	const prepared = input.image && input.image.size > 0 ? await prepareImage(input.image) : null;
	return db.transaction(async (tx) => {
		const [item] = await tx
			.select({ id: planItems.id })
			.from(planItems)
			.where(and(eq(planItems.id, input.planItemId), eq(planItems.planVersionId, version.id)))
			.for('update');
		if (!item) throw new DomainError('not_found', 'error.notFound');
		const [{ n } = { n: 0 }] = await tx
			.select({ n: count() })
			.from(planItemAlternatives)
			.where(eq(planItemAlternatives.planItemId, item.id));
		if (n >= MAX_ALTERNATIVES) throw new DomainError('conflict', 'alternatives.tooMany');
		const imageId = prepared ? await savePreparedImage(tx, staff.userId, prepared) : null;
		const [row] = await tx
			.insert(planItemAlternatives)
			.values({
				planItemId: item.id,
				label: input.label,
				labelEn: input.labelEn,
				description: input.description,
				descriptionEn: input.descriptionEn,
				costFen,
				imageId,
				sort: n,
			})
			.returning({ id: planItemAlternatives.id });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'plan.alternative_added',
			targetType: 'plan_version',
			targetId: version.id,
			communityId: version.communityId,
			details: { planItemId: item.id, alternativeId: row!.id, cost: input.costYuan },
		});
		return { id: row!.id };
	});
}

/** Removes an alternative from a draft's item. Errors: not_found, conflict (not a draft). */
export async function removeAlternative(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; alternativeId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const [found] = await tx
			.select({ id: planItemAlternatives.id })
			.from(planItemAlternatives)
			.innerJoin(planItems, eq(planItems.id, planItemAlternatives.planItemId))
			.where(
				and(
					eq(planItemAlternatives.id, input.alternativeId),
					eq(planItems.planVersionId, version.id),
				),
			);
		if (!found) throw new DomainError('not_found', 'error.notFound');
		await tx.delete(planItemAlternatives).where(eq(planItemAlternatives.id, found.id));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'plan.alternative_removed',
			targetType: 'plan_version',
			targetId: version.id,
			communityId: version.communityId,
			details: { alternativeId: found.id },
		});
	});
}
