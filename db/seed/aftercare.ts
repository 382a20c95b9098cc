import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import {
	answerRepair,
	confirmConvention,
	publishConvention,
	recordPaperConfirmation,
	publishDisclosure,
	listAcceptedItems,
	recordPropertyManagement,
	recordWarranty,
	reportRepair,
} from '../../src/lib/server/aftercare/index.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';
import { recordAcceptance } from '../../src/lib/server/progress/acceptance.ts';
import { postProgressUpdate } from '../../src/lib/server/progress/commands.ts';
import { listItemProgress } from '../../src/lib/server/progress/queries.ts';
import { chinaToday } from '../../src/lib/server/progress/rules.ts';
import { dujuanV1, insertVersion } from './plans.ts';

/**
 * Demo long-term management (长效管理, issue 23), through the aftercare commands: 白沙电厂宿舍、
 * 富兴堡二村 (project "baisha-fuxing") finished its works, passed the joint acceptance 14 months
 * ago, and its warranty ledger has roofs (5 years, 建设工程质量管理条例 第40条), pipes (2 years)
 * and stairwell lights (1 year, since ended). Residents' repair requests show every state: one
 * waiting, one being handled and overdue, one closed in time, one after the warranty routed to
 * the property manager on record — 物业服务企业, whose contract was renewed (two versions). One money disclosure (公共收益) is published. Dates are relative to `now`.
 */
const DAY = 86_400_000;
const MANAGER = '三明市城发物业服务有限公司';
const CONTRACTOR = '福建三明建工集团有限公司';

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

/** The committee of 白沙 (moderator of its community and officer of its project), passwordless. */
async function createCommittee(tx: Tx, project: { id: number; communityId: number }) {
	const id = randomUUID();
	await tx.insert(s.users).values({
		id,
		kind: 'staff',
		username: 'baisha',
		displayName: '白沙社区居委会',
		passwordHash: null,
	});
	const roles = await tx
		.insert(s.staffRoles)
		.values([
			{ userId: id, role: 'moderator' as const },
			{ userId: id, role: 'officer' as const },
		])
		.returning({ id: s.staffRoles.id, role: s.staffRoles.role });
	await tx
		.insert(s.staffScopes)
		.values(
			roles.map((r) =>
				r.role === 'moderator'
					? { staffRoleId: r.id, communityId: project.communityId }
					: { staffRoleId: r.id, projectId: project.id },
			),
		);
	return (await loadActor(tx, id, 'staff')) as StaffActor;
}

/** Two residents, owners of households in the project's first compound. */
async function createResidents(tx: Tx, projectId: number): Promise<ResidentActor[]> {
	const households = await tx
		.select({ id: s.households.id })
		.from(s.households)
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.households.compoundId))
		.where(eq(s.projectCompounds.projectId, projectId))
		.orderBy(asc(s.households.id))
		.limit(2);
	const actors: ResidentActor[] = [];
	for (const [n, household] of households.entries()) {
		const userId = randomUUID();
		const phone = `+86158059800${91 + n}`;
		await tx.insert(s.users).values({ id: userId, kind: 'resident', phone });
		await tx.insert(s.memberships).values({ userId, householdId: household.id, relation: 'owner' });
		actors.push((await loadActor(tx, userId, 'resident')) as ResidentActor);
	}
	return actors;
}

