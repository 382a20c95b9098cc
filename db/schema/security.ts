import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Fixed-window rate-limit counters kept in PostgreSQL, so limits hold across any number of app
 * instances. One row per (key, window start); old windows are swept.
 */
export const rateLimits = pgTable(
	'rate_limits',
	{
		key: text('key').notNull(),
		windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
		count: integer('count').notNull().default(0),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.key, t.windowStart] }),
		index('rate_limits_expires_idx').on(t.expiresAt),
		check('rate_limits_count_ck', sql`${t.count} >= 0`),
	],
);

/**
 * Failed sign-in attempts per key (a phone number's hash, a staff account, a client address):
 * what the back-off in `src/lib/server/auth/backoff.ts` waits on. Forgotten an hour after the
 * last failure, and for a phone or an account, at its next success.
 */
export const authFailures = pgTable(
	'auth_failures',
	{
		key: text('key').primaryKey(),
		failures: integer('failures').notNull().default(0),
		lastAt: timestamp('last_at', { withTimezone: true, mode: 'date' }).notNull(),
	},
	(t) => [check('auth_failures_failures_ck', sql`${t.failures} >= 0`)],
);

/** Messages written by the development SMS sender, shown on /dev/outbox outside production. */
export const smsOutbox = pgTable('sms_outbox', {
	id: serial('id').primaryKey(),
	phone: text('phone').notNull(),
	body: text('body').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
