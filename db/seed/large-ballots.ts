import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.ts';
import { createRound, openRound } from '../../src/lib/server/ballots/commands/rounds.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';

/**
 * The city-scale ballots for benchmarks: one open round over every household of the large set
 * (≈100,000 households in 200 compounds), ten menu items decided by the Civil Code double
 * thresholds per compound, ≈80 % of households answered, and ≈1,000,000 ballot revisions in
 * all (8–17 per answering household; the last one counts). Ballots and revisions are written
 * set-based in SQL, then the tallies are filled by one GROUP BY — the same numbers the ballot
 * transactions would have kept, which `npm run tally -- <round>` checks.
 */
export const LARGE_BALLOTS_MARKER = 'city-ballots';

export type LargeBallotsResult = {
	skipped: boolean;
	roundId: number;
	households: number;
	ballots: number;
	revisions: number;
};

async function existing(db: Db): Promise<number | null> {
	const [row] = await queryRows<{ id: number }>(
		db,
		sql`select r.id from rounds r join projects p on p.id = r.project_id
		    where p.slug = ${LARGE_BALLOTS_MARKER} order by r.id limit 1`,
	);
	return row ? Number(row.id) : null;
}

async function counts(db: Db, roundId: number) {
	const [row] = await queryRows<{ households: number; ballots: number; revisions: number }>(
		db,
		sql`select (select count(*)::int from round_households where round_id = ${roundId}) as households,
		           (select count(*)::int from ballots where round_id = ${roundId}) as ballots,
		           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions`,
	);
	return row!;
}

/** A staff admin for the generator's own commands (audited like any other). */
async function benchAdmin(db: Db): Promise<StaffActor> {
	const id = randomUUID();
	await db.execute(sql`insert into users (id, kind, username, display_name)
		values (${id}, 'staff', ${`bench-ballots-${id.slice(0, 8)}`}, '压测管理员')`);
	await db.execute(sql`insert into staff_roles (user_id, role) values (${id}, 'admin')`);
	return {
		kind: 'staff',
		userId: id,
		roles: new Set(['admin']),
		communityIds: new Set(),
		projectIds: new Set(),
	};
}

/** The project over every compound of the large set's projects (city-0001…). */
async function createProject(db: Db): Promise<number> {
	const [project] = await queryRows<{ id: number }>(
		db,
		sql`insert into projects (slug, community_id, name, name_en, summary, summary_en, stage, year, investment_yuan)
		    select ${LARGE_BALLOTS_MARKER}, min(p.community_id), '全市老旧小区改造压测项目', 'City-wide renovation (benchmark)',
		           '压测数据：全市所有大规模样例小区。', 'Benchmark data: every compound of the large set.', 'consultation', 2027, 0
		    from projects p where p.slug like 'city-0%'
		    returning id`,
	);
	if (!project)
		throw new Error('seedLargeBallots: run the large seed first (npm run db:seed:large)');
	await db.execute(sql`insert into project_compounds (project_id, compound_id)
		select distinct ${project.id}::int, pc.compound_id from project_compounds pc
		join projects p on p.id = pc.project_id where p.slug like 'city-0%'`);
	return Number(project.id);
}

/**
 * Ballots for ≈80 % of households (a hash of the household decides), each with `8 + hash % 10`
 * revisions, and choices per item from a hash: item k is agreed by about 35 % + 6 % × k, so
 * some items pass, some fail and some miss the thresholds.
 */
async function insertBallots(db: Db, roundId: number): Promise<void> {
	await db.execute(sql`
		insert into ballots (round_id, household_id, revision, choices, channel, filled_at, updated_at)
		select rh.round_id, rh.household_id, 8 + (hashint8(rh.household_id::bigint * 7) & 2147483647) % 10,
		       (select jsonb_object_agg(i.id::text,
		               case when (hashint8(rh.household_id::bigint * 1000 + i.sort) & 2147483647) % 100 < 35 + 6 * i.sort then 'agree'
		                    when (hashint8(rh.household_id::bigint * 1000 + i.sort) & 2147483647) % 100 < 92 then 'disagree'
		                    else 'abstain' end)
		        from round_items i where i.round_id = rh.round_id),
		       'online', now() - interval '1 hour', now() - interval '1 hour'
		from round_households rh
		where rh.round_id = ${roundId} and (hashint8(rh.household_id::bigint) & 2147483647) % 10 < 8`);
	await db.execute(sql`
		insert into ballot_revisions (ballot_id, round_id, household_id, revision, choices, channel, filled_at, created_at)
		select b.id, b.round_id, b.household_id, g.n, b.choices, 'online', b.filled_at, b.filled_at
		from ballots b cross join lateral generate_series(1, b.revision) as g(n)
		where b.round_id = ${roundId}`);
}

