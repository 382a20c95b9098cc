/**
 * Reads for what the committee learns: a project's opinions grouped by menu item with their
 * frequent terms, and the district view of the renovation menu across projects (refusals in
 * deciding rounds, satisfaction in surveys, frequent objections). Staff scope applies: a
 * committee sees its communities, an officer their projects, an admin the district.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { StaffActor } from '../policy/index.ts';
import { groupByItem, topTerms, type ItemGroup, type TermCount } from './terms.ts';

/** Who may read these views: the committees that answer opinions and the project officers. */
const insightScope = (actor: StaffActor) =>
	scopeFilter(staffScope(actor, 'opinion.answer', 'project.edit'), {
		communityId: sql`p.community_id`,
		projectId: sql`p.id`,
	}) ?? sql`true`;

/** Published top-level opinions that count (replies are discussion; withdrawn ones are gone). */
const counted = sql`o.parent_id is null and o.state = 'published' and o.withdrawn_at is null`;

export type ProjectInsights = {
	project: { id: number; slug: string; name: string; nameEn: string };
	opinions: number;
	unanswered: number;
	groups: ItemGroup[];
};

/**
 * A project's opinions grouped by menu item, with the most frequent terms and how many opinions
 * using each still wait for an answer. Null when the project does not exist or lies outside the
 * staff member's scope.
 */
export async function getProjectInsights(
	db: Executor,
	actor: StaffActor,
	slug: string,
): Promise<ProjectInsights | null> {
	const [project] = await queryRows<{
		id: number;
		slug: string;
		name: string;
		name_en: string;
	}>(
		db,
		sql`select p.id, p.slug, p.name, p.name_en from projects p
		    where p.slug = ${slug} and ${insightScope(actor)}`,
	);
	if (!project) return null;
	const rows = await queryRows<{
		id: number;
		item_id: number | null;
		name: string | null;
		name_en: string | null;
		body: string;
		answered: boolean;
	}>(
		db,
		sql`select o.id, i.id as item_id, i.name, i.name_en, o.body,
		           exists (select 1 from opinion_answers a where a.opinion_id = o.id) as answered
		    from opinions o
		    join plan_versions v on v.id = o.plan_version_id
		    left join plan_items pi on pi.id = o.plan_item_id
		    left join renovation_items i on i.id = pi.item_id
		    where v.project_id = ${project.id} and ${counted}
		    order by o.id`,
	);
	const facts = rows.map((r) => ({
		id: Number(r.id),
		itemId: r.item_id === null ? null : Number(r.item_id),
		itemName: r.name ?? '',
		itemNameEn: r.name_en ?? '',
		body: r.body,
		answered: Boolean(r.answered),
	}));
	return {
		project: {
			id: Number(project.id),
			slug: project.slug,
			name: project.name,
			nameEn: project.name_en,
		},
		opinions: facts.length,
		unanswered: facts.filter((f) => !f.answered).length,
		groups: groupByItem(facts),
	};
}

/** One menu item across the district (the projects in the staff member's scope). */
export type MenuItemInsight = {
	itemId: number;
	code: string;
	name: string;
	nameEn: string;
	/** Projects with a published verdict on the item in a deciding round. */
	decidedProjects: number;
	/** Of those, projects where its latest verdict somewhere is a refusal. */
	refusedProjects: number;
	/** Satisfied (4 满意 + 5 非常满意) over valid ratings of the item in surveys. */
	satisfied: number;
	rated: number;
	/** Objecting opinions on the item and their most frequent terms. */
	objections: number;
	objectionTerms: TermCount[];
};

/**
 * The renovation menu across the district, in menu order: how often residents refused each item
 * (latest published verdict per scope, deciding rounds only, as the project page counts it),
 * its satisfaction score in surveys that are or were open, and the most frequent terms of
 * objecting opinions.
 */
