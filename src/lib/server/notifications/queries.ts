import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { follows, notificationSettings, projects } from '../../../../db/schema/index.ts';

/** The badge shows at most this many ("99+"): counting further costs time for nothing. */
export const BADGE_CAP = 100;

/**
 * Unread notifications of a resident, counted up to BADGE_CAP: the header asks on every
 * signed-in render, so the count stops early instead of scanning a long history.
 */
export async function unreadBadgeCount(db: Executor, userId: string): Promise<number> {
	const [row] = await queryRows<{ n: number }>(
		db,
		sql`select count(*)::int as n from (select 1 from notifications
		    where user_id = ${userId} and read_at is null limit ${BADGE_CAP}) unread`,
	);
	return row?.n ?? 0;
}

/** Whether the user follows the project, and whether automatically. Null: not following. */
export async function getFollow(
	db: Executor,
	userId: string,
	projectId: number,
): Promise<{ automatic: boolean } | null> {
	const [row] = await db
		.select({ automatic: follows.automatic })
		.from(follows)
		.where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)));
	return row ?? null;
}

/** The projects a resident follows, for the notification centre. */
export async function listFollowedProjects(db: Executor, userId: string) {
	return db
		.select({
			id: projects.id,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
			automatic: follows.automatic,
		})
		.from(follows)
		.innerJoin(projects, eq(projects.id, follows.projectId))
		.where(eq(follows.userId, userId))
		.orderBy(asc(projects.id));
}

/** Whether a resident opted in to SMS copies (false until they do). */
export async function getSmsOptIn(db: Executor, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ optIn: notificationSettings.smsOptIn })
		.from(notificationSettings)
		.where(eq(notificationSettings.userId, userId));
	return row?.optIn ?? false;
}
