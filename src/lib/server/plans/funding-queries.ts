import { inArray } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { planItemFunding } from '../../../../db/schema/index.ts';
import type { Funding } from './funding.ts';

/** Plan item id → its funding breakdown in fen; items without one are absent. */
export async function loadFunding(
	db: Executor,
	planItemIds: readonly number[],
): Promise<Map<number, Funding>> {
	const byItem = new Map<number, Funding>();
	if (planItemIds.length === 0) return byItem;
	const rows = await db
		.select()
		.from(planItemFunding)
		.where(inArray(planItemFunding.planItemId, [...planItemIds]));
	for (const row of rows) {
		const funding = byItem.get(row.planItemId) ?? {};
		funding[row.source] = row.amountFen;
		byItem.set(row.planItemId, funding);
	}
	return byItem;
}
