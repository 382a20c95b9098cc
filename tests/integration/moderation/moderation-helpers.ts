import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import type { Locale } from '../../../src/i18n/index.ts';
import { renderNotification } from '../../../src/lib/server/notifications/render.ts';

/** Audit entries about one opinion, oldest first. */
export async function auditOf(db: Db, opinionId: number) {
	return db
		.select({
			action: s.auditLog.action,
			actorId: s.auditLog.actorId,
			actorKind: s.auditLog.actorKind,
			communityId: s.auditLog.communityId,
			details: s.auditLog.details,
		})
		.from(s.auditLog)
		.where(and(eq(s.auditLog.targetType, 'opinion'), eq(s.auditLog.targetId, String(opinionId))))
		.orderBy(asc(s.auditLog.id));
}

/** What a user reads in their notifications (oldest first), in one language, with the link. */
export async function sentencesOf(db: Db, userId: string, locale: Locale = 'zh-CN') {
	return (await notificationsOf(db, userId)).map((n) => [renderNotification(locale, n), n.link]);
}

/** Notifications a user received, oldest first. */
export async function notificationsOf(db: Db, userId: string) {
	return db
		.select({
			kind: s.notifications.kind,
			params: s.notifications.params,
			link: s.notifications.link,
		})
		.from(s.notifications)
		.where(eq(s.notifications.userId, userId))
		.orderBy(asc(s.notifications.id));
}

export async function opinionRow(db: Db, id: number) {
	const [row] = await db.select().from(s.opinions).where(eq(s.opinions.id, id));
	return row!;
}

export async function flagRow(db: Db, id: number) {
	const [row] = await db
		.select()
		.from(s.moderationFlags)
		.where(eq(s.moderationFlags.opinionId, id));
	return row ?? null;
}
