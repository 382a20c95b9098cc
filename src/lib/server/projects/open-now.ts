/**
 * What a resident can take part in now, per project (issue 19): plan versions open for
 * opinions, consultation rounds taking ballots, surveys taking answers — each with its deadline
 * and where to go. Three queries for any number of projects.
 */
import { and, gt, inArray, isNotNull, lte, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { planVersions, projects, rounds, surveys } from '../../../../db/schema/index.ts';
import { acceptsOpinions } from '../plans/index.ts';

export type OpenActivity = {
	kind: 'comment' | 'ballot' | 'survey';
	/** Site path without the locale prefix. */
	href: string;
	/** Null: open without a set deadline. */
	closesAt: Date | null;
};

const byDeadline = (a: OpenActivity, b: OpenActivity) =>
	(a.closesAt?.getTime() ?? Infinity) - (b.closesAt?.getTime() ?? Infinity);

/** Open activities by project slug, soonest deadline first; projects with none are absent. */
export async function listOpenNow(
	db: Executor,
	slugs: string[],
	now = new Date(),
): Promise<Map<string, OpenActivity[]>> {
	const result = new Map<string, OpenActivity[]>();
	if (slugs.length === 0) return result;
	const add = (projectId: string, activity: OpenActivity) =>
		result.set(projectId, [...(result.get(projectId) ?? []), activity]);
	const [versions, openRounds, openSurveys] = await Promise.all([
		db
			.select({
				slug: projects.slug,
				number: planVersions.number,
				status: planVersions.status,
				commentOpensAt: planVersions.commentOpensAt,
				commentClosesAt: planVersions.commentClosesAt,
			})
			.from(planVersions)
			.innerJoin(projects, eq(projects.id, planVersions.projectId))
			.where(and(inArray(projects.slug, slugs), eq(planVersions.status, 'open'))),
		db
			.select({ id: rounds.id, slug: projects.slug, closesAt: rounds.closesAt })
			.from(rounds)
			.innerJoin(projects, eq(projects.id, rounds.projectId))
			.where(
				and(
					inArray(projects.slug, slugs),
					isNotNull(rounds.openedAt),
					lte(rounds.opensAt, now),
					gt(rounds.closesAt, now),
				),
			),
		db
			.select({ id: surveys.id, slug: projects.slug, closesAt: surveys.closesAt })
			.from(surveys)
			.innerJoin(projects, eq(projects.id, surveys.projectId))
			.where(
				and(inArray(projects.slug, slugs), eq(surveys.status, 'open'), gt(surveys.closesAt, now)),
			),
	]);
	for (const v of versions) {
		if (!acceptsOpinions(v, now)) continue;
		add(v.slug, {
			kind: 'comment',
			href: `/p/${v.slug}/v/${v.number}`,
			closesAt: v.commentClosesAt,
		});
	}
	for (const r of openRounds)
		add(r.slug, { kind: 'ballot', href: `/rounds/${r.id}`, closesAt: r.closesAt });
	for (const s of openSurveys)
		add(s.slug, { kind: 'survey', href: `/surveys/${s.id}`, closesAt: s.closesAt });
	for (const list of result.values()) list.sort(byDeadline);
	return result;
}
