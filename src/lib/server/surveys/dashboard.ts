import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import type { Ratio } from './types.ts';

/** The district dashboard (public): completed projects compared by their published surveys. */

export const dashboardSorts = [
	'satisfaction',
	'participation',
	'households',
	'investment',
	'year',
] as const;
export type DashboardSort = (typeof dashboardSorts)[number];

export type DashboardRow = {
	projectId: number;
	slug: string;
	name: string;
	nameEn: string;
	year: number;
	subdistrict: string;
	subdistrictEn: string;
	surveyId: number;
	version: number;
	households: number;
	respondedHouseholds: number;
	/** Overall satisfaction (satisfied + very satisfied over valid answers); den 0 when none. */
	satisfaction: Ratio;
	participation: Ratio;
	/** Total investment in yuan, exact text ("5010000.00"). */
	investment: string;
};

export type DashboardFilters = { year?: number | undefined; subdistrictId?: number | undefined };

/** a/b compared with c/d exactly (cross-multiplication); an empty ratio sorts last. */
export function compareRatio(a: Ratio, b: Ratio): number {
	if (a.den === 0 || b.den === 0) return (a.den === 0 ? 1 : 0) - (b.den === 0 ? 1 : 0);
	return a.num * b.den - b.num * a.den;
}

/** Yuan text compared exactly (two decimals, no float). */
function compareYuan(a: string, b: string): number {
	const cents = (v: string) => {
		const [whole = '0', fraction = ''] = v.split('.');
		return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
	};
	const d = cents(a) - cents(b);
	return d === 0n ? 0 : d > 0n ? 1 : -1;
}

/** Rows sorted by the given column, descending (best first) unless `ascending`; ties by name. */
export function sortDashboard(
	rows: DashboardRow[],
	sort: DashboardSort,
	ascending = false,
): DashboardRow[] {
	const compare: Record<DashboardSort, (a: DashboardRow, b: DashboardRow) => number> = {
		satisfaction: (a, b) => compareRatio(a.satisfaction, b.satisfaction),
		participation: (a, b) => compareRatio(a.participation, b.participation),
		households: (a, b) => a.households - b.households,
		investment: (a, b) => compareYuan(a.investment, b.investment),
		year: (a, b) => a.year - b.year,
	};
	const direction = ascending ? 1 : -1;
	return [...rows].sort((a, b) => {
		const empty = (r: DashboardRow) =>
			(sort === 'satisfaction' || sort === 'participation') && r[sort].den === 0;
		if (empty(a) !== empty(b)) return empty(a) ? 1 : -1;
		return direction * compare[sort](a, b) || a.projectId - b.projectId;
	});
}

/**
 * Each project's latest published survey result, with its scope and investment, filtered by
 * year and subdistrict. Reads the figures stored at publication (never the answers), so it is
 * one small query whatever the number of responses.
 */
export async function listDashboard(
	db: Executor,
	filters: DashboardFilters = {},
): Promise<DashboardRow[]> {
	const rows = await queryRows<{
		project_id: number;
		slug: string;
		name: string;
		name_en: string;
		year: number;
		investment: string;
		subdistrict: string;
		subdistrict_en: string;
		survey_id: number;
		version: number;
		households: number;
		responded: number;
		satisfied: number | null;
		valid: number | null;
	}>(
		db,
		sql`select distinct on (r.project_id)
		           r.project_id, p.slug, p.name, p.name_en, p.year::int as year, p.investment_yuan::text as investment,
		           sd.name as subdistrict, sd.name_en as subdistrict_en,
		           r.survey_id, r.version::int as version, r.households, r.responded_households as responded,
		           r.satisfied_count as satisfied, r.valid_count as valid
		    from survey_results r
		    join projects p on p.id = r.project_id
		    join communities cm on cm.id = p.community_id
		    join subdistricts sd on sd.id = cm.subdistrict_id
		    where (${filters.year ?? null}::int is null or p.year = ${filters.year ?? null}::int)
		      and (${filters.subdistrictId ?? null}::int is null or sd.id = ${filters.subdistrictId ?? null}::int)
		    order by r.project_id, r.published_at desc, r.id desc`,
	);
	return rows.map((r) => ({
		projectId: r.project_id,
		slug: r.slug,
		name: r.name,
		nameEn: r.name_en,
		year: r.year,
		subdistrict: r.subdistrict,
		subdistrictEn: r.subdistrict_en,
		surveyId: r.survey_id,
		version: r.version,
		households: r.households,
		respondedHouseholds: r.responded,
		satisfaction: { num: r.satisfied ?? 0, den: r.valid ?? 0 },
		participation: { num: r.responded, den: r.households },
		investment: r.investment,
	}));
}

/** Filter choices: subdistricts, and the years that have published results. */
export async function dashboardFilterOptions(db: Executor) {
	const [subdistricts, years] = await Promise.all([
		queryRows<{ id: number; name: string; name_en: string }>(
			db,
			sql`select id, name, name_en from subdistricts order by id`,
		),
		queryRows<{ year: number }>(
			db,
			sql`select distinct p.year::int as year from survey_results r join projects p on p.id = r.project_id order by year desc`,
		),
	]);
	return { subdistricts, years: years.map((y) => y.year) };
}

export type SatisfactionPoint = {
	surveyId: number;
	title: string;
	titleEn: string;
	/** When its answers closed (the day the figure describes). */
	on: Date;
	satisfaction: Ratio;
};

/**
 * Satisfaction over time per project (issue 23, item 6: the yearly check): every survey with
 * published results, its latest version's overall satisfaction, oldest first. Projects with
 * fewer than `min` points are left out (a trend needs two).
 */
export async function listSatisfactionHistory(
	db: Executor,
	min = 2,
): Promise<
	{ projectId: number; slug: string; name: string; nameEn: string; points: SatisfactionPoint[] }[]
> {
	const rows = await queryRows<{
		project_id: number;
		slug: string;
		name: string;
		name_en: string;
		survey_id: number;
		title: string;
		title_en: string;
		on: Date | string;
		satisfied: number | null;
		valid: number | null;
	}>(
		db,
		sql`select * from (
		      select distinct on (r.survey_id)
		             r.project_id, p.slug, p.name, p.name_en, r.survey_id, s.title, s.title_en,
		             coalesce(s.closed_at, s.closes_at, r.published_at) as "on",
		             r.satisfied_count as satisfied, r.valid_count as valid
		      from survey_results r
		      join surveys s on s.id = r.survey_id
		      join projects p on p.id = r.project_id
		      order by r.survey_id, r.version desc) latest
		    order by project_id, "on", survey_id`,
	);
	type Entry = Awaited<ReturnType<typeof listSatisfactionHistory>>[number];
	const byProject = new Map<number, Entry>();
	const out: Entry[] = [];
	for (const r of rows) {
		let entry = byProject.get(r.project_id);
		if (!entry) {
			entry = {
				projectId: r.project_id,
				slug: r.slug,
				name: r.name,
				nameEn: r.name_en,
				points: [],
			};
			byProject.set(r.project_id, entry);
			out.push(entry);
		}
		entry.points.push({
			surveyId: r.survey_id,
			title: r.title,
			titleEn: r.title_en,
			on: new Date(r.on),
			satisfaction: { num: r.satisfied ?? 0, den: r.valid ?? 0 },
		});
	}
	return out.filter((p) => p.points.length >= min);
}
