import { asc } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { communities, projects } from '../../../../db/schema/index.ts';

export type ScopeTargets = {
	communities: { id: number; name: string; nameEn: string }[];
	projects: { id: number; name: string; nameEn: string }[];
};

/** What a staff role can be scoped to: communities (moderators) and projects (officers). */
export async function listScopeTargets(db: Executor): Promise<ScopeTargets> {
	const [communityRows, projectRows] = await Promise.all([
		db
			.select({ id: communities.id, name: communities.name, nameEn: communities.nameEn })
			.from(communities)
			.orderBy(asc(communities.id))
			.limit(1000),
		db
			.select({ id: projects.id, name: projects.name, nameEn: projects.nameEn })
			.from(projects)
			.orderBy(asc(projects.id))
			.limit(1000),
	]);
	return { communities: communityRows, projects: projectRows };
}
