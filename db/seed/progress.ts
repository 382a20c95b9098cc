import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { markDefectFixed, recordAcceptance } from '../../src/lib/server/progress/acceptance.ts';
import { postProgressUpdate, setMilestone } from '../../src/lib/server/progress/commands.ts';
import { listItemProgress } from '../../src/lib/server/progress/queries.ts';
import {
	chinaToday,
	type ItemStatus,
	type MilestoneKind,
} from '../../src/lib/server/progress/rules.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';

/**
 * Demo construction progress, written by the project officers through the progress commands
 * (scope, item and percent rules, audit): 红岩新村 (in construction) started two weeks ago and
 * has three weekly updates (周调度), one item dropped with its reason; 城关新苑 (completed, in
 * evaluation) has its whole history — updates up to 100 %, works started and completed, and the
 * joint acceptance (联合竣工验收) with one defect, since fixed. Dates are relative to `now`.
 */
type ItemChange = [code: string, status: ItemStatus, percent: number, reason?: string];
type UpdateSpec = {
	daysAgo: number;
	body: string;
	bodyEn: string;
	items: ItemChange[];
	/** A site photo (only when the demo makes images), by hue. */
	photo?: number;
};

const hongyanUpdates: UpdateSpec[] = [
	{
		daysAgo: 13,
		body: '红岩新村改造工程正式开工。本周完成施工围挡和材料进场，1号、2号楼屋面开始铲除旧防水层；雨污管网完成管线探测和放线。施工期间南门保留人行通道。',
		bodyEn:
			'Works at Hongyan New Village have started. This week: site fencing and materials; the old waterproofing is coming off the roofs of buildings 1 and 2; the rain and sewage pipes were surveyed and marked out. The south gate stays open to pedestrians.',
		items: [
			['B01', 'in_progress', 15],
			['P05', 'in_progress', 10],
		],
		photo: 28,
	},
	{
		daysAgo: 6,
		body: '1—3号楼屋面防水层铺设完成，4—6号楼开始施工；各单元楼道声控灯已全部更换；南门至3号楼段雨污管网开挖埋管。',
		bodyEn:
			'New waterproofing is down on buildings 1–3; buildings 4–6 have begun. Every stairwell has its new sensor lights. Rain and sewage pipes are going in from the south gate to building 3.',
		items: [
			['B01', 'in_progress', 55],
			['B05', 'in_progress', 20],
			['B08', 'done', 100],
			['P05', 'in_progress', 35],
		],
	},
	{
		daysAgo: 1,
		body: '屋面防水进入收尾，楼道墙面粉刷完成近一半，入口坡道开始浇筑。停车设施一项取消，原因见下。',
		bodyEn:
			'Roof waterproofing is being finished, nearly half the stairwells are painted, and the entrance ramps are being poured. The parking item is dropped; the reason is below.',
		items: [
			['B01', 'in_progress', 85],
			['B05', 'in_progress', 45],
			['P05', 'in_progress', 60],
			[
				'P08',
				'dropped',
				0,
				'经消防部门审查，原规划的北侧车位占用消防通道，该项取消；改由街道协调周边道路夜间停车。',
			],
			['P19', 'in_progress', 30],
		],
		photo: 200,
	},
];

const chengguanUpdates: UpdateSpec[] = [
	{
		daysAgo: 250,
		body: '城关新苑改造开工：屋面防水和雨污管网同步施工，每周五在小区公告栏公布下周计划。',
		bodyEn:
			'Works at Chengguan Court have begun: roofs and rain and sewage pipes together. Next week’s plan goes on the notice board every Friday.',
		items: [
			['B01', 'in_progress', 30],
			['P05', 'in_progress', 20],
		],
	},
	{
		daysAgo: 160,
		body: '全部楼栋屋面防水完工，雨季前经闭水试验无渗漏；楼道整修和新增车位施工中。',
		bodyEn:
			'Every roof is done and passed a flood test before the rainy season; stairwells and the new parking spaces are under way.',
		items: [
			['B01', 'done', 100],
			['B05', 'in_progress', 60],
			['P05', 'in_progress', 70],
			['P08', 'in_progress', 40],
		],
	},
	{
		daysAgo: 85,
		body: '改造内容全部完工：雨污分流管网通水，48个新车位划线启用，楼道整修完成。下一步组织联合竣工验收，欢迎居民代表参加。',
		bodyEn:
			'All works are complete: the separate rain and sewage pipes are running, the 48 new parking spaces are marked and in use, the stairwells are done. The joint acceptance comes next; residents’ representatives are welcome.',
		items: [
			['B05', 'done', 100],
			['P05', 'done', 100],
			['P08', 'done', 100],
		],
		photo: 140,
	},
];

const day = 86_400_000;
const daysFrom = (now: Date, days: number) => chinaToday(new Date(now.getTime() + days * day));

