/**
 * Finding a compound and its renovation projects by name, pinyin or street address (issue 19),
 * the resident's own compounds first. Two queries; the match rule is search-rules.ts.
 */
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { communities, compounds, projectCompounds, projects } from '../../../../db/schema/index.ts';
import type { Actor } from '../policy/index.ts';
import { matchRank, normaliseQuery } from './search-rules.ts';
import type { Stage } from './types.ts';

export type CompoundHit = {
	id: number;
	name: string;
	nameEn: string;
	address: string;
	communityName: string;
	communityNameEn: string;
	mine: boolean;
	projects: { slug: string; name: string; nameEn: string; stage: Stage; year: number }[];
};

/** At most this many compounds are listed; a narrower search finds the rest. */
export const HITS_SHOWN = 30;

async function allCompounds(db: Executor) {
	const rows = await db
		.select({
			id: compounds.id,
			name: compounds.name,
			nameEn: compounds.nameEn,
			address: compounds.address,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
		})
		.from(compounds)
		.innerJoin(communities, eq(communities.id, compounds.communityId))
		.orderBy(asc(compounds.id));
	const links = await db
		.select({
			compoundId: projectCompounds.compoundId,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
			stage: projects.stage,
			year: projects.year,
		})
		.from(projectCompounds)
		.innerJoin(projects, eq(projects.id, projectCompounds.projectId))
		.orderBy(asc(projects.year), asc(projects.id));
	return rows.map((r) => ({
		...r,
		projects: links.filter((l) => l.compoundId === r.id).map(({ compoundId: _, ...p }) => p),
	}));
}

/**
 * Compounds matching the query, best match first, the resident's own compounds ahead of all;
 * with an empty query, only the resident's own compounds (nothing for anyone else).
 */
export async function searchCompounds(
	db: Executor,
	actor: Actor | null,
	rawQuery: string | null,
): Promise<{ query: string; hits: CompoundHit[]; more: boolean }> {
	const query = normaliseQuery(rawQuery);
	const mine = new Set(
		actor?.kind === 'resident' ? actor.memberships.map((m) => m.compoundId) : [],
	);
	if (query === '' && mine.size === 0) return { query, hits: [], more: false };
	const ranked = (await allCompounds(db))
		.map((c) => ({
			c,
			rank:
				query === ''
					? Number(mine.has(c.id))
					: matchRank({ ...c, aliases: c.projects.map((p) => p.name) }, query),
		}))
		.filter(({ rank }) => rank > 0)
		.sort((a, b) => Number(mine.has(b.c.id)) - Number(mine.has(a.c.id)) || b.rank - a.rank);
	return {
		query,
		hits: ranked.slice(0, HITS_SHOWN).map(({ c }) => ({ ...c, mine: mine.has(c.id) })),
		more: ranked.length > HITS_SHOWN,
	};
}
