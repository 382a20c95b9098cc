import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db, Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { seedDemoActivity } from './activity.ts';
import { renovationMenu } from './menu.ts';
import { seedDemoPlans } from './plans.ts';
import { seedDemoSurveys } from './surveys.ts';
import { createRandom, demoOwnerKey, randomInt } from './random.ts';

/**
 * The demo: 三明市三元区 as the seeds describe it — its subdistricts and communities, compounds
 * such as 红岩新村 and 杜鹃新村 with buildings, units and households, the 36-item menu, and a
 * project in each stage of the lifecycle. With `activity` (the app's first start and
 * `npm run db:seed`), also what people did there: residents' opinions, replies and "me too"s,
 * the committee's moderation and official answers, consultation rounds with their ballots (one
 * open, one published), and construction progress (activity.ts).
 */
const subdistrictRows = [
	['列东街道', 'Liedong Subdistrict'],
	['列西街道', 'Liexi Subdistrict'],
	['徐碧街道', 'Xubi Subdistrict'],
	['城关街道', 'Chengguan Subdistrict'],
	['白沙街道', 'Baisha Subdistrict'],
	['富兴堡街道', 'Fuxingbao Subdistrict'],
	['荆西街道', 'Jingxi Subdistrict'],
] as const;

/** community → its subdistrict (index above) */
const communityRows = [
	['梅岭社区', 'Meiling Community', 0],
	['崇桂社区', 'Chonggui Community', 0],
	['江滨社区', 'Jiangbin Community', 1],
	['青山社区', 'Qingshan Community', 1],
	['徐碧社区', 'Xubi Community', 2],
	['新南社区', 'Xinnan Community', 3],
	['白沙社区', 'Baisha Community', 4],
	['富兴社区', 'Fuxing Community', 5],
	['荆西社区', 'Jingxi Community', 6],
] as const;

/** compound → community (index above), built year, buildings */
/** name, English name, community (index), built, buildings, street address */
const compoundRows = [
	['红岩新村', 'Hongyan New Village', 0, 1988, 6, '新市中路11号'],
	['杜鹃新村', 'Dujuan New Village', 0, 1992, 5, '杜鹃路18号'],
	['崇桂新村', 'Chonggui New Village', 1, 1986, 4, '崇桂路25号'],
	['江滨花园', 'Jiangbin Garden', 2, 1998, 5, '江滨路32号'],
	['列西机关宿舍', 'Liexi Civil Service Housing', 3, 1984, 3, '列西路39号'],
	['徐碧小区', 'Xubi Estate', 4, 1995, 4, '徐碧一路46号'],
	['城关新苑', 'Chengguan Court', 5, 1999, 4, '城关街13号'],
	['白沙电厂宿舍', 'Baisha Power Plant Housing', 6, 1987, 3, '白沙路20号'],
	['富兴堡二村', 'Fuxingbao Second Village', 7, 1990, 3, '富兴路27号'],
	['荆西水泥厂宿舍', 'Jingxi Cement Works Housing', 8, 1983, 3, '荆西路34号'],
] as const;

type Stage = (typeof s.projectStage.enumValues)[number];
const stages = s.projectStage.enumValues;

/** project → compounds (indexes), stage, year, investment (yuan), slug */
const projectRows: {
	slug: string;
	name: string;
	nameEn: string;
	compounds: number[];
	stage: Stage;
	year: number;
	investment: string;
	moderation: 'pre' | 'post';
}[] = [
	{
		slug: 'hongyan',
		name: '红岩新村老旧小区改造',
		nameEn: 'Hongyan New Village renovation',
		compounds: [0],
		stage: 'construction',
		year: 2026,
		investment: '8650000.00',
		moderation: 'post',
	},
	{
		slug: 'dujuan',
		name: '杜鹃新村老旧小区改造',
		nameEn: 'Dujuan New Village renovation',
		compounds: [1],
		stage: 'consultation',
		year: 2026,
		investment: '5230000.00',
		moderation: 'pre',
	},
	{
		slug: 'chonggui',
		name: '崇桂新村老旧小区改造',
		nameEn: 'Chonggui New Village renovation',
		compounds: [2],
		stage: 'design',
		year: 2026,
		investment: '3980000.00',
		moderation: 'post',
	},
	{
		slug: 'jiangbin',
		name: '江滨花园老旧小区改造',
		nameEn: 'Jiangbin Garden renovation',
		compounds: [3],
		stage: 'notice',
		year: 2026,
		investment: '6120000.00',
		moderation: 'post',
	},
	{
		slug: 'liexi',
		name: '列西机关宿舍改造',
		nameEn: 'Liexi Civil Service Housing renovation',
		compounds: [4],
		stage: 'survey',
		year: 2027,
		investment: '2400000.00',
		moderation: 'post',
	},
	{
		slug: 'xubi',
		name: '徐碧小区老旧小区改造',
		nameEn: 'Xubi Estate renovation',
		compounds: [5],
		stage: 'acceptance',
		year: 2025,
		investment: '4760000.00',
		moderation: 'post',
	},
	{
		slug: 'chengguan',
		name: '城关新苑老旧小区改造',
		nameEn: 'Chengguan Court renovation',
		compounds: [6],
		stage: 'evaluation',
		year: 2025,
		investment: '5010000.00',
		moderation: 'post',
	},
	{
		slug: 'baisha-fuxing',
		name: '白沙电厂宿舍、富兴堡二村连片改造',
		nameEn: 'Baisha and Fuxingbao joint renovation',
		compounds: [7, 8],
		stage: 'maintenance',
		year: 2024,
		investment: '7340000.00',
		moderation: 'post',
	},
];

