/**
 * Where a resident finds a project's surveys and their published results (issue 19): the
 * project page lists them, the survey list links each to its results once published.
 */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { projects, surveyResults, surveys } from '../../../../db/schema/index.ts';

export type SurveyLink = {
	id: number;
	title: string;
	titleEn: string;
	status: 'draft' | 'open' | 'closed';
	closesAt: Date | null;
	/** Results were published at least once: /surveys/:id/results answers. */
	hasResults: boolean;
};

/** Published (not draft) surveys of one project, or of all projects, newest first. */
export async function listSurveyLinks(
	db: Executor,
	options: { projectSlug?: string } = {},
): Promise<SurveyLink[]> {
	return db
		.select({
			id: surveys.id,
			title: surveys.title,
			titleEn: surveys.titleEn,
			status: surveys.status,
			closesAt: surveys.closesAt,
			hasResults: sql<boolean>`exists (select 1 from ${surveyResults} where ${surveyResults.surveyId} = ${surveys.id})`,
		})
		.from(surveys)
		.innerJoin(projects, eq(projects.id, surveys.projectId))
		.where(
			and(
				ne(surveys.status, 'draft'),
				options.projectSlug ? eq(projects.slug, options.projectSlug) : undefined,
			),
		)
		.orderBy(desc(surveys.publishedAt))
		.limit(200);
}
