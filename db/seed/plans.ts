import { eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { seedDemoAlternatives, seedDemoFunding } from './funding.ts';

/**
 * Demo plan versions: 杜鹃新村 has a closed first version and a second open for comment (with
 * before/after renderings when images are wanted); 红岩新村 and 江滨花园 have final plans;
 * 崇桂新村 has a first version open for comment.
 */
type ItemSpec = [
	code: string,
	cost: number,
	government: number,
	residents: number,
	split: 'area' | 'equal',
	description: string,
];

export const dujuanV1: ItemSpec[] = [
	['B01', 620000, 620000, 0, 'area', '全部楼栋屋面防水层翻新'],
	['B05', 380000, 380000, 0, 'area', '楼道墙面粉刷、扶手更换'],
	['B08', 90000, 90000, 0, 'equal', '楼道声控感应灯'],
	['P05', 1200000, 1200000, 0, 'area', '雨污分流管网改造'],
	['P08', 450000, 360000, 90000, 'area', '新增停车位 60 个'],
	['P11', 160000, 100000, 60000, 'equal', '电动自行车集中充电棚 2 处'],
];
const dujuanV2: ItemSpec[] = [
	...dujuanV1.filter(([code]) => code !== 'P11'),
	['P11', 200000, 140000, 60000, 'equal', '电动自行车集中充电棚 3 处（根据居民意见增加一处）'],
	['P19', 180000, 180000, 0, 'equal', '楼栋入口坡道和扶手'],
];

const body = `## 改造目标

解决屋面渗漏、管网老化、停车难等问题，做到“道路平、排水通、路灯亮、环境美”。

## 施工安排

- 分两期施工，每期约三个月；
- 施工期间保留一条出入通道；
- 每周在小区公告栏公布进度。`;
const bodyEn = `## Goals

Fix leaking roofs, old pipes and the lack of parking: even roads, working drains, lit paths, a pleasant compound.

## Schedule

- Two phases of about three months each;
- one way in and out stays open during works;
- progress posted weekly on the notice board.`;

export async function demoImage(kind: 'before' | 'after', hue: number): Promise<Uint8Array> {
	const colours =
		kind === 'before'
			? ['#8a8a84', '#5e5d58', '#a4a29b']
			: [`hsl(${hue},55%,55%)`, '#2f7d4f', '#f2efe6'];
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
<rect width="1600" height="1000" fill="${colours[2]}"/><rect y="620" width="1600" height="380" fill="${colours[1]}"/>
<rect x="220" y="180" width="520" height="520" fill="${colours[0]}"/><rect x="860" y="240" width="520" height="460" fill="${colours[0]}"/>
${[0, 1, 2, 3].map((i) => `<rect x="${270 + i * 115}" y="260" width="70" height="90" fill="#fff" opacity="0.7"/>`).join('')}
${kind === 'after' ? '<circle cx="160" cy="640" r="90" fill="#3b9b5a"/><circle cx="1460" cy="640" r="110" fill="#3b9b5a"/>' : ''}
</svg>`;
	return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer());
}

export async function insertVersion(
	tx: Tx,
	projectId: number,
	number: number,
	status: 'open' | 'closed' | 'superseded' | 'final',
	window: [Date, Date],
	items: ItemSpec[],
	menu: Map<string, number>,
): Promise<number> {
	const [version] = await tx
		.insert(s.planVersions)
		.values({
			projectId,
			number,
			title: number === 1 ? '改造设计方案（初稿）' : '改造设计方案（修改稿）',
			titleEn: number === 1 ? 'Renovation design (first draft)' : 'Renovation design (revised)',
			body,
			bodyEn,
			status,
			commentOpensAt: window[0],
			commentClosesAt: window[1],
			publishedAt: window[0],
		})
		.returning({ id: s.planVersions.id });
	await tx.insert(s.planItems).values(
		items.map(([code, cost, government, residents, split, description], sort) => ({
			planVersionId: version!.id,
			itemId: menu.get(code)!,
			description,
			costYuan: cost.toFixed(2),
			governmentYuan: government.toFixed(2),
			residentYuan: residents.toFixed(2),
			split,
			sort,
		})),
	);
	return version!.id;
}

export async function seedDemoPlans(
	tx: Tx,
	options: { images: boolean; now?: Date },
): Promise<void> {
	const now = options.now ?? new Date();
	const day = 86_400_000;
	const menuRows = await tx
		.select({ id: s.renovationItems.id, code: s.renovationItems.code })
		.from(s.renovationItems);
	const menu = new Map(menuRows.map((m) => [m.code, m.id]));
	const projectRows = await tx
		.select({ id: s.projects.id, slug: s.projects.slug })
		.from(s.projects)
		.where(inArray(s.projects.slug, ['dujuan', 'hongyan', 'jiangbin', 'chonggui']));
	const project = (slug: string) => projectRows.find((p) => p.slug === slug)!.id;

	const past: [Date, Date] = [
		new Date(now.getTime() - 60 * day),
		new Date(now.getTime() - 40 * day),
	];
	const open: [Date, Date] = [
		new Date(now.getTime() - 3 * day),
		new Date(now.getTime() + 14 * day),
	];
	await insertVersion(tx, project('dujuan'), 1, 'superseded', past, dujuanV1, menu);
	const dujuanOpen = await insertVersion(tx, project('dujuan'), 2, 'open', open, dujuanV2, menu);
	await seedDemoFunding(tx, dujuanOpen);
	await tx.insert(s.planChanges).values([
		{
			planVersionId: dujuanOpen,
			text: '充电棚由 2 处增加到 3 处，增加的一处设在 4 号楼北侧。',
			textEn: 'Charging shelters increased from 2 to 3; the new one is north of building 4.',
			sort: 1,
		},
		{
			planVersionId: dujuanOpen,
			text: '新增楼栋入口无障碍坡道和扶手。',
			textEn: 'Added barrier-free ramps and handrails at building entrances.',
			sort: 2,
		},
	]);
	await insertVersion(tx, project('hongyan'), 1, 'superseded', past, dujuanV1, menu);
	await insertVersion(
		tx,
		project('hongyan'),
		2,
		'final',
		[new Date(now.getTime() - 35 * day), new Date(now.getTime() - 20 * day)],
		dujuanV2,
		menu,
	);
	await insertVersion(
		tx,
		project('jiangbin'),
		1,
		'final',
		[new Date(now.getTime() - 20 * day), new Date(now.getTime() - 5 * day)],
		dujuanV1,
		menu,
	);
	const chongguiOpen = await insertVersion(
		tx,
		project('chonggui'),
		1,
		'open',
		open,
		dujuanV1,
		menu,
	);
	await seedDemoAlternatives(tx, chongguiOpen, options.images);

	if (!options.images) return;
	const { prepareImage, savePreparedImage } = await import('../../src/lib/server/images/store.ts');
	const pairs = [
		{ caption: '小区主路与停车位', captionEn: 'Main road and parking', spot: '南门', hue: 205 },
		{ caption: '3号楼单元入口', captionEn: 'Building 3 entrance', spot: '单元入口', hue: 30 },
	];
	const [building3] = await tx
		.select({ id: s.buildings.id })
		.from(s.buildings)
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.buildings.compoundId))
		.where(eq(s.projectCompounds.projectId, project('dujuan')))
		.orderBy(s.buildings.id)
		.offset(2)
		.limit(1);
	for (const [sort, pair] of pairs.entries()) {
		const before = await savePreparedImage(
			tx,
			null,
			await prepareImage(await demoImage('before', pair.hue)),
		);
		const after = await savePreparedImage(
			tx,
			null,
			await prepareImage(await demoImage('after', pair.hue)),
		);
		await tx.insert(s.renderings).values({
			planVersionId: dujuanOpen,
			beforeImageId: before,
			afterImageId: after,
			caption: pair.caption,
			captionEn: pair.captionEn,
			spot: pair.spot,
			buildingId: sort === 1 ? (building3?.id ?? null) : null,
			sort,
		});
	}
}
