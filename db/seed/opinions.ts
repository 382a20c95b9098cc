import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { answerOpinion } from '../../src/lib/server/moderation/commands/answer.ts';
import { moderateOpinion } from '../../src/lib/server/moderation/commands/moderate.ts';
import { recordOfflineOpinion } from '../../src/lib/server/moderation/commands/offline.ts';
import type { Disposition } from '../../src/lib/server/moderation/types.ts';
import { postOpinion, toggleMeToo } from '../../src/lib/server/opinions/commands.ts';
import type { Alignment } from '../../src/lib/server/opinions/types.ts';
import type { ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';
import { chinaToday } from '../../src/lib/server/progress/rules.ts';

/**
 * Demo opinions on the two plans open for comment, through the opinions and moderation
 * commands. 杜鹃新村 (pre-moderated, 梅岭社区): the committee approves most, leaves two opinions
 * and a reply in its queue, records one opinion heard at a residents' meeting, and answers —
 * 采纳, 部分采纳, 不予采纳 with the reason — with one opinion still awaiting its answer.
 * 崇桂新村 (post-moderated; no committee account in the demo): published at once, unanswered.
 * Residents are named by key (activity.ts makes them).
 */
type Answer = [Disposition, string];
type OpinionSpec = {
	by: string;
	alignment: Alignment;
	body: string;
	/** A plan item by menu code; else the whole version. */
	item?: string;
	/** Pre-moderation: left in the committee's queue (not approved). */
	pending?: boolean;
	answer?: Answer;
	meToo?: string[];
	replies?: { by: string; alignment: Alignment; body: string; pending?: boolean }[];
};

const dujuan: OpinionSpec[] = [
	{
		by: 'd1',
		alignment: 'support',
		item: 'P11',
		body: '充电棚增加到3处很好！建议每处都装烟感报警和充满自动断电，去年隔壁小区电动车充电起过火。',
		answer: [
			'adopted',
			'已采纳。三处充电棚均按消防要求配置烟感报警、充满自动断电和灭火器，施工图已补充。',
		],
		meToo: ['d2', 'd4', 'd6', 'd7'],
		replies: [{ by: 'd5', alignment: 'support', body: '支持，充电棚旁边最好再装一个监控。' }],
	},
	{
		by: 'd2',
		alignment: 'object',
		item: 'P08',
		body: '新增停车位要占掉2号楼前面的绿地，老人孩子就没地方活动了，反对占用这块绿地。',
		answer: [
			'partly_adopted',
			'部分采纳。2号楼前绿地保留，新增车位由60个调整为48个，减少的12个在小区东侧道路划设夜间临时车位。',
		],
		meToo: ['d3', 'd5', 'd8'],
		replies: [
			{
				by: 'd3',
				alignment: 'neutral',
				body: '我家有车，也理解老人的想法，希望东侧的临时车位能尽快划出来。',
			},
		],
	},
	{
		by: 'd4',
		alignment: 'neutral',
		body: '施工期间能不能避开中午12点到2点？家里有上夜班的，白天要休息。',
		answer: [
			'adopted',
			'已采纳。施工单位承诺午间12:00—14:00不进行噪声作业，夜间不施工；投诉电话公示在各单元门口。',
		],
		meToo: ['d1', 'd6'],
	},
	{
		by: 'd5',
		alignment: 'object',
		item: 'B01',
		body: '我们楼的屋顶防水前年刚自己凑钱修过，这次能不能把这笔钱用在加装电梯上？',
		answer: [
			'not_adopted',
			'不予采纳。加装电梯须本单元业主表决同意并单独申报补助，不在本次综合改造资金范围内；屋面防水全部楼栋统一翻新，质保期一致，便于日后维修。社区可协助有意愿的单元办理加装电梯申请。',
		],
		meToo: ['d8'],
	},
	{
		by: 'd6',
		alignment: 'support',
		item: 'P19',
		body: '楼栋入口的坡道和扶手很实用，我母亲坐轮椅，以后出门方便多了。',
		meToo: ['d1', 'd3', 'd4'],
		replies: [
			{
				by: 'd7',
				alignment: 'neutral',
				body: '坡道旁边能不能再留出放婴儿车的地方？',
				pending: true,
			},
		],
	},
	{
		by: 'd7',
		alignment: 'neutral',
		item: 'P05',
		body: '雨污分流开挖前，希望先公布开挖路线和时间，方便大家提前挪车。',
		pending: true,
	},
	{
		by: 'd8',
		alignment: 'object',
		body: '方案里新的垃圾分类点离3号楼窗户太近，夏天味道大，希望换个位置。',
		pending: true,
	},
];

const chonggui: OpinionSpec[] = [
	{
		by: 'c1',
		alignment: 'support',
		item: 'B08',
		body: '楼道声控灯早该换了，晚上上楼黑漆漆的，老人容易摔倒。',
		meToo: ['c2', 'c3', 'c4'],
	},
	{
		by: 'c2',
		alignment: 'object',
		item: 'P08',
		body: '小区本来就小，新增60个停车位根本放不下，不如先把长期不动的僵尸车清理掉。',
		meToo: ['c4'],
		replies: [{ by: 'c4', alignment: 'support', body: '同意，先清理僵尸车，再看还缺多少车位。' }],
	},
	{
		by: 'c3',
		alignment: 'neutral',
		item: 'P11',
		body: '充电棚只规划了2处，4号楼这边离得远，能不能在北边再加一处？',
		meToo: ['c1'],
		replies: [
			{ by: 'c1', alignment: 'neutral', body: '北边地下好像有燃气管道，能不能建请社区核实一下。' },
		],
	},
];

/** The open version of a project and its plan items by menu code. */
async function openVersion(tx: Tx, slug: string) {
	const [version] = await tx
		.select({ id: s.planVersions.id })
		.from(s.planVersions)
		.innerJoin(s.projects, eq(s.projects.id, s.planVersions.projectId))
		.where(and(eq(s.projects.slug, slug), eq(s.planVersions.status, 'open')));
	const items = await tx
		.select({ id: s.planItems.id, code: s.renovationItems.code })
		.from(s.planItems)
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.planItems.itemId))
		.where(eq(s.planItems.planVersionId, version!.id));
	return { id: version!.id, item: (code: string) => items.find((i) => i.code === code)!.id };
}

