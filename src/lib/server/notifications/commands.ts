import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	follows,
	households,
	memberships,
	notifications,
	notificationSettings,
	projectCompounds,
} from '../../../../db/schema/index.ts';
import type { KindParams, NotificationKind } from './kinds.ts';
import { queueSmsCopies } from './sms.ts';

/**
 * One notification: what happened (`kind`, see kinds.ts) with the params its text needs. The
 * text is `notifications.kind.<kind>` of the catalogs, filled with `params` in the reader's
 * language (see render.ts for conventions).
 */
type InputOf<K extends NotificationKind> = {
	userId: string;
	kind: K;
	params: KindParams<K>;
	link: string;
	projectId?: number | null;
};

export type NotificationInput = { [K in NotificationKind]: InputOf<K> }[NotificationKind];

/** `Omit` for each member of a union (plain `Omit` merges the members and loses the pairing). */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A notification for many recipients: the same text and link for each. */
export type BroadcastInput = Without<NotificationInput, 'userId'>;

const CHUNK = 1000;

/**
 * Notifies residents in the caller's transaction: the notification exists exactly when the
 * change it reports was committed. Kinds that residents may also get by SMS (round and survey
 * openings) queue one SMS job per opted-in recipient in the same transaction (sms.ts). Links
 * are site paths only. Returns the new notifications' ids in input order.
 */
export async function notify(
	tx: Executor,
	inputs: NotificationInput | NotificationInput[],
): Promise<number[]> {
	const rows = (Array.isArray(inputs) ? inputs : [inputs]).map((n) => ({
		userId: n.userId,
		kind: n.kind,
		params: n.params,
		link: n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/',
		projectId: n.projectId ?? null,
	}));
	const ids: number[] = [];
	for (let i = 0; i < rows.length; i += CHUNK) {
		const inserted = await tx
			.insert(notifications)
			.values(rows.slice(i, i + CHUNK))
			.returning({ id: notifications.id, userId: notifications.userId, kind: notifications.kind });
		await queueSmsCopies(tx, inserted);
		ids.push(...inserted.map((r) => r.id));
	}
	return ids;
}

/** Distinct user ids, chunked reads: `inArray` binds one parameter per value. */
async function inChunks<T>(values: T[], read: (chunk: T[]) => Promise<string[]>) {
	const users = new Set<string>();
	for (let i = 0; i < values.length; i += CHUNK * 5) {
		for (const id of await read(values.slice(i, i + CHUNK * 5))) users.add(id);
	}
	return [...users];
}

/**
 * Notifies the bound members (active memberships) of these households, and nobody else: a
 * round or survey opened for a household is that household's business (PRODUCT.md: nobody
 * learns of another household's round). A resident bound to several of the households gets
 * one notification. Runs in the caller's transaction; returns the number of recipients.
 */
export async function notifyHouseholds(
	tx: Executor,
	householdIds: number[],
	input: BroadcastInput,
): Promise<number> {
	const userIds = await inChunks([...new Set(householdIds)], async (chunk) =>
		(
			await tx
				.selectDistinct({ userId: memberships.userId })
				.from(memberships)
				.where(and(inArray(memberships.householdId, chunk), isNull(memberships.endedAt)))
		).map((r) => r.userId),
	);
	await notify(
		tx,
		userIds.sort().map((userId) => ({ ...input, userId })),
	);
	return userIds.length;
}

/** Notifies everyone following a project (explicitly or automatically); returns how many. */
export async function notifyFollowers(
	tx: Executor,
	projectId: number,
	input: Without<BroadcastInput, 'projectId'>,
): Promise<number> {
	const rows = await tx
		.select({ userId: follows.userId })
		.from(follows)
		.where(eq(follows.projectId, projectId))
		.orderBy(follows.userId);
	await notify(
		tx,
		rows.map((r) => ({ ...input, projectId, userId: r.userId })),
	);
	return rows.length;
}

/**
 * Follows a project (idempotent). An explicit follow turns an automatic one explicit; an
 * automatic follow (commenting, binding a household) never overrides an explicit one.
 */
export async function followProject(
	tx: Executor,
	userId: string,
	projectId: number,
	automatic = false,
): Promise<void> {
	const insert = tx.insert(follows).values({ userId, projectId, automatic });
	await (automatic
		? insert.onConflictDoNothing()
		: insert.onConflictDoUpdate({
				target: [follows.userId, follows.projectId],
				set: { automatic: false },
			}));
}

/** Automatically follows every project covering the household's compound (on binding). */
export async function followHouseholdProjects(
	tx: Executor,
	userId: string,
	householdId: number,
): Promise<void> {
	const rows = await tx
		.select({ projectId: projectCompounds.projectId })
		.from(projectCompounds)
		.innerJoin(households, eq(households.compoundId, projectCompounds.compoundId))
		.where(eq(households.id, householdId));
	for (const { projectId } of rows) await followProject(tx, userId, projectId, true);
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

/** Turns SMS copies of round and survey openings on or off for a resident (opt-in, PIPL). */
export async function setSmsOptIn(db: Executor, userId: string, optIn: boolean): Promise<void> {
	await db
		.insert(notificationSettings)
		.values({ userId, smsOptIn: optIn })
		.onConflictDoUpdate({
			target: notificationSettings.userId,
			set: { smsOptIn: optIn, updatedAt: sql`now()` },
		});
}
