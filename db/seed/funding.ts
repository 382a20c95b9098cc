import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { publishDisclosure } from '../../src/lib/server/aftercare/index.ts';
import type { FundingSource } from '../../src/lib/server/plans/funding.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';
import { chinaToday } from '../../src/lib/server/progress/rules.ts';

/**
 * 杜鹃新村's open plan by funding source (seeds/001: 财政补助, 专项维修资金 for the roofs, 管线单位
 * for the pipes, 社会资本 for the parking, 原产权单位 for the ramps, and 居民出资). The residents'
 * amounts are the plan's residents' column, so the household estimates stay as they were.
 * Written as rows beside the version's items, as the demo writes its published versions.
 */
const DUJUAN: Record<string, Partial<Record<FundingSource, number>>> = {
	B01: { government: 420000, maintenance_fund: 200000 },
	B05: { government: 380000 },
	B08: { government: 90000 },
	P05: { government: 700000, utilities: 500000 },
	P08: { government: 300000, private_capital: 60000, residents: 90000 },
	P11: { government: 140000, residents: 60000 },
	P19: { government: 150000, former_owner: 30000 },
};

export async function seedDemoFunding(tx: Tx, planVersionId: number): Promise<void> {
	const items = await tx
		.select({ id: s.planItems.id, code: s.renovationItems.code })
		.from(s.planItems)
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.planItems.itemId))
		.where(eq(s.planItems.planVersionId, planVersionId));
	const rows = items.flatMap((item) =>
		Object.entries(DUJUAN[item.code] ?? {}).map(([source, yuan]) => ({
			planItemId: item.id,
			source: source as FundingSource,
			amountFen: BigInt(yuan) * 100n,
		})),
	);
	if (rows.length) await tx.insert(s.planItemFunding).values(rows);
}

/** 杜鹃新村's committee discloses the maintenance fund's use for the roofs (seeds/001). */
export async function seedDemoFundUse(
	tx: Tx,
	options: { committee: StaffActor; now: Date },
): Promise<void> {
	const [row] = await tx
		.select({ projectId: s.projects.id, compoundId: s.projectCompounds.compoundId })
		.from(s.projects)
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.projectId, s.projects.id))
		.where(eq(s.projects.slug, 'dujuan'))
		.orderBy(asc(s.projectCompounds.compoundId))
		.limit(1);
	if (!row) return;
	const day = chinaToday(new Date(options.now.getTime() - 10 * 86_400_000));
	await publishDisclosure(tx, options.committee, {
		projectId: row.projectId,
		compoundId: row.compoundId,
		kind: 'maintenance_fund',
		periodStart: day,
		periodEnd: day,
		amountYuan: '200000.00',
		description: '屋面防水翻新使用专项维修资金，经业主大会表决同意，由区住房维修资金管理中心划拨。',
		attachment: [],
	});
}
