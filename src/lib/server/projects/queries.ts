import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	communities,
	compounds,
	households,
	projectCompounds,
	projectStages,
	projects,
	subdistricts,
} from '../../../../db/schema/index.ts';
import { buildTimeline, clampPage, PAGE_SIZE } from './rules.ts';
import type { ProjectCard, ProjectDetail, ProjectPage, ScopeFigures, Stage } from './types.ts';

const emptyScope: ScopeFigures = { households: 0, buildings: 0, areaM2: '0.00' };

/** Households, buildings and floor area of the current (not retired) households per compound. */
async function scopeByCompound(
	db: Executor,
	compoundIds: number[],
): Promise<Map<number, ScopeFigures>> {
	if (compoundIds.length === 0) return new Map();
	const rows = await db
		.select({
			compoundId: households.compoundId,
			households: sql<number>`count(*)::int`,
			buildings: sql<number>`count(distinct ${households.buildingId})::int`,
			areaM2: sql<string>`sum(${households.areaM2})::numeric(14,2)::text`,
		})
		.from(households)
		.where(and(inArray(households.compoundId, compoundIds), isNull(households.retiredAt)))
		.groupBy(households.compoundId);
	return new Map(
		rows.map((r) => [
			r.compoundId,
			{ households: r.households, buildings: r.buildings, areaM2: r.areaM2 },
		]),
	);
}

/** Adds exact decimal strings (two decimals) without floats. */
function addArea(a: string, b: string): string {
	const cents = (v: string) => {
		const [w = '0', f = ''] = v.split('.');
		return BigInt(w) * 100n + BigInt((f + '00').slice(0, 2));
	};
	const total = cents(a) + cents(b);
	return `${total / 100n}.${(total % 100n).toString().padStart(2, '0')}`;
}

function sumScopes(scopes: ScopeFigures[]): ScopeFigures {
	return scopes.reduce(
		(acc, s) => ({
			households: acc.households + s.households,
			buildings: acc.buildings + s.buildings,
			areaM2: addArea(acc.areaM2, s.areaM2),
		}),
		emptyScope,
	);
}

type CompoundRow = {
	projectId: number;
	compoundId: number;
	name: string;
	nameEn: string;
	builtYear: number | null;
};

async function compoundsOf(db: Executor, projectIds: number[]): Promise<CompoundRow[]> {
	if (projectIds.length === 0) return [];
	return db
		.select({
			projectId: projectCompounds.projectId,
			compoundId: compounds.id,
			name: compounds.name,
			nameEn: compounds.nameEn,
			builtYear: compounds.builtYear,
		})
		.from(projectCompounds)
		.innerJoin(compounds, eq(compounds.id, projectCompounds.compoundId))
		.where(inArray(projectCompounds.projectId, projectIds))
		.orderBy(asc(compounds.id));
}

const cardColumns = {
	id: projects.id,
	slug: projects.slug,
	name: projects.name,
	nameEn: projects.nameEn,
	stage: projects.stage,
	year: projects.year,
	investmentYuan: projects.investmentYuan,
};

/**
 * One page of published projects, newest year first, optionally filtered by stage, with scope
 * figures computed from their compounds. Three queries whatever the page size.
 */
export async function listProjects(
	db: Executor,
	options: { stage?: Stage | undefined; page?: string | null } = {},
): Promise<ProjectPage> {
	const where = options.stage ? eq(projects.stage, options.stage) : undefined;
	const [totalRow] = await db.select({ n: count() }).from(projects).where(where);
	const total = totalRow?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = clampPage(options.page ?? null, pages);
	const rows = await db
		.select(cardColumns)
		.from(projects)
		.where(where)
		.orderBy(desc(projects.year), asc(projects.id))
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE);
	const compoundRows = await compoundsOf(
		db,
		rows.map((r) => r.id),
	);
	const scopes = await scopeByCompound(db, [...new Set(compoundRows.map((c) => c.compoundId))]);
	const items: ProjectCard[] = rows.map(({ id, ...row }) => {
		const mine = compoundRows.filter((c) => c.projectId === id);
		return {
			...row,
			...sumScopes(mine.map((c) => scopes.get(c.compoundId) ?? emptyScope)),
			compoundNames: mine.map(({ name, nameEn }) => ({ name, nameEn })),
		};
	});
	return { items, total, page, pages };
}

/** A project by its slug with compounds, scope figures and the stage timeline, or null. */
export async function getProjectBySlug(db: Executor, slug: string): Promise<ProjectDetail | null> {
	const [row] = await db
		.select({
			...cardColumns,
			summary: projects.summary,
			summaryEn: projects.summaryEn,
			communityId: projects.communityId,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
			subdistrictName: subdistricts.name,
			subdistrictNameEn: subdistricts.nameEn,
		})
		.from(projects)
		.innerJoin(communities, eq(communities.id, projects.communityId))
		.innerJoin(subdistricts, eq(subdistricts.id, communities.subdistrictId))
		.where(eq(projects.slug, slug))
		.limit(1);
	if (!row) return null;
	const [compoundRows, stageRows] = await Promise.all([
		compoundsOf(db, [row.id]),
		db
			.select({
				stage: projectStages.stage,
				plannedStart: projectStages.plannedStart,
				plannedEnd: projectStages.plannedEnd,
				actualStart: projectStages.actualStart,
				actualEnd: projectStages.actualEnd,
			})
			.from(projectStages)
			.where(eq(projectStages.projectId, row.id)),
	]);
	const scopes = await scopeByCompound(
		db,
		compoundRows.map((c) => c.compoundId),
	);
	const compoundList = compoundRows.map((c) => ({
		name: c.name,
		nameEn: c.nameEn,
		builtYear: c.builtYear,
		...(scopes.get(c.compoundId) ?? emptyScope),
	}));
	return {
		id: row.id,
		communityId: row.communityId,
		slug: row.slug,
		name: row.name,
		nameEn: row.nameEn,
		stage: row.stage,
		year: row.year,
		investmentYuan: row.investmentYuan,
		summary: row.summary,
		summaryEn: row.summaryEn,
		community: { name: row.communityName, nameEn: row.communityNameEn },
		subdistrict: { name: row.subdistrictName, nameEn: row.subdistrictNameEn },
		compoundNames: compoundList.map(({ name, nameEn }) => ({ name, nameEn })),
		compounds: compoundList,
		...sumScopes(compoundList),
		stages: buildTimeline(row.stage, stageRows),
	};
}