/** Fills the tally rows and coverage from the ballots in one pass (heads per owner and scope). */
async function fillTallies(db: Db, roundId: number): Promise<void> {
	await db.execute(sql`
		with v as (
			select rh.compound_id, rh.building_id, rh.area_centi, rh.owner_key, i.id as item_id,
			       b.choices ->> i.id::text as choice
			from round_households rh
			join round_items i on i.round_id = rh.round_id
			left join ballots b on b.round_id = rh.round_id and b.household_id = rh.household_id
			where rh.round_id = ${roundId}
		), scoped as (
			select item_id, 'compound' as level, compound_id as scope_id, owner_key, area_centi, choice from v
			union all
			select item_id, 'building', building_id, owner_key, area_centi, choice from v
		), owners as (
			select item_id, level, scope_id, bool_or(choice is not null) as participated,
			       coalesce(bool_and(choice = 'agree') filter (where choice is not null), false) as approves
			from scoped group by item_id, level, scope_id, owner_key
		), heads as (
			select item_id, level, scope_id, count(*) filter (where participated) as hp,
			       count(*) filter (where participated and approves) as ha
			from owners group by item_id, level, scope_id
		), sums as (
			select item_id, level, scope_id,
			       count(*) filter (where choice = 'agree') as a, count(*) filter (where choice = 'disagree') as d,
			       count(*) filter (where choice = 'abstain') as x,
			       coalesce(sum(area_centi) filter (where choice = 'agree'), 0) as aa,
			       coalesce(sum(area_centi) filter (where choice = 'disagree'), 0) as da,
			       coalesce(sum(area_centi) filter (where choice = 'abstain'), 0) as xa
			from scoped group by item_id, level, scope_id
		)
		update round_tallies t set agree = s.a, disagree = s.d, abstain = s.x, agree_area = s.aa,
		       disagree_area = s.da, abstain_area = s.xa, heads_participating = h.hp,
		       heads_approving = h.ha
		from sums s join heads h using (item_id, level, scope_id)
		where t.round_id = ${roundId} and t.round_item_id = s.item_id
		  and t.level = s.level::tally_level and t.scope_id = s.scope_id`);
	await db.execute(sql`
		update round_coverage c set responded = r.n
		from (
			select 'compound' as level, rh.compound_id as scope_id, count(b.id) as n
			from round_households rh left join ballots b on b.round_id = rh.round_id and b.household_id = rh.household_id
			where rh.round_id = ${roundId} group by rh.compound_id
			union all
			select 'building', rh.building_id, count(b.id)
			from round_households rh left join ballots b on b.round_id = rh.round_id and b.household_id = rh.household_id
			where rh.round_id = ${roundId} group by rh.building_id
		) r
		where c.round_id = ${roundId} and c.level = r.level::tally_level and c.scope_id = r.scope_id`);
	await db.execute(
		sql`update round_versions set version = version + 1 where round_id = ${roundId}`,
	);
}

/**
 * Adds the round (idempotent: returns the existing one with `skipped: true`). Needs the large
 * seed. Open for a month from an hour ago, tallies public while open, so the submission bench
 * can cast into it and the results page is public.
 */
export async function seedLargeBallots(db: Db): Promise<LargeBallotsResult> {
	const found = await existing(db);
	if (found !== null) {
		// Rounds seeded before round versions existed get their counter.
		await db.execute(sql`insert into round_versions (round_id, version) values (${found}, 1)
			on conflict (round_id, shard) do nothing`);
		return { skipped: true, roundId: found, ...(await counts(db, found)) };
	}
	const admin = await benchAdmin(db);
	const projectId = await createProject(db);
	const items = await queryRows<{ id: number }>(
		db,
		sql`select id from renovation_items where category <> 'basic' order by sort limit 10`,
	);
	const now = Date.now();
	const { roundId } = await createRound(db, admin, {
		projectId,
		kind: 'needs',
		title: '全市改造需求调查（压测）',
		titleEn: 'City-wide needs survey (benchmark)',
		description: '',
		descriptionEn: '',
		itemIds: items.map((i) => Number(i.id)),
		questions: '',
		rule: 'civil_code_majority',
		decisionScope: 'compound',
		opensAt: toChinaLocalInput(new Date(now - 3_600_000)),
		closesAt: toChinaLocalInput(new Date(now + 30 * 86_400_000)),
		talliesPublic: true,
	});
	await openRound(db, admin, roundId);
	await insertBallots(db, roundId);
	await fillTallies(db, roundId);
	await db.execute(
		sql`analyze round_households, round_tallies, round_coverage, ballots, ballot_revisions`,
	);
	return { skipped: false, roundId, ...(await counts(db, roundId)) };
}