const summary = (name: string, count: number) =>
	`${name}共${count}个小区纳入本年度改造计划。改造坚持“居民自愿、先民生后提升”，基础类项目应改尽改，完善类、提升类项目由居民议定。`;
const summaryEn = (name: string, count: number) =>
	`${name}: ${count} compound(s) in this year's plan. Basic items are done wherever needed; improvement and upgrade items are chosen by residents.`;

function isoDate(year: number, month: number, day: number): string {
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Stage dates: each stage about six weeks; stages before the current one have actual dates. */
function stageDates(year: number, current: Stage) {
	const currentIndex = stages.indexOf(current);
	return stages.map((stage, index) => {
		const startMonth = 1 + Math.floor((index * 3) / 2);
		const plannedStart = isoDate(year, Math.min(startMonth, 12), 1);
		const plannedEnd = isoDate(year, Math.min(startMonth + 1, 12), 28);
		const done = index < currentIndex;
		return {
			stage,
			plannedStart,
			plannedEnd,
			actualStart: index <= currentIndex ? isoDate(year, Math.min(startMonth, 12), 5) : null,
			actualEnd: done ? isoDate(year, Math.min(startMonth + 1, 12), 20) : null,
		};
	});
}

/** Inserts the demo data set into an empty database, in one transaction. */
export async function seedDemo(
	db: Db,
	options: { staffPassword?: string | undefined; images?: boolean; activity?: boolean } = {},
): Promise<{ households: number; projects: number }> {
	const random = createRandom(20260401);
	let ownerSerial = 0;
	let householdCount = 0;
	await db.transaction(async (tx) => {
		await tx
			.insert(s.renovationItems)
			.values(renovationMenu.map((item, index) => ({ ...item, sort: index + 1 })));
		const [district] = await tx
			.insert(s.districts)
			.values({ code: '350404', name: '三明市三元区', nameEn: 'Sanyuan District, Sanming' })
			.returning({ id: s.districts.id });
		const subs = await tx
			.insert(s.subdistricts)
			.values(subdistrictRows.map(([name, nameEn]) => ({ districtId: district!.id, name, nameEn })))
			.returning({ id: s.subdistricts.id });
		const comms = await tx
			.insert(s.communities)
			.values(
				communityRows.map(([name, nameEn, sub], index) => ({
					subdistrictId: subs[sub]!.id,
					name,
					nameEn,
					// The committee's contact printed on notices (demo numbers, Sanming area code).
					contactPhone: `0598-82${String(index + 1).padStart(2, '0')}6688`,
					contactAddress: `${name}居委会一楼服务大厅`,
					contactAddressEn: `${nameEn} committee office, ground floor`,
					officeHours: '周一至周五 8:30–12:00，14:30–17:30',
					officeHoursEn: 'Mon–Fri 8:30–12:00, 14:30–17:30',
				})),
			)
			.returning({ id: s.communities.id });
		const comps = await tx
			.insert(s.compounds)
			.values(
				compoundRows.map(([name, nameEn, comm, builtYear, , street]) => ({
					communityId: comms[comm]!.id,
					name,
					nameEn,
					builtYear,
					address: `三明市三元区${street}`,
				})),
			)
			.returning({ id: s.compounds.id });
		for (const [index, [, , , , buildingCount]] of compoundRows.entries()) {
			const compoundId = comps[index]!.id;
			for (let b = 1; b <= buildingCount; b++) {
				const floors = randomInt(random, 5, 7);
				const [building] = await tx
					.insert(s.buildings)
					.values({ compoundId, number: String(b), floors })
					.returning({ id: s.buildings.id });
				const unitCount = randomInt(random, 2, 3);
				for (let u = 1; u <= unitCount; u++) {
					const [unit] = await tx
						.insert(s.units)
						.values({ buildingId: building!.id, number: String(u) })
						.returning({ id: s.units.id });
					const rows = [];
					for (let floor = 1; floor <= floors; floor++) {
						for (let flat = 1; flat <= 2; flat++) {
							// About one flat in thirty belongs to the owner of the flat before it.
							if (!(ownerSerial > 0 && random() < 1 / 30)) ownerSerial++;
							const occupancyRoll = random();
							rows.push({
								unitId: unit!.id,
								buildingId: building!.id,
								compoundId,
								room: `${floor}0${flat}`,
								floor,
								areaM2: (randomInt(random, 4500, 11000) / 100).toFixed(2),
								occupancy:
									occupancyRoll < 0.78
										? ('owner_occupied' as const)
										: occupancyRoll < 0.95
											? ('rented' as const)
											: ('vacant' as const),
								ownerKey: demoOwnerKey(ownerSerial),
							});
						}
					}
					householdCount += rows.length;
					await tx.insert(s.households).values(rows);
				}
			}
		}
		for (const project of projectRows) {
			const firstCompound = compoundRows[project.compounds[0]!]!;
			const [row] = await tx
				.insert(s.projects)
				.values({
					slug: project.slug,
					communityId: comms[firstCompound[2]]!.id,
					name: project.name,
					nameEn: project.nameEn,
					summary: summary(project.name, project.compounds.length),
					summaryEn: summaryEn(project.nameEn, project.compounds.length),
					stage: project.stage,
					year: project.year,
					investmentYuan: project.investment,
					moderation: project.moderation,
				})
				.returning({ id: s.projects.id });
			await tx
				.insert(s.projectCompounds)
				.values(project.compounds.map((c) => ({ projectId: row!.id, compoundId: comps[c]!.id })));
			await tx.insert(s.projectStages).values(
				stageDates(project.year, project.stage).map((dates) => ({
					projectId: row!.id,
					...dates,
				})),
			);
		}
		await seedDemoPlans(tx, { images: options.images ?? false });
		await seedDemoSurveys(tx);
		if (options.staffPassword || options.activity) {
			const staff = await seedDemoStaff(
				tx,
				options.staffPassword,
				comms.map((c) => c.id),
			);
			if (options.activity) await seedDemoActivity(tx, { staff, images: options.images ?? false });
		}
	});
	return { households: householdCount, projects: projectRows.length };
}

export type DemoStaff = Record<'meiling' | 'officer' | 'chengguan', string>;

/**
 * Demo staff. With a password (e.g. DEMO_STAFF_PASSWORD): an admin, a moderator of 梅岭社区 and
 * one of 江滨社区 (to show scopes), and the officers of the 红岩新村 and 城关新苑 projects, all
 * able to sign in. Without one, only the accounts the demo's activity is by (the 梅岭社区
 * committee and the two officers), with no password: nobody can sign in as them, and no admin
 * exists (npm run admin:create makes one). Returns the user ids of the activity's authors.
 */
async function seedDemoStaff(
	tx: Tx,
	password: string | undefined,
	communityIds: number[],
): Promise<DemoStaff> {
	const passwordHash = password
		? await hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 })
		: null;
	const projectRows = await tx
		.select({ id: s.projects.id, slug: s.projects.slug })
		.from(s.projects)
		.where(sql`${s.projects.slug} in ('hongyan', 'chengguan')`);
	const projectId = (slug: string) => projectRows.find((p) => p.slug === slug)!.id;
	const accounts = [
		{
			username: 'admin',
			displayName: '区住建局管理员',
			role: 'admin' as const,
			communityId: null,
			projectId: null,
		},
		{
			username: 'meiling',
			displayName: '梅岭社区居委会',
			role: 'moderator' as const,
			communityId: communityIds[0]!,
			projectId: null,
		},
		{
			username: 'jiangbin',
			displayName: '江滨社区居委会',
			role: 'moderator' as const,
			communityId: communityIds[2]!,
			projectId: null,
		},
		{
			username: 'officer',
			displayName: '红岩新村项目负责人',
			role: 'officer' as const,
			communityId: null,
			projectId: projectId('hongyan'),
		},
		{
			username: 'chengguan',
			displayName: '城关新苑项目负责人',
			role: 'officer' as const,
			communityId: null,
			projectId: projectId('chengguan'),
		},
	];
	const authors: Partial<DemoStaff> = {};
	for (const account of accounts) {
		const author = account.username as keyof DemoStaff;
		const writesActivity = ['meiling', 'officer', 'chengguan'].includes(author);
		if (!passwordHash && !writesActivity) continue;
		const id = randomUUID();
		if (writesActivity) authors[author] = id;
		await tx.insert(s.users).values({
			id,
			kind: 'staff',
			username: account.username,
			displayName: account.displayName,
			passwordHash,
		});
		const [role] = await tx
			.insert(s.staffRoles)
			.values({ userId: id, role: account.role })
			.returning({ id: s.staffRoles.id });
		if (account.communityId !== null)
			await tx
				.insert(s.staffScopes)
				.values({ staffRoleId: role!.id, communityId: account.communityId });
		if (account.projectId !== null)
			await tx
				.insert(s.staffScopes)
				.values({ staffRoleId: role!.id, projectId: account.projectId });
	}
	return authors as DemoStaff;
}
