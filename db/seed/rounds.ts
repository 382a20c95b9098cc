import { and, asc, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { castBallot } from '../../src/lib/server/ballots/commands/cast.ts';
import { setFloorCoefficients } from '../../src/lib/server/ballots/commands/floors.ts';
import { enterPaperForm } from '../../src/lib/server/ballots/commands/paper.ts';
import { publishResults } from '../../src/lib/server/ballots/commands/publish.ts';
import {
	closeRound,
	createRound,
	openRound,
} from '../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../src/lib/server/ballots/load.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import type { Choice, RoundInfo } from '../../src/lib/server/ballots/types.ts';
import type { ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';

/** The committee closes early, having visited every flat (the reason is published if below target). */
const CONFIRMED = { confirm: true, reason: '已逐户走访，居民议事会同意提前截止' };

/**
 * Demo consultation rounds (征求意见与表决), through the ballots commands (scope frozen at
 * opening, running tallies, the database clock, audit), by the 梅岭社区 committee:
 * - 杜鹃新村 (in consultation): the opinion round on plan version 2, open until its comment
 *   period ends, tallies public. Seven of the eight demo residents answered online (two revised
 *   once) and the committee entered one paper form with its photo; coverage is far below the
 *   2/3 target, so the door-visit list (入户) is long.
 * - 红岩新村 (in construction): adding elevators to building 2 (加装电梯), a Civil Code art. 278
 *   matter (≥ 2/3 take part, ≥ 3/4 agree, by area and by owners), decided unit by unit. Owners
 *   signed paper forms at home; the demo resident of its unit 2 voted online. Unit 1
 *   agrees, unit 2 does not reach 3/4 (its lower floors object). Closed by the committee and
 *   published. Deterministic; dates relative to `now`.
 */
type Committee = { actorOf: (key: string) => ResidentActor; committee: StaffActor; now: Date };
type Answer = { choices?: Record<string, Choice>; overall: Choice; comment: string };
/** A paper form as entered: choices by round item id, when it was filled in, a photo seed. */
type Form = {
	choices: Record<string, Choice>;
	overall?: Choice;
	comment: string;
	filledAt: string;
	n: number;
};

const day = 86_400_000;
const local = (now: Date, days: number) => toChinaLocalInput(new Date(now.getTime() + days * day));

/**
 * The 杜鹃新村 residents' ballots by key, by plan item menu code (unnamed items: agree); each
 * answer after the first is a revision. d7 has not answered.
 */
const opinionBallots: [key: string, answers: Answer[]][] = [
	['d1', [{ overall: 'agree', comment: '充电棚请按消防要求装烟感和自动断电。' }]],
	[
		'd2',
		[
			{ choices: { P08: 'disagree' }, overall: 'disagree', comment: '反对占用2号楼前绿地。' },
			{
				choices: { P08: 'disagree' },
				overall: 'agree',
				comment: '绿地保留了，整体方案同意；新增车位一项仍不同意。',
			},
		],
	],
	[
		'd3',
		[
			{ choices: { P08: 'abstain' }, overall: 'agree', comment: '' },
			{ overall: 'agree', comment: '车位调整后同意，东侧临时车位请尽快划出。' },
		],
	],
	['d4', [{ choices: { B05: 'abstain' }, overall: 'agree', comment: '' }]],
	[
		'd5',
		[
			{
				choices: { B01: 'disagree' },
				overall: 'abstain',
				comment: '我们楼屋面前年自己修过，希望这笔钱用在加装电梯上。',
			},
		],
	],
	['d6', [{ overall: 'agree', comment: '坡道和扶手很需要。' }]],
	['d8', [{ overall: 'abstain', comment: '垃圾分类点离3号楼太近，请调整位置。' }]],
];

/** A photo of a signed paper form (表决单): ruled lines, ticks and a signature, made from SVG. */
async function formPhoto(n: number): Promise<Uint8Array> {
	const lines = Array.from(
		{ length: 8 },
		(_, i) => `<rect x="50" y="${170 + i * 48}" width="380" height="2" fill="#9aa3ad"/>`,
	).join('');
	const tick = (y: number) =>
		`<path d="M330 ${y} l10 12 l22 -26" stroke="#1c3f94" stroke-width="5" fill="none"/>`;
	const wave = Array.from({ length: 5 }, (_, i) => `q 12 ${(n + i) % 2 ? -30 : 30} 24 0`).join(' ');
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="640">
<rect width="480" height="640" fill="#d8d2c4"/><rect x="24" y="20" width="432" height="600" fill="#fbf8f1"/>
<rect x="50" y="50" width="380" height="26" fill="#b3261e" opacity="0.8"/><rect x="50" y="96" width="220" height="12" fill="#555"/>
${lines}${tick(200 + (n % 3) * 48)}${tick(392)}
<path d="M${260 + (n % 5) * 8} 560 ${wave}" stroke="#1c3f94" stroke-width="4" fill="none"/>
<circle cx="380" cy="520" r="34" fill="none" stroke="#c0392b" stroke-width="4" opacity="0.7"/></svg>`;
	return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 72 }).toBuffer());
}

/** The committee's paper form for a household (single entry: it counts at once). */
async function enterForm(
	tx: Tx,
	committee: StaffActor,
	round: RoundInfo,
	householdId: number,
	form: Form,
): Promise<void> {
	const { n, ...fields } = form;
	await enterPaperForm(tx, committee, {
		roundId: round.id,
		householdId,
		...fields,
		photo: await formPhoto(n),
	});
}

/** Every yes/no item of the round: agree, unless `byCode` (menu codes) says otherwise. */
async function choicesByCode(tx: Tx, round: RoundInfo, byCode: Record<string, Choice> = {}) {
	const codes = await tx
		.select({ roundItemId: s.roundItems.id, code: s.renovationItems.code })
		.from(s.roundItems)
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.roundItems.itemId))
		.where(eq(s.roundItems.roundId, round.id));
	return Object.fromEntries(
		codes.map((c) => [String(c.roundItemId), byCode[c.code] ?? ('agree' as Choice)]),
	);
}

/** The 杜鹃新村 opinion round on the open plan version, with its ballots; returns its id. */
async function seedOpinionRound(tx: Tx, { actorOf, committee, now }: Committee): Promise<number> {
	const [version] = await tx
		.select({ id: s.planVersions.id, projectId: s.planVersions.projectId })
		.from(s.planVersions)
		.innerJoin(s.projects, eq(s.projects.id, s.planVersions.projectId))
		.where(and(eq(s.projects.slug, 'dujuan'), eq(s.planVersions.status, 'open')));
	const { roundId } = await createRound(tx, committee, {
		projectId: version!.projectId,
		kind: 'plan_opinion',
		planVersionId: version!.id,
		title: '杜鹃新村改造方案（修改稿）征求意见',
		titleEn: 'Opinions on the revised Dujuan New Village plan',
		description:
			'请每户对修改稿中的每一项改造内容表明意见，并对方案整体表态。截止前可以随时修改，以最后一次提交为准；不方便用手机的住户，社区工作人员可上门填写纸质意见表。计票结果实时公开。',
		descriptionEn:
			'Each household gives its opinion on every item of the revised plan and on the plan as a whole. You can change it until the deadline; the last one counts. Households without a phone can fill in a paper form with the committee at home. The tallies are public as they come in.',
		itemIds: [],
		questions: '',
		rule: 'simple_majority',
		decisionScope: 'compound',
		opensAt: local(now, -3),
		closesAt: local(now, 14),
		talliesPublic: true,
	});
	await openRound(tx, committee, roundId);
	const round = (await loadRound(tx, roundId))!;
	for (const [key, answers] of opinionBallots) {
		const actor = actorOf(key);
		for (const answer of answers)
			await castBallot(tx, actor, {
				roundId,
				householdId: actor.memberships[0]!.householdId,
				choices: await choicesByCode(tx, round, answer.choices),
				overall: answer.overall,
				comment: answer.comment,
			});
	}
	// A ground-floor household with no account: the committee fills in its form at home.
	const household = await householdWithoutMembers(tx, roundId);
	await enterForm(tx, committee, round, household, {
		choices: await choicesByCode(tx, round, { P08: 'abstain' }),
		overall: 'agree',
		comment: '老人不会用手机，入户填写。希望雨污分流时一并解决一楼下水道返水。',
		filledAt: local(now, -1),
		n: 0,
	});
	return roundId;
}

/** The first household of the round's scope (by building, floor, id) that nobody bound. */
async function householdWithoutMembers(tx: Tx, roundId: number): Promise<number> {
	const [row] = await tx
		.select({ id: s.roundHouseholds.householdId })
		.from(s.roundHouseholds)
		.innerJoin(s.households, eq(s.households.id, s.roundHouseholds.householdId))
		.where(
			and(
				eq(s.roundHouseholds.roundId, roundId),
				sql`not exists (select 1 from memberships m where m.household_id = ${s.households.id})`,
			),
		)
		.orderBy(asc(s.households.buildingId), asc(s.households.floor), asc(s.households.id))
		.limit(1);
	if (!row) throw new Error(`seed: no household without members in round ${roundId}`);
	return row.id;
}

/** 多层住宅楼房增设电梯 on the menu (menu.ts): a special matter, so ¾ under the Civil Code. */
const ELEVATOR = 'B13';

/** Building 2's answers by unit: rooms that object or abstain, and rooms nobody answered in. */
const elevatorUnits: Record<string, { disagree: string[]; abstain: string[]; absent: string[] }> = {
	'1': { disagree: ['101'], abstain: [], absent: ['302', '601'] },
	'2': { disagree: ['101', '102', '201'], abstain: ['202'], absent: ['401', '502', '701'] },
};

/** A flat's answer and its comment, or null when nobody answered. */
function elevatorAnswer(unit: string, room: string, floor: number) {
	const spec = elevatorUnits[unit]!;
	if (spec.absent.includes(room)) return null;
	const choice: Choice = spec.disagree.includes(room)
		? 'disagree'
		: spec.abstain.includes(room)
			? 'abstain'
			: 'agree';
	const comment =
		choice === 'disagree'
			? '住在低层用不上电梯，担心挡光和噪音。'
			: choice === 'agree' && floor >= 5
				? '年纪大了，爬楼太难，盼早日装上电梯。'
				: '';
	return { choice, comment };
}

/** 红岩新村 building 2's elevator decision, closed and published; returns its id. */
async function seedElevatorRound(tx: Tx, { actorOf, committee, now }: Committee): Promise<number> {
	const [building] = await tx
		.select({ id: s.buildings.id, projectId: s.projectCompounds.projectId })
		.from(s.buildings)
		.innerJoin(s.compounds, eq(s.compounds.id, s.buildings.compoundId))
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.compounds.id))
		.where(and(eq(s.compounds.name, '红岩新村'), eq(s.buildings.number, '2')));
	const [elevator] = await tx
		.select({ id: s.renovationItems.id })
		.from(s.renovationItems)
		.where(eq(s.renovationItems.code, ELEVATOR));
	const { roundId } = await createRound(tx, committee, {
		projectId: building!.projectId,
		kind: 'special',
		title: '红岩新村2号楼加装电梯意见征询',
		titleEn: 'Adding elevators to building 2, Hongyan New Village',
		description:
			'依据《民法典》第二百七十八条，加装电梯须由专有部分面积和人数均占三分之二以上的业主参与表决，并经参与表决的面积和人数均四分之三以上的业主同意。每个单元单独计票。社区工作人员入户征询，签字表决单拍照存档。',
		descriptionEn:
			'Under Civil Code art. 278, adding an elevator needs owners of at least two thirds of the floor area and of the owners to take part, and at least three quarters of those taking part, by area and by owners, to agree. Each unit decides for itself. The committee visits every flat; signed forms are photographed and kept.',
		scopeBuildingId: building!.id,
		itemIds: [elevator!.id],
		questions: '',
		rule: 'civil_code_three_quarters',
		decisionScope: 'unit',
		opensAt: local(now, -20),
		closesAt: local(now, 1),
		talliesPublic: false,
	});
	// 楼层系数: the ground floor does not use the elevator and pays nothing; higher floors more.
	await setFloorCoefficients(tx, committee, {
		roundId,
		text: '1:0\n2:0.3\n3:0.6\n4:0.9\n5:1.1\n6:1.3\n7:1.5',
	});
	await openRound(tx, committee, roundId);
	const round = (await loadRound(tx, roundId))!;
	const h1 = actorOf('h1');
	const flats = await tx
		.select({
			id: s.households.id,
			unit: s.units.number,
			room: s.households.room,
			floor: s.households.floor,
		})
		.from(s.roundHouseholds)
		.innerJoin(s.households, eq(s.households.id, s.roundHouseholds.householdId))
		.innerJoin(s.units, eq(s.units.id, s.households.unitId))
		.where(eq(s.roundHouseholds.roundId, roundId))
		.orderBy(asc(s.units.number), asc(s.households.floor), asc(s.households.room));
	for (const [n, flat] of flats.entries()) {
		const answer = elevatorAnswer(flat.unit, flat.room, flat.floor);
		if (!answer) continue;
		const choices = await choicesByCode(tx, round, { [ELEVATOR]: answer.choice });
		const { comment } = answer;
		if (h1.memberships.some((m) => m.householdId === flat.id))
			await castBallot(tx, h1, { roundId, householdId: flat.id, choices, comment });
		else
			await enterForm(tx, committee, round, flat.id, {
				choices,
				comment,
				filledAt: local(now, -18 + (n % 16)),
				n: n + 1,
			});
	}
	// Every flat visited, the committee closes the round ahead of its planned close tomorrow
	// (closeRound: at the database clock) and publishes the result (公示).
	await closeRound(tx, committee, roundId, CONFIRMED);
	await publishResults(tx, committee, { roundId, note: '', confirm: true });
	return roundId;
}

/** Both demo rounds; `actorOf` gives a demo resident by key, `committee` is 梅岭社区's. */
export async function seedDemoRounds(
	tx: Tx,
	options: Committee,
): Promise<{ open: number; published: number }> {
	return {
		open: await seedOpinionRound(tx, options),
		published: await seedElevatorRound(tx, options),
	};
}