export async function seedDemoAftercare(tx: Tx, options: { now: Date }): Promise<void> {
	const { now } = options;
	const [project] = await tx
		.select({ id: s.projects.id, communityId: s.projects.communityId })
		.from(s.projects)
		.where(eq(s.projects.slug, 'baisha-fuxing'));
	if (!project) throw new Error('seedDemoAftercare: no project "baisha-fuxing"');
	const menuRows = await tx
		.select({ id: s.renovationItems.id, code: s.renovationItems.code })
		.from(s.renovationItems);
	const menu = new Map(menuRows.map((m) => [m.code, m.id]));
	// The plan residents commented on, closed. Not marked final: the satisfaction template asks
	// one question per final-plan item, and the demo's survey journey builds on this project.
	await insertVersion(tx, project.id, 1, 'closed', [ago(now, 700), ago(now, 680)], dujuanV1, menu);

	const committee = await createCommittee(tx, project);
	const done = ['B01', 'P05', 'B08'];
	const items = (await listItemProgress(tx, project.id)).filter((i) => done.includes(i.code));
	await postProgressUpdate(tx, committee, {
		projectId: project.id,
		body: '屋面防水、雨污分流管网和楼道声控灯全部完工，等待联合竣工验收。',
		bodyEn: 'Roofs, separate rain and sewage pipes and stairwell lights are finished.',
		photos: [],
		items: items.map((i) => ({
			itemId: i.itemId,
			buildingId: i.buildingId,
			status: 'done' as const,
			percent: 100,
			reason: '',
		})),
	});
	await recordAcceptance(
		tx,
		committee,
		{
			projectId: project.id,
			heldOn: chinaToday(ago(now, 425)),
			units: ['三元区住房和城乡建设局', '白沙街道办事处', `施工单位：${CONTRACTOR}`].join('\n'),
			representatives: ['白沙电厂宿舍 居民代表 郑丽华', '富兴堡二村 居民代表 邓建国'].join('\n'),
			outcome: 'passed',
			notes: '',
			defects: '',
			scans: [],
		},
		now,
	);
	const months: Record<string, number> = { B01: 60, P05: 24, B08: 12 };
	const accepted = (await listAcceptedItems(tx, project.id))!.items;
	const progressRows = await tx
		.select({ id: s.itemProgress.id, code: s.renovationItems.code })
		.from(s.itemProgress)
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.itemProgress.itemId))
		.where(
			and(
				eq(s.itemProgress.projectId, project.id),
				inArray(
					s.itemProgress.id,
					accepted.map((a) => a.itemProgressId),
				),
			),
		);
	const warranty = new Map<string, number>();
	for (const row of progressRows) {
		const { id } = await recordWarranty(tx, committee, {
			itemProgressId: row.id,
			contractor: CONTRACTOR,
			months: months[row.code] ?? 24,
		});
		warranty.set(row.code, id);
	}

	// Residents chose a property company in the special round; the first contract was renewed
	// at a lower fee, so the record has two public versions.
	const property = {
		projectId: project.id,
		model: 'enterprise' as const,
		manager: MANAGER,
		contact: '0598-8231166',
	};
	await recordPropertyManagement(tx, committee, {
		...property,
		contractStart: chinaToday(ago(now, 420)),
		contractEnd: chinaToday(ago(now, 55)),
		feePerSqm: '0.80',
		note: '业主大会专项表决选定，首期合同一年。',
	});
	await recordPropertyManagement(tx, committee, {
		...property,
		contractStart: chinaToday(ago(now, 55)),
		contractEnd: chinaToday(ago(now, -675)),
		feePerSqm: '0.75',
		note: '续签两年，物业费下调。',
	});

	// The first half-year's shared income of 白沙电厂宿舍 (parking and advertising).
	const [compound] = await tx
		.select({ id: s.projectCompounds.compoundId })
		.from(s.projectCompounds)
		.where(eq(s.projectCompounds.projectId, project.id))
		.orderBy(asc(s.projectCompounds.compoundId))
		.limit(1);
	await publishDisclosure(tx, committee, {
		projectId: project.id,
		compoundId: compound!.id,
		kind: 'shared_income',
		periodStart: chinaToday(ago(now, 400)),
		periodEnd: chinaToday(ago(now, 220)),
		amountYuan: '18650.00',
		description:
			'停车位租金 16,200 元，电梯间广告 2,450 元；扣除物业服务企业管理费后计入业主共有资金。',
		attachment: [],
	});

	const [first, second] = await createResidents(tx, project.id);
	const report = (
		resident: ResidentActor,
		code: string,
		category: 'safety' | 'leak' | 'facility' | 'appearance',
		body: string,
		daysAgo: number,
	) =>
		reportRepair(
			tx,
			resident,
			{
				projectId: project.id,
				warrantyItemId: warranty.get(code)!,
				category,
				body,
				unitLabel: '2单元',
				photos: [],
			},
			{ now: ago(now, daysAgo) },
		);
	// Closed in time: a roof leak after heavy rain, fixed by the contractor within three days.
	const leak = await report(first!, 'B01', 'leak', '连续大雨后顶楼 602 室卫生间顶棚渗水。', 40);
	await answerRepair(
		tx,
		committee,
		{ requestId: leak.id, answer: '施工单位已重做该处防水层，雨后复查无渗漏。', close: true },
		ago(now, 38),
	);
	// In progress and overdue: a blocked drain the contractor has promised but not yet cleared.
	const drain = await report(second!, 'P05', 'facility', '楼前雨水口堵塞，下雨积水。', 12);
	await answerRepair(
		tx,
		committee,
		{ requestId: drain.id, answer: '施工单位已查看，需要疏通设备，约定下周处理。', close: false },
		ago(now, 10),
	);
	// After the warranty: a stairwell light goes to the property manager.
	await report(first!, 'B08', 'facility', '3楼楼道声控灯不亮。', 1);
	// Waiting: a loose manhole cover reported today.
	await report(second!, 'P05', 'safety', '井盖松动，踩上去会晃。', 0);

	await seedConvention(tx, committee, project.id, [first!], now);
}

