import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { opinionReactions, opinionReports, opinions } from '../../../../db/schema/index.ts';

/**
 * PIPL: everything the opinions module holds about a resident, for "download my data" (the
 * account module adds it to its export): what they wrote, backed and reported.
 */
export async function exportMyOpinions(db: Executor, userId: string) {
	const [written, backed, reported] = await Promise.all([
		db
			.select({
				id: opinions.id,
				planVersionId: opinions.planVersionId,
				parentId: opinions.parentId,
				renderingId: opinions.renderingId,
				planItemId: opinions.planItemId,
				alignment: opinions.alignment,
				body: opinions.body,
				state: opinions.state,
				stateReason: opinions.stateReason,
				shownAs: opinions.authorBuilding,
				createdAt: opinions.createdAt,
			})
			.from(opinions)
			.where(eq(opinions.authorId, userId))
			.orderBy(asc(opinions.id)),
		db
			.select({ opinionId: opinionReactions.opinionId, createdAt: opinionReactions.createdAt })
			.from(opinionReactions)
			.where(eq(opinionReactions.userId, userId))
			.orderBy(asc(opinionReactions.opinionId)),
		db
			.select({
				opinionId: opinionReports.opinionId,
				reason: opinionReports.reason,
				text: opinionReports.text,
				createdAt: opinionReports.createdAt,
			})
			.from(opinionReports)
			.where(eq(opinionReports.userId, userId))
			.orderBy(asc(opinionReports.id)),
	]);
	return { opinions: written, meToo: backed, reports: reported };
}
