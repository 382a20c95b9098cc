import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	communities,
	districts,
	policyExplainers,
	projects,
	subdistricts,
} from '../../../../db/schema/index.ts';
import { renderMarkdown } from '../plans/index.ts';

export type ExplainerView = {
	id: number;
	kind: 'explainer' | 'faq';
	title: string;
	titleEn: string;
	body: string;
	bodyEn: string;
	sort: number;
	/** Markdown rendered safely (raw HTML escaped, the plans' renderer). */
	bodyHtml: string;
	bodyEnHtml: string;
	updatedAt: Date;
};

const columns = {
	id: policyExplainers.id,
	kind: policyExplainers.kind,
	title: policyExplainers.title,
	titleEn: policyExplainers.titleEn,
	body: policyExplainers.body,
	bodyEn: policyExplainers.bodyEn,
	sort: policyExplainers.sort,
	updatedAt: policyExplainers.updatedAt,
};

const view = (rows: Omit<ExplainerView, 'bodyHtml' | 'bodyEnHtml'>[]): ExplainerView[] =>
	rows.map((r) => ({
		...r,
		bodyHtml: renderMarkdown(r.body),
		bodyEnHtml: renderMarkdown(r.bodyEn || r.body),
	}));

/** The district a project belongs to (through its community and subdistrict). */
export async function districtOfProject(db: Executor, projectId: number) {
	const [row] = await db
		.select({
			id: districts.id,
			code: districts.code,
			name: districts.name,
			nameEn: districts.nameEn,
		})
		.from(projects)
		.innerJoin(communities, eq(communities.id, projects.communityId))
		.innerJoin(subdistricts, eq(subdistricts.id, communities.subdistrictId))
		.innerJoin(districts, eq(districts.id, subdistricts.districtId))
		.where(eq(projects.id, projectId));
	return row ?? null;
}

export async function getDistrictByCode(db: Executor, code: string) {
	const [row] = await db
		.select({
			id: districts.id,
			code: districts.code,
			name: districts.name,
			nameEn: districts.nameEn,
		})
		.from(districts)
		.where(eq(districts.code, code));
	return row ?? null;
}

/** A district's own explainers and FAQ (not those of its projects), in their order. */
export async function listDistrictExplainers(db: Executor, districtId: number) {
	return view(
		await db
			.select(columns)
			.from(policyExplainers)
			.where(and(eq(policyExplainers.districtId, districtId), isNull(policyExplainers.projectId)))
			.orderBy(asc(policyExplainers.sort), asc(policyExplainers.id)),
	);
}

/** A project's own explainers and FAQ, in their order. */
export async function listProjectExplainers(db: Executor, projectId: number) {
	return view(
		await db
			.select(columns)
			.from(policyExplainers)
			.where(eq(policyExplainers.projectId, projectId))
			.orderBy(asc(policyExplainers.sort), asc(policyExplainers.id)),
	);
}
