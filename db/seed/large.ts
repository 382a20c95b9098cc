import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Executor, type Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { createRandom, randomInt } from './random.ts';

/**
 * The city-scale data set for load tests and query plans: by default 200 compounds of
 * 10 buildings × 5 units × 5 floors × 2 flats (100,000 households) in 50 new communities under
 * the demo's subdistricts, and 100 projects of two compounds each, spread over the 8 stages.
 * Needs the demo seed (its district and subdistricts). The tree below compounds is generated
 * in SQL (generate_series, insert … select) so it takes seconds, not minutes.
 */
export type LargeSeedOptions = {
	compounds?: number;
	compoundsPerCommunity?: number;
	/** per compound */
	buildings?: number;
	/** per building */
	units?: number;
	floors?: number;
	/** flats per floor in each unit */
	rooms?: number;
	/** PRNG seed for names, years and investment */
	seed?: number;
};

export type LargeSeedResult = {
	/** True when the set was already there (the marker project exists): nothing was written. */
	skipped: boolean;
	communities: number;
	compounds: number;
	buildings: number;
	units: number;
	households: number;
	projects: number;
	projectStages: number;
};

/** The project whose presence marks the large set as seeded. */
export const LARGE_SEED_MARKER = 'city-0001';

const defaults: Required<LargeSeedOptions> = {
	compounds: 200,
	compoundsPerCommunity: 4,
	buildings: 10,
	units: 5,
	floors: 5,
	rooms: 2,
	seed: 20261101,
};

/** Compound names are syllable combos such as 东兴三村: first × second syllable × ordinal. */
const firstSyllables = [...'东西南北中金翠红青新'];
const firstEn = ['Dong', 'Xi', 'Nan', 'Bei', 'Zhong', 'Jin', 'Cui', 'Hong', 'Qing', 'Xin'];
const secondSyllables = [...'兴安华园桥岭江湖山丰'];
const secondEn = ['xing', "'an", 'hua', 'yuan', 'qiao', 'ling', 'jiang', 'hu', 'shan', 'feng'];
const ordinals = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
const ordinalsEn = 'First Second Third Fourth Fifth Sixth Seventh Eighth Ninth'.split(' ');

/** The i-th compound name; distinct for every i (a phase suffix beyond the 900 combos). */
export function compoundName(i: number): { name: string; nameEn: string } {
	const pairs = firstSyllables.length * secondSyllables.length;
	const pair = (i * 37) % pairs; // 37 is coprime to 100: consecutive compounds differ
	const ordinal = (Math.floor(i / pairs) + pair * 4) % ordinals.length; // 4 is coprime to 9
	const cycle = Math.floor(i / (pairs * ordinals.length));
	const first = Math.floor(pair / secondSyllables.length);
	const second = pair % secondSyllables.length;
	const phase = cycle > 0 ? `${cycle + 1}期` : '';
	const phaseEn = cycle > 0 ? `, Phase ${cycle + 1}` : '';
	return {
		name: `${firstSyllables[first]}${secondSyllables[second]}${ordinals[ordinal]}村${phase}`,
		nameEn: `${firstEn[first]}${secondEn[second]} ${ordinalsEn[ordinal]} Village${phaseEn}`,
	};
}

type Subdistrict = { id: number; name: string; nameEn: string; district: string };

async function listSubdistricts(db: Executor): Promise<Subdistrict[]> {
	return queryRows<Subdistrict>(
		db,
		sql`select s.id, s.name, s.name_en as "nameEn", d.name as district
		    from subdistricts s join districts d on d.id = s.district_id order by s.id`,
	);
}

async function markerExists(db: Executor): Promise<boolean> {
	const rows = await queryRows(db, sql`select 1 from projects where slug = ${LARGE_SEED_MARKER}`);
	return rows.length > 0;
}

/** Communities such as 列东第3社区, dealt round-robin over the subdistricts. */
function communityRows(subs: Subdistrict[], count: number) {
	const perSub = new Map<number, number>();
	return Array.from({ length: count }, (_, i) => {
		const sub = subs[i % subs.length]!;
		const n = (perSub.get(sub.id) ?? 0) + 1;
		perSub.set(sub.id, n);
		const stem = sub.name.replace(/(街道|镇)$/, '');
		const stemEn = sub.nameEn.replace(/ (Subdistrict|Town)$/, '');
		return {
			subdistrictId: sub.id,
			name: `${stem}第${n}社区`,
			nameEn: `${stemEn} No. ${n} Community`,
		};
	});
}

const idList = (ids: number[]): SQL =>
	sql.join(
		ids.map((id) => sql`${id}`),
		sql`, `,
	);