/** A construction-site picture (scaffolding, a new roof, fencing), made from SVG. */
async function sitePhoto(hue: number, n: number): Promise<File> {
	const poles = Array.from(
		{ length: 9 },
		(_, i) => `<rect x="${180 + i * 100}" y="150" width="8" height="560" fill="#6b6b6b"/>`,
	).join('');
	const boards = [260, 420, 580]
		.map((y) => `<rect x="170" y="${y}" width="820" height="10" fill="#8d6e4a"/>`)
		.join('');
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
<rect width="1200" height="900" fill="#dfe8ee"/><rect y="700" width="1200" height="200" fill="#7c7a73"/>
<rect x="200" y="180" width="760" height="520" fill="#c9c2b4"/><polygon points="180,190 580,60 980,190" fill="hsl(${hue},45%,42%)"/>
${poles}${boards}<rect x="0" y="640" width="1200" height="70" fill="hsl(${hue},70%,50%)" opacity="0.85"/>
<rect x="1040" y="560" width="90" height="140" fill="#f2c12e"/></svg>`;
	const bytes = await sharp(Buffer.from(svg)).jpeg({ quality: 78 }).toBuffer();
	return new File([new Uint8Array(bytes)], `site-${n}.jpg`, { type: 'image/jpeg' });
}

/**
 * Posts the updates through postProgressUpdate, then dates each one (and the item states it
 * set) on its day: the commands stamp the seeding moment, and a demo's history took weeks.
 */
async function postUpdates(
	tx: Tx,
	officer: StaffActor,
	projectId: number,
	updates: UpdateSpec[],
	options: { images: boolean; now: Date },
): Promise<void> {
	const items = await listItemProgress(tx, projectId);
	const key = (code: string) => {
		const item = items.find((i) => i.code === code && i.buildingId === null);
		if (!item) throw new Error(`seed: item ${code} is not in project ${projectId}'s plan`);
		return item;
	};
	for (const [n, update] of updates.entries()) {
		const photos =
			options.images && update.photo !== undefined ? [await sitePhoto(update.photo, n)] : [];
		const { id } = await postProgressUpdate(tx, officer, {
			projectId,
			body: update.body,
			bodyEn: update.bodyEn,
			photos,
			items: update.items.map(([code, status, percent, reason]) => ({
				itemId: key(code).itemId,
				buildingId: null,
				status,
				percent,
				reason: reason ?? '',
			})),
		});
		const at = new Date(options.now.getTime() - update.daysAgo * day);
		await tx.update(s.progressUpdates).set({ createdAt: at }).where(eq(s.progressUpdates.id, id));
		await tx.update(s.itemProgress).set({ updatedAt: at }).where(eq(s.itemProgress.updateId, id));
	}
}

type MilestoneSpec = [kind: MilestoneKind, plannedIn: number, achievedIn?: number];

/** Sets each milestone, planned (and achieved, when given) that many days from `now`. */
async function setMilestones(
	tx: Tx,
	officer: StaffActor,
	projectId: number,
	milestones: MilestoneSpec[],
	now: Date,
): Promise<void> {
	for (const [kind, planned, achieved] of milestones)
		await setMilestone(
			tx,
			officer,
			{
				projectId,
				kind,
				plannedOn: daysFrom(now, planned),
				achievedOn: achieved === undefined ? '' : daysFrom(now, achieved),
			},
			now,
		);
}

/** Progress of 红岩新村 (by its officer) and 城关新苑 (by its own). */
export async function seedDemoProgress(
	tx: Tx,
	officers: { hongyan: StaffActor; chengguan: StaffActor },
	options: { images: boolean; now: Date },
): Promise<void> {
	const { now } = options;
	const projects = await tx
		.select({ id: s.projects.id, slug: s.projects.slug })
		.from(s.projects)
		.where(sql`${s.projects.slug} in ('hongyan', 'chengguan')`);
	const id = (slug: string) => projects.find((p) => p.slug === slug)!.id;

	const hongyan = id('hongyan');
	await setMilestones(
		tx,
		officers.hongyan,
		hongyan,
		[
			['works_started', -16, -14],
			['works_completed', 75],
			['joint_acceptance', 100],
		],
		now,
	);
	await postUpdates(tx, officers.hongyan, hongyan, hongyanUpdates, options);

	const chengguan = id('chengguan');
	await postUpdates(tx, officers.chengguan, chengguan, chengguanUpdates, options);
	await setMilestones(
		tx,
		officers.chengguan,
		chengguan,
		[
			['works_started', -270, -265],
			['works_completed', -90, -85],
		],
		now,
	);
	// The joint acceptance also sets its milestone (recordAcceptance).
	await recordAcceptance(
		tx,
		officers.chengguan,
		{
			projectId: chengguan,
			heldOn: daysFrom(now, -70),
			units: [
				'三元区住房和城乡建设局',
				'城关街道办事处',
				'新南社区居民委员会',
				'设计单位：三明市城乡规划设计院',
				'施工单位：三明市建工集团有限公司',
				'监理单位：三明正信工程监理有限公司',
			].join('\n'),
			representatives: ['1号楼居民代表 陈秀英', '3号楼居民代表 林国强', '业主委员会 黄美华'].join(
				'\n',
			),
			outcome: 'passed_with_defects',
			notes: '屋面、管网、楼道和停车设施均符合设计要求；一处井盖高差限期整改。',
			defects: `${daysFrom(now, -50)} 3号楼北侧雨水井盖高出路面约2厘米，需调平`,
			scans: [],
		},
		now,
	);
	const [defect] = await tx
		.select({ id: s.acceptanceDefects.id })
		.from(s.acceptanceDefects)
		.innerJoin(s.acceptanceRecords, eq(s.acceptanceRecords.id, s.acceptanceDefects.recordId))
		.where(eq(s.acceptanceRecords.projectId, chengguan));
	await markDefectFixed(
		tx,
		officers.chengguan,
		{ defectId: defect!.id, fixedOn: daysFrom(now, -58) },
		now,
	);
}