export async function getDistrictMenu(db: Executor, actor: StaffActor): Promise<MenuItemInsight[]> {
	const inScope = insightScope(actor);
	const [items, verdicts, ratings, objections] = await Promise.all([
		queryRows<{ id: number; code: string; name: string; name_en: string }>(
			db,
			sql`select id, code, name, name_en from renovation_items order by sort, id`,
		),
		queryRows<{ item_id: number; decided: number; refused: number }>(
			db,
			sql`with latest as (
			      select distinct on (v.project_id, v.item_id, v.level, v.scope_id) v.project_id, v.item_id, v.verdict
			      from round_item_verdicts v
			      join round_results rr on rr.id = v.round_result_id
			      join rounds r on r.id = rr.round_id
			      join projects p on p.id = v.project_id
			      where r.kind <> 'needs' and ${inScope}
			      order by v.project_id, v.item_id, v.level, v.scope_id, rr.published_at desc, rr.id desc)
			    select item_id, count(distinct project_id)::int as decided,
			           count(distinct project_id) filter (where verdict = 'rejected')::int as refused
			    from latest group by item_id`,
		),
		queryRows<{ item_id: number; satisfied: number; rated: number }>(
			db,
			sql`select pi.item_id, count(*) filter (where a.value >= 4)::int as satisfied, count(*)::int as rated
			    from survey_answers a
			    join survey_questions q on q.id = a.question_id
			    join surveys s on s.id = q.survey_id
			    join plan_items pi on pi.id = q.plan_item_id
			    join projects p on p.id = s.project_id
			    where q.role = 'item' and q.kind = 'rating' and a.value between 1 and 5
			      and s.status <> 'draft' and ${inScope}
			    group by pi.item_id`,
		),
		queryRows<{ item_id: number; body: string }>(
			db,
			sql`select pi.item_id, o.body
			    from opinions o
			    join plan_items pi on pi.id = o.plan_item_id
			    join plan_versions v on v.id = o.plan_version_id
			    join projects p on p.id = v.project_id
			    where o.alignment = 'object' and ${counted} and ${inScope}`,
		),
	]);
	const byItem = <T extends { item_id: number }>(rows: T[]) =>
		new Map(rows.map((r) => [Number(r.item_id), r]));
	const verdictOf = byItem(verdicts);
	const ratingOf = byItem(ratings);
	const objectionsOf = new Map<number, string[]>();
	for (const row of objections) {
		const list = objectionsOf.get(Number(row.item_id)) ?? [];
		list.push(row.body);
		objectionsOf.set(Number(row.item_id), list);
	}
	return items.map((item) => {
		const id = Number(item.id);
		const bodies = objectionsOf.get(id) ?? [];
		return {
			itemId: id,
			code: item.code,
			name: item.name,
			nameEn: item.name_en,
			decidedProjects: Number(verdictOf.get(id)?.decided ?? 0),
			refusedProjects: Number(verdictOf.get(id)?.refused ?? 0),
			satisfied: Number(ratingOf.get(id)?.satisfied ?? 0),
			rated: Number(ratingOf.get(id)?.rated ?? 0),
			objections: bodies.length,
			objectionTerms: topTerms(bodies, 5),
		};
	});
}

/** The projects in the staff member's scope, for links to each project's grouped opinions. */
export async function listInsightProjects(db: Executor, actor: StaffActor) {
	const rows = await queryRows<{ slug: string; name: string; name_en: string; unanswered: number }>(
		db,
		sql`select p.slug, p.name, p.name_en,
		           (select count(*)::int from opinions o join plan_versions v on v.id = o.plan_version_id
		            where v.project_id = p.id and ${counted}
		              and not exists (select 1 from opinion_answers a where a.opinion_id = o.id)) as unanswered
		    from projects p where ${insightScope(actor)}
		    order by p.id`,
	);
	return rows.map((r) => ({
		slug: r.slug,
		name: r.name,
		nameEn: r.name_en,
		unanswered: Number(r.unanswered),
	}));
}
