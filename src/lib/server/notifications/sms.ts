import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db, type Executor } from '../../../../db/client.ts';
import {
	notificationDeliveries,
	notifications,
	notificationSettings,
	users,
} from '../../../../db/schema/index.ts';
import type { SmsSender } from '../auth/index.ts';
import { enqueue } from '../jobs/index.ts';
import type { NotificationKind } from './kinds.ts';
import { renderSms } from './render.ts';

/*
 * SMS copies of notifications (issue 8 item 4): only for round and survey openings, only for
 * residents who opted in, at most NOTIFY_SMS_PER_DAY per resident per 24 hours. Each copy is a
 * delivery row plus one job keyed by the notification, both written in the transaction that
 * wrote the notification: a crash before commit leaves neither, after commit the job runs.
 * The job locks its delivery row and marks it sent in the transaction that sends, so a job run
 * twice (a retry, an expired lease, two instances) sends once: with the development sender,
 * whose outbox row is part of that transaction, exactly once; with an outside gateway, a crash
 * between the gateway's answer and the commit can repeat one message (at least once).
 */

export const SMS_JOB = 'notifications.sms';

/** Kinds a resident may also receive by SMS: things with a deadline for their household. */
export const SMS_KINDS: ReadonlySet<string> = new Set<NotificationKind>([
	'round.opened',
	'survey.opened',
	// Staff who opted in: the day's moderation digest (issue 21).
	'moderation.digest',
]);

/** Namespace of the per-resident advisory lock that serialises the daily count. */
const SMS_LOCK_KEY = 7_340_281;

/**
 * Queues an SMS copy of each SMS-kind notification whose recipient opted in: a delivery row
 * and a job with the key `sms:<notification id>` (one job per notification and channel, ever).
 */
export async function queueSmsCopies(
	tx: Executor,
	rows: { id: number; userId: string; kind: string }[],
): Promise<number> {
	const candidates = rows.filter((r) => SMS_KINDS.has(r.kind));
	if (candidates.length === 0) return 0;
	const optedIn = new Set(
		(
			await tx
				.select({ userId: notificationSettings.userId })
				.from(notificationSettings)
				.where(
					and(
						inArray(notificationSettings.userId, [...new Set(candidates.map((r) => r.userId))]),
						eq(notificationSettings.smsOptIn, true),
					),
				)
		).map((r) => r.userId),
	);
	const wanted = candidates.filter((r) => optedIn.has(r.userId));
	if (wanted.length === 0) return 0;
	await tx
		.insert(notificationDeliveries)
		.values(wanted.map((r) => ({ notificationId: r.id, channel: 'sms' })))
		.onConflictDoNothing();
	for (const r of wanted) {
		await enqueue(tx, { kind: SMS_JOB, key: `sms:${r.id}`, payload: { notificationId: r.id } });
	}
	return wanted.length;
}

export type SmsOutcome = 'sent' | 'skipped' | 'already';

/**
 * The SMS job: sends one notification's text message unless it was sent (or skipped) before,
 * the resident opted out since, has no phone any more (account deleted), or reached the daily
 * limit; the outcome is recorded in the same transaction as the send. A sender error rolls
 * everything back and rethrows, so the queue retries the job.
 */
export async function deliverSms(
	db: Db,
	sender: SmsSender,
	payload: { notificationId: number },
	options: { origin: string; perDay: number },
): Promise<SmsOutcome> {
	const notificationId = Number(payload.notificationId);
	if (!Number.isSafeInteger(notificationId)) return 'already';
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({
				state: notificationDeliveries.state,
				userId: notifications.userId,
				kind: notifications.kind,
				params: notifications.params,
				link: notifications.link,
				phone: users.phone,
				optIn: notificationSettings.smsOptIn,
			})
			.from(notificationDeliveries)
			.innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
			.innerJoin(users, eq(users.id, notifications.userId))
			.leftJoin(notificationSettings, eq(notificationSettings.userId, notifications.userId))
			.where(
				and(
					eq(notificationDeliveries.notificationId, notificationId),
					eq(notificationDeliveries.channel, 'sms'),
				),
			)
			.for('update', { of: notificationDeliveries });
		if (!row || row.state !== 'queued') return 'already';
		const finish = async (state: 'sent' | 'skipped', reason = '') => {
			await tx
				.update(notificationDeliveries)
				.set({ state, reason, sentAt: state === 'sent' ? sql`now()` : null })
				.where(
					and(
						eq(notificationDeliveries.notificationId, notificationId),
						eq(notificationDeliveries.channel, 'sms'),
					),
				);
			return state;
		};
		if (!row.optIn) return finish('skipped', 'opted_out');
		if (!row.phone) return finish('skipped', 'no_phone');
		await tx.execute(
			sql`select pg_advisory_xact_lock(${sql.raw(String(SMS_LOCK_KEY))}, hashtext(${row.userId}))`,
		);
		if ((await sentToday(tx, row.userId)) >= options.perDay) {
			return finish('skipped', 'rate_limited');
		}
		await sender.send(tx, row.phone, renderSms(row, options.origin));
		return finish('sent');
	});
}

/** Text messages sent to a resident in the last 24 hours. */
async function sentToday(tx: Executor, userId: string): Promise<number> {
	const [row] = await queryRows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from notification_deliveries d
		    join notifications n on n.id = d.notification_id
		    where n.user_id = ${userId} and d.state = 'sent' and d.sent_at > now() - interval '1 day'`,
	);
	return row?.n ?? 0;
}