/**
 * Posts the opinions of one open version; with a committee (pre-moderated project), approves
 * all but the pending ones and answers. Replies come after their parent is public, reactions
 * last.
 */
async function seedOpinions(
	tx: Tx,
	actorOf: (key: string) => ResidentActor,
	slug: string,
	specs: OpinionSpec[],
	committee: StaffActor | null,
	now: Date,
): Promise<void> {
	const version = await openVersion(tx, slug);
	const approve = async (opinionId: number, state: string, pending?: boolean) => {
		if (committee && state === 'pending' && !pending)
			await moderateOpinion(tx, committee, { opinionId, op: 'approve' });
	};
	for (const spec of specs) {
		const { id, state } = await postOpinion(
			tx,
			actorOf(spec.by),
			{
				planVersionId: version.id,
				alignment: spec.alignment,
				body: spec.body,
				...(spec.item ? { planItemId: version.item(spec.item) } : {}),
			},
			now,
		);
		await approve(id, state, spec.pending);
		if (spec.pending) continue;
		for (const reply of spec.replies ?? []) {
			const posted = await postOpinion(
				tx,
				actorOf(reply.by),
				{ planVersionId: version.id, parentId: id, alignment: reply.alignment, body: reply.body },
				now,
			);
			await approve(posted.id, posted.state, reply.pending);
		}
		for (const by of spec.meToo ?? []) await toggleMeToo(tx, actorOf(by), id, now);
		if (committee && spec.answer) {
			const [disposition, body] = spec.answer;
			await answerOpinion(tx, committee, { opinionId: id, disposition, body }, now);
		}
	}
}

/** An opinion heard at a residents' meeting (居民议事会), recorded and answered by the committee. */
async function seedMeetingOpinion(tx: Tx, committee: StaffActor, now: Date): Promise<void> {
	const version = await openVersion(tx, 'dujuan');
	const [household] = await tx
		.select({ id: s.households.id })
		.from(s.households)
		.innerJoin(s.compounds, eq(s.compounds.id, s.households.compoundId))
		.where(and(eq(s.compounds.name, '杜鹃新村'), eq(s.households.floor, 1)))
		.orderBy(asc(s.households.id))
		.limit(1);
	const { id } = await recordOfflineOpinion(
		tx,
		committee,
		{
			planVersionId: version.id,
			householdId: household!.id,
			channel: 'meeting',
			receivedOn: chinaToday(new Date(now.getTime() - 2 * 86_400_000)),
			alignment: 'neutral',
			body: '一楼几户反映雨季下水道返水，希望这次雨污分流时一并解决。',
		},
		now,
	);
	await answerOpinion(
		tx,
		committee,
		{
			opinionId: id,
			disposition: 'adopted',
			body: '已采纳。一楼住户的排水支管单独接入新建污水管，并加装防倒灌阀。',
		},
		now,
	);
}

/** The opinions of both open plans; `actorOf` gives a demo resident by key. */
export async function seedDemoOpinions(
	tx: Tx,
	options: { actorOf: (key: string) => ResidentActor; committee: StaffActor; now: Date },
): Promise<void> {
	const { actorOf, committee, now } = options;
	await seedOpinions(tx, actorOf, 'dujuan', dujuan, committee, now);
	await seedMeetingOpinion(tx, committee, now);
	await seedOpinions(tx, actorOf, 'chonggui', chonggui, null, now);
}
