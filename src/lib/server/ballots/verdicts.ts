/**
 * What residents decided, as the plans module and the project page need it: the menu items a
 * deciding round refused (居民不同意不宜改造, seeds/002) and how many households gave their
 * opinion on the plan (意见不得少于户数的三分之二, seeds/000). Needs questionnaires are
 * non-binding and never count here.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';

const num = (value: unknown) => Number(value);

/** A menu item refused in a deciding round: its latest published verdict in a scope is 'rejected'. */
export type Refusal = {
	itemId: number;
	name: string;
	nameEn: string;
	roundId: number;
	roundTitle: string;
	roundTitleEn: string;
};

/** The latest published verdict of each menu item in each scope, from deciding rounds. */
const latestVerdicts = (projectId: number | SQL) => sql`
	select distinct on (v.item_id, v.level, v.scope_id) v.item_id, v.level, v.scope_id, v.verdict, r.id as round_id,
	       r.title as round_title, r.title_en as round_title_en
	from round_item_verdicts v
	join round_results rr on rr.id = v.round_result_id
	join rounds r on r.id = rr.round_id
	where v.project_id = ${projectId} and r.kind <> 'needs'
	order by v.item_id, v.level, v.scope_id, rr.published_at desc, rr.id desc`;

const toRefusal = (r: Record<string, unknown>): Refusal => ({
	itemId: num(r.item_id),
	name: String(r.name),
	nameEn: String(r.name_en),
	roundId: num(r.round_id),
	roundTitle: String(r.round_title),
	roundTitleEn: String(r.round_title_en),
});

/**
 * Menu items residents refused in the project, anywhere: for the project page. A later round
 * that approves the item in that scope lifts the refusal.
 */
export async function listRefusedItems(db: Executor, projectId: number): Promise<Refusal[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`with latest as (${latestVerdicts(projectId)})
		select distinct on (i.id) i.id as item_id, i.name, i.name_en, l.round_id, l.round_title, l.round_title_en
		from latest l join renovation_items i on i.id = l.item_id
		where l.verdict = 'rejected'
		order by i.id, l.round_id desc`,
	);
	return rows.map(toRefusal);
}

/**
 * The items of a plan version that residents refused where the plan item applies: a refusal over
 * its building, that building's compound or one of its units, or any scope for an item without a
 * building. For the final-plan gate.
 */
export async function listRefusalsInPlan(db: Executor, planVersionId: number): Promise<Refusal[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`with latest as (${latestVerdicts(
			sql`(select project_id from plan_versions where id = ${planVersionId})`,
		)})
		select distinct on (pi.item_id) pi.item_id, i.name, i.name_en, l.round_id, l.round_title, l.round_title_en
		from plan_items pi
		join renovation_items i on i.id = pi.item_id
		join latest l on l.item_id = pi.item_id and l.verdict = 'rejected'
		left join buildings b on b.id = pi.building_id
		where pi.plan_version_id = ${planVersionId}
		  and (pi.building_id is null
		       or (l.level = 'building' and l.scope_id = pi.building_id)
		       or (l.level = 'compound' and l.scope_id = b.compound_id)
		       or (l.level = 'unit' and l.scope_id in (select id from units where building_id = pi.building_id)))
		order by pi.item_id, l.round_id desc`,
	);
	return rows.map(toRefusal);
}

/** Households of a compound and the most that answered one plan-opinion round on the project. */
export type CompoundCoverage = {
	compoundId: number;
	name: string;
	nameEn: string;
	households: number;
	responded: number;
};

/**
 * Per compound of the project, its best coverage in the project's plan-opinion rounds over the
 * whole compound (a round limited to one building does not speak for the compound); a compound
 * no round asked has responded 0 of its current households.
 */
export async function listPlanOpinionCoverage(
	db: Executor,
	projectId: number,
): Promise<CompoundCoverage[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select c.id, c.name, c.name_en,
		       coalesce(best.households, (select count(*) from households h
		                                  where h.compound_id = c.id and h.retired_at is null)) as households,
		       coalesce(best.responded, 0) as responded
		from project_compounds pc
		join compounds c on c.id = pc.compound_id
		left join lateral (
			select rc.households, rc.responded
			from round_coverage rc join rounds r on r.id = rc.round_id
			where r.project_id = pc.project_id and r.kind = 'plan_opinion' and r.opened_at is not null
			  and r.scope_building_id is null and rc.level = 'compound' and rc.scope_id = c.id
			order by rc.responded::numeric / greatest(rc.households, 1) desc
			limit 1) best on true
		where pc.project_id = ${projectId}
		order by c.id`,
	);
	return rows.map((r) => ({
		compoundId: num(r.id),
		name: String(r.name),
		nameEn: String(r.name_en),
		households: num(r.households),
		responded: num(r.responded),
	}));
}
