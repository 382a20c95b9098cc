import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { follows, notifications } from '../../../../db/schema/index.ts';

export type NotificationInput = {
	userId: string;
	kind: string;
	params?: Record<string, string | number>;
	link: string;
	projectId?: number | null;
};

/**
 * Notifies residents in the caller's transaction: the notification exists exactly when the
 * change it reports was committed. (SMS copies, where wanted, are queued by the sender module
 * in the same transaction.) Links are site paths only.
 */
export async function notify(
	tx: Executor,
	inputs: NotificationInput | NotificationInput[],
): Promise<void> {
	const rows = (Array.isArray(inputs) ? inputs : [inputs]).map((n) => ({
		userId: n.userId,
		kind: n.kind,
		params: n.params ?? {},
		link: n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/',
		projectId: n.projectId ?? null,
	}));
	for (let i = 0; i < rows.length; i += 1000)
		await tx.insert(notifications).values(rows.slice(i, i + 1000));
}

/** Follows a project (idempotent); `automatic` follows never override an explicit one. */
export async function followProject(
	tx: Executor,
	userId: string,
	projectId: number,
	automatic = false,
): Promise<void> {
	await tx.insert(follows).values({ userId, projectId, automatic }).onConflictDoNothing();
}

export async function unfollowProject(
	tx: Executor,
	userId: string,
	projectId: number,
): Promise<void> {
	await tx.delete(follows).where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)));
}

/** The newest notifications of a user, with the unread count (for the header badge). */
export async function listNotifications(db: Executor, userId: string, limit = 50) {
	const [items, [unread]] = await Promise.all([
		db
			.select()
			.from(notifications)
			.where(eq(notifications.userId, userId))
			.orderBy(desc(notifications.id))
			.limit(limit),
		db
			.select({ n: count() })
			.from(notifications)
			.where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
	]);
	return { items, unread: unread?.n ?? 0 };
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return row?.n ?? 0;
}

export async function markAllRead(db: Executor, userId: string): Promise<void> {
	await db
		.update(notifications)
		.set({ readAt: sql`now()` })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
