import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { publishDisclosure } from '../../src/lib/server/aftercare/index.ts';
import { createRound, openRound } from '../../src/lib/server/ballots/commands/rounds.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { FundingSource } from '../../src/lib/server/plans/funding.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';
import { chinaToday } from '../../src/lib/server/progress/rules.ts';
import { demoImage } from './plans.ts';

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

/**
 * 多方案比选 on 崇桂新村's open plan (seeds/003): two designs for the charging shelters, each
 * with a rendering (when the demo has images), a description and its cost. Written as rows
 * beside the version's items, as the demo writes its published versions.
 */
export async function seedDemoAlternatives(
	tx: Tx,
	planVersionId: number,
	images: boolean,
): Promise<void> {
	const [item] = await tx
		.select({ id: s.planItems.id })
		.from(s.planItems)
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.planItems.itemId))
		.where(and(eq(s.planItems.planVersionId, planVersionId), eq(s.renovationItems.code, 'P11')));
	if (!item) return;
	const designs = [
		{
			label: '方案一：钢结构雨棚',
			labelEn: 'Design 1: steel canopy',
			description: '沿 2 号楼北侧围墙建钢结构雨棚，可停 60 辆，造价低、工期短。',
			descriptionEn:
				'A steel canopy along the wall north of building 2: 60 places, cheaper and quicker.',
			costFen: 16000000n,
			hue: 120,
		},
		{
			label: '方案二：独立充电亭',
			labelEn: 'Design 2: separate charging kiosks',
			description: '在南门和 4 号楼旁建两座独立充电亭，各停 30 辆，离楼栋更远、更防火。',
			descriptionEn:
				'Two kiosks by the south gate and building 4, 30 places each, further from the buildings.',
			costFen: 19500000n,
			hue: 280,
		},
	];
	for (const [sort, design] of designs.entries()) {
		let imageId: string | null = null;
		if (images) {
			const { prepareImage, savePreparedImage } =
				await import('../../src/lib/server/images/store.ts');
			imageId = await savePreparedImage(
				tx,
				null,
				await prepareImage(await demoImage('after', design.hue)),
			);
		}
		const { hue: _hue, ...row } = design;
		await tx.insert(s.planItemAlternatives).values({ ...row, planItemId: item.id, imageId, sort });
	}
}

/**
 * 崇桂新村's committee opens the opinion round on its open plan: each household gives its
 * opinion on the items and chooses one of the two shelter designs (ballots/alternatives.ts).
 */
export async function seedDemoAlternativesRound(tx: Tx, now: Date): Promise<void> {
	const [version] = await tx
		.select({
			id: s.planVersions.id,
			projectId: s.planVersions.projectId,
			communityId: s.projects.communityId,
		})
		.from(s.planVersions)
		.innerJoin(s.projects, eq(s.projects.id, s.planVersions.projectId))
		.where(and(eq(s.projects.slug, 'chonggui'), eq(s.planVersions.status, 'open')));
	if (!version) return;
	const id = randomUUID();
	await tx.insert(s.users).values({
		id,
		kind: 'staff',
		username: 'chonggui',
		displayName: '崇桂社区居委会',
		passwordHash: null,
	});
	const [role] = await tx
		.insert(s.staffRoles)
		.values({ userId: id, role: 'moderator' })
		.returning({ id: s.staffRoles.id });
	await tx
		.insert(s.staffScopes)
		.values({ staffRoleId: role!.id, communityId: version.communityId });
	const committee = (await loadActor(tx, id, 'staff')) as StaffActor;
	const day = 86_400_000;
	const { roundId } = await createRound(tx, committee, {
		projectId: version.projectId,
		kind: 'plan_opinion',
		planVersionId: version.id,
		title: '崇桂新村改造方案征求意见（含充电棚方案比选）',
		titleEn: 'Opinions on the Chonggui New Village plan (with a choice of shelter design)',
		description:
			'请每户对方案中的每一项表明意见，并在两个充电棚设计方案中选一个。截止前可以修改，以最后一次提交为准。',
		descriptionEn:
			'Each household gives its opinion on every item and chooses one of the two charging-shelter designs. You can change it until the deadline; the last one counts.',
		itemIds: [],
		questions: '',
		rule: 'simple_majority',
		decisionScope: 'compound',
		opensAt: toChinaLocalInput(new Date(now.getTime() - 2 * day)),
		closesAt: toChinaLocalInput(new Date(now.getTime() + 12 * day)),
		talliesPublic: true,
	});
	await openRound(tx, committee, roundId);
}