/** Buildings, units and households under the given compounds, all in SQL. */
async function insertTree(tx: Executor, compoundIds: number[], o: Required<LargeSeedOptions>) {
	await tx.execute(sql`
		insert into buildings (compound_id, number, floors, has_elevator)
		select c.id, b::text, ${o.floors}, false
		from compounds c cross join generate_series(1, ${o.buildings}::int) b
		where c.id in (${idList(compoundIds)})`);
	await tx.execute(sql`
		insert into units (building_id, number)
		select b.id, u::text
		from buildings b cross join generate_series(1, ${o.units}::int) u
		where b.compound_id in (${idList(compoundIds)})`);
	// k identifies a flat; three hashes of it give area (40.00–140.00 m²), occupancy (78 % owner-
	// occupied, 17 % rented, 5 % vacant) and whether the last flat on a floor belongs to the
	// owner of its neighbour (1 in 15: one owner, two flats — counted as one head).
	// building_id/compound_id are passed correctly; the trigger would fill them anyway.
	await tx.execute(sql`
		insert into households (unit_id, building_id, compound_id, room, floor, area_m2, occupancy, owner_key)
		select unit_id, building_id, compound_id,
		       floor::text || lpad(room::text, 2, '0'),
		       floor,
		       (40 + ((hashint8(k) & 2147483647) % 10001) / 100.0)::numeric(10, 2),
		       (case when (hashint8(k * 31 + 17) & 2147483647) % 100 < 78 then 'owner_occupied'
		             when (hashint8(k * 31 + 17) & 2147483647) % 100 < 95 then 'rented'
		             else 'vacant' end)::occupancy,
		       encode(sha256(convert_to('large-owner-' || unit_id || '-' || floor || '-' ||
		         (case when room = ${o.rooms} and room > 1
		                    and (hashint8(k * 131 + 7) & 2147483647) % 15 = 0
		               then room - 1 else room end), 'UTF8')), 'hex')
		from (
			select u.id as unit_id, b.id as building_id, b.compound_id, f as floor, r as room,
			       u.id::bigint * 1000 + f * 10 + r as k
			from buildings b
			join units u on u.building_id = b.id
			cross join generate_series(1, ${o.floors}::int) f
			cross join generate_series(1, ${o.rooms}::int) r
			where b.compound_id in (${idList(compoundIds)})
		) flats
		order by unit_id, floor, room`);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** Six weeks a stage; stages before the current one have actual dates, the current a start. */
function stageDates(year: number, offsetDays: number, currentIndex: number, random: () => number) {
	const start = addDays(new Date(Date.UTC(year, 0, 1)), offsetDays);
	return s.projectStage.enumValues.map((stage, index) => {
		const plannedStart = addDays(start, index * 42);
		const plannedEnd = addDays(plannedStart, 40);
		const actualStart = addDays(plannedStart, randomInt(random, 0, 7));
		return {
			stage,
			plannedStart: isoDay(plannedStart),
			plannedEnd: isoDay(plannedEnd),
			actualStart: index <= currentIndex ? isoDay(actualStart) : null,
			actualEnd:
				index < currentIndex ? isoDay(addDays(plannedEnd, randomInt(random, 0, 14))) : null,
		};
	});
}

type NewCompound = { id: number; communityId: number; name: string; nameEn: string };

/** Projects of two neighbouring compounds each (city-0001…), with stage rows. */
async function insertProjects(
	tx: Tx,
	comps: NewCompound[],
	o: Required<LargeSeedOptions>,
	random: () => number,
) {
	const stages = s.projectStage.enumValues;
	const perCompound = o.buildings * o.units * o.floors * o.rooms;
	const plans = Array.from({ length: Math.floor(comps.length / 2) }, (_, i) => {
		const [a, b] = [comps[2 * i]!, comps[2 * i + 1]!];
		const stageIndex = i % stages.length;
		const year = 2027 - Math.floor(stageIndex / 3);
		return { i, a, b, stageIndex, year, offset: randomInt(random, 0, 90) };
	});
	if (plans.length === 0) return 0;
	const rows = await tx
		.insert(s.projects)
		.values(
			plans.map(({ i, a, b, stageIndex, year }) => ({
				slug: `city-${String(i + 1).padStart(4, '0')}`,
				communityId: a.communityId,
				name: `${a.name}、${b.name}连片改造`,
				nameEn: `${a.nameEn} and ${b.nameEn} joint renovation`,
				summary: `${a.name}、${b.name}共2个小区纳入改造计划。基础类项目应改尽改，完善类、提升类项目由居民议定。`,
				summaryEn: `${a.nameEn} and ${b.nameEn}: 2 compounds in the plan. Basic items are done wherever needed; improvement and upgrade items are chosen by residents.`,
				stage: stages[stageIndex]!,
				year,
				investmentYuan: `${2 * perCompound * randomInt(random, 9000, 18000)}.00`,
				moderation: i % 5 === 1 ? ('pre' as const) : ('post' as const),
			})),
		)
		.returning({ id: s.projects.id, slug: s.projects.slug });
	const idBySlug = new Map(rows.map((r) => [r.slug, r.id]));
	const projectId = (i: number) => idBySlug.get(`city-${String(i + 1).padStart(4, '0')}`)!;
	await tx
		.insert(s.projectCompounds)
		.values(
			plans.flatMap(({ i, a, b }) =>
				[a, b].map((c) => ({ projectId: projectId(i), compoundId: c.id })),
			),
		);
	const stageRows = plans.flatMap(({ i, year, offset, stageIndex }) =>
		stageDates(year, offset, stageIndex, random).map((dates) => ({
			projectId: projectId(i),
			...dates,
		})),
	);
	await tx.insert(s.projectStages).values(stageRows);
	return plans.length;
}

async function countTree(tx: Executor, compoundIds: number[]) {
	const ids = idList(compoundIds);
	const [row] = await queryRows<{ buildings: number; units: number; households: number }>(
		tx,
		sql`select (select count(*)::int from buildings where compound_id in (${ids})) as buildings,
		           (select count(*)::int from units u join buildings b on b.id = u.building_id
		             where b.compound_id in (${ids})) as units,
		           (select count(*)::int from households where compound_id in (${ids})) as households`,
	);
	return row!;
}

const nothing = {
	communities: 0,
	compounds: 0,
	buildings: 0,
	units: 0,
	households: 0,
	projects: 0,
	projectStages: 0,
};

function checkOptions(o: Required<LargeSeedOptions>): void {
	const counts = [o.compounds, o.compoundsPerCommunity, o.buildings, o.units, o.floors, o.rooms];
	if (!counts.every((n) => Number.isInteger(n) && n >= 1)) {
		throw new Error('seedLarge: every count must be a whole number of at least 1');
	}
	if (o.floors > 9 || o.rooms > 9) throw new Error('seedLarge: floors and rooms must be at most 9');
}

/** The new communities and their compounds (names, addresses, built years), ordered by id. */
async function insertCompounds(
	tx: Tx,
	subs: Subdistrict[],
	o: Required<LargeSeedOptions>,
	random: () => number,
): Promise<{ communities: number; compounds: NewCompound[] }> {
	const comms = await tx
		.insert(s.communities)
		.values(communityRows(subs, Math.ceil(o.compounds / o.compoundsPerCommunity)))
		.returning({ id: s.communities.id, subdistrictId: s.communities.subdistrictId });
	const placeOf = new Map(subs.map((sub) => [sub.id, sub.district + sub.name]));
	const rows = Array.from({ length: o.compounds }, (_, i) => {
		const community = comms[Math.floor(i / o.compoundsPerCommunity)]!;
		const names = compoundName(i);
		const address = `${placeOf.get(community.subdistrictId)}${names.name}`;
		const builtYear = randomInt(random, 1980, 2002);
		return { communityId: community.id, ...names, address, builtYear };
	});
	const comps = await tx.insert(s.compounds).values(rows).returning({
		id: s.compounds.id,
		communityId: s.compounds.communityId,
		name: s.compounds.name,
		nameEn: s.compounds.nameEn,
	});
	return { communities: comms.length, compounds: comps.sort((x, y) => x.id - y.id) };
}

/**
 * Adds the city-scale set in one transaction, then refreshes planner statistics. Idempotent:
 * returns `skipped: true` and writes nothing when project `city-0001` exists. Throws when the
 * database has no subdistricts (seed the demo first).
 */
export async function seedLarge(db: Db, options: LargeSeedOptions = {}): Promise<LargeSeedResult> {
	const o = { ...defaults, ...options };
	checkOptions(o);
	if (await markerExists(db)) return { skipped: true, ...nothing };
	const subs = await listSubdistricts(db);
	if (subs.length === 0) {
		throw new Error(
			'seedLarge: the database has no subdistricts; run the demo seed first (npm run db:seed).',
		);
	}
	const random = createRandom(o.seed);
	const result = await db.transaction(async (tx) => {
		const { communities, compounds } = await insertCompounds(tx, subs, o, random);
		const ids = compounds.map((c) => c.id);
		await insertTree(tx, ids, o);
		const projects = await insertProjects(tx, compounds, o, random);
		const tree = await countTree(tx, ids);
		const projectStages = projects * s.projectStage.enumValues.length;
		return { communities, compounds: compounds.length, ...tree, projects, projectStages };
	});
	await db.execute(sql`analyze communities, compounds, buildings, units, households,
		projects, project_compounds, project_stages`);
	return { skipped: false, ...result };
}
