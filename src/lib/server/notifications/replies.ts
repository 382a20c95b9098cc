import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../../../db/client.ts';
import { opinions, planVersions, projects } from '../../../../db/schema/index.ts';
import { notify } from './commands.ts';

const parents = alias(opinions, 'parent');

/**
 * Tells the author of an opinion that a reply to it became public ("replied to", issue 17):
 * called in the transaction that publishes the reply, when it is posted published or when the
 * committee approves one that waited for review. Nobody is told of their own reply, and an
 * opinion entered offline has no account to tell. The link lands on the reply.
 *
 * @returns the number of notifications written (0 or 1).
 */
export async function notifyReplyPublished(tx: Executor, replyId: number): Promise<number> {
	const [row] = await tx
		.select({
			replyAuthor: opinions.authorId,
			parentId: parents.id,
			parentAuthor: parents.authorId,
			versionNumber: planVersions.number,
			projectId: projects.id,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
		})
		.from(opinions)
		.innerJoin(parents, eq(parents.id, opinions.parentId))
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(and(eq(opinions.id, replyId), eq(opinions.state, 'published')));
	if (!row || row.parentAuthor === null || row.parentAuthor === row.replyAuthor) return 0;
	await notify(tx, {
		userId: row.parentAuthor,
		kind: 'opinion.replied',
		params: { project: row.name, projectEn: row.nameEn, opinionId: row.parentId, replyId },
		link: `/p/${row.slug}/v/${row.versionNumber}#opinion-${replyId}`,
		projectId: row.projectId,
	});
	return 1;
}