const CONVENTION_V1 = `## 一、公共部位
1. 楼道、消防通道不堆放杂物，不停放电动自行车。
2. 爱护改造后的屋面、外墙和管网，不私搭乱建。

## 二、停车
按划定的车位停放，车位租金计入业主共有资金，每半年公示一次。`;

const CONVENTION_V2 = `${CONVENTION_V1}

## 三、垃圾分类
按“四分类”定时定点投放，大件垃圾和装修垃圾预约清运。

## 四、电动自行车
在集中充电棚充电，禁止“飞线”充电和入户充电。`;

const CONVENTION_V2_EN = `## 1. Shared parts
1. Keep stairwells and fire lanes clear; no e-bikes parked in them.
2. Look after the renewed roofs, walls and pipes; no unauthorised structures.

## 2. Parking
Park in the marked bays; bay rents go to the owners' shared funds, disclosed every six months.

## 3. Rubbish sorting
Sort rubbish into the four kinds at the set times and places; book collection of bulky and building waste.

## 4. E-bikes
Charge at the shared charging shed; no cables run from windows, no charging indoors.`;

/**
 * 居民公约 (issue 23, item 4): published, then revised with rubbish sorting and e-bike charging
 * (version 2); one owner confirmed online, one household on paper; the other owner has not yet.
 */
async function seedConvention(
	tx: Tx,
	committee: StaffActor,
	projectId: number,
	online: ResidentActor[],
	now: Date,
): Promise<void> {
	const title = '白沙电厂宿舍、富兴堡二村居民公约';
	await publishConvention(
		tx,
		committee,
		{ projectId, title, body: CONVENTION_V1, bodyEn: '' },
		ago(now, 200),
	);
	await publishConvention(
		tx,
		committee,
		{ projectId, title, body: CONVENTION_V2, bodyEn: CONVENTION_V2_EN },
		ago(now, 30),
	);
	for (const resident of online) {
		await confirmConvention(tx, resident, {
			projectId,
			householdId: resident.memberships[0]!.householdId,
		});
	}
	const [paper] = await tx
		.select({ id: s.households.id })
		.from(s.households)
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.households.compoundId))
		.where(eq(s.projectCompounds.projectId, projectId))
		.orderBy(asc(s.households.id))
		.offset(2)
		.limit(1);
	if (paper) await recordPaperConfirmation(tx, committee, { projectId, householdId: paper.id });
}
