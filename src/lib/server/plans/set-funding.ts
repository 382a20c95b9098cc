import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { planItemFunding, planItems } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { editableDraft } from './access.ts';
import { checkFunding, FUNDING_SOURCES, legacyColumns, type Funding } from './funding.ts';
import { formatYuan, parseYuan } from './rules.ts';

/**
 * Sets a draft item's amounts by funding source (资金来源), replacing its breakdown. The
 * item's two summary columns follow: residents = 居民出资, government = every other source, so
 * the diff and older readers agree with the breakdown. Errors: not_found (scope, item not in
 * the version), conflict (not a draft), invalid (a negative amount, more than the item costs).
 * Audited with the amounts.
 */
export async function setPlanItemFunding(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; planItemId: number; amounts: Funding },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const [item] = await tx
			.select({ id: planItems.id, costYuan: planItems.costYuan })
			.from(planItems)
			.where(and(eq(planItems.id, input.planItemId), eq(planItems.planVersionId, version.id)))
			.for('update');
		if (!item) throw new DomainError('not_found', 'error.notFound');
		const refusal = checkFunding(parseYuan(item.costYuan) ?? 0n, input.amounts);
		if (refusal) throw new DomainError('invalid', refusal);
		await tx.delete(planItemFunding).where(eq(planItemFunding.planItemId, item.id));
		const rows = FUNDING_SOURCES.filter((s) => (input.amounts[s] ?? 0n) > 0n).map((source) => ({
			planItemId: item.id,
			source,
			amountFen: input.amounts[source]!,
		}));
		// An all-zero breakdown is still a breakdown (nobody pays yet): keep one row to say so.
		await tx
			.insert(planItemFunding)
			.values(
				rows.length > 0 ? rows : [{ planItemId: item.id, source: 'residents', amountFen: 0n }],
			);
		const { residentFen, othersFen } = legacyColumns(input.amounts);
		await tx
			.update(planItems)
			.set({ residentYuan: formatYuan(residentFen), governmentYuan: formatYuan(othersFen) })
			.where(eq(planItems.id, item.id));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'plan.item_funding_set',
			targetType: 'plan_version',
			targetId: version.id,
			communityId: version.communityId,
			details: {
				planItemId: item.id,
				amounts: Object.fromEntries(rows.map((r) => [r.source, formatYuan(r.amountFen)])),
			},
		});
	});
}
