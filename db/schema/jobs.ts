import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';

/**
 * The background job queue (src/lib/server/jobs/queue.ts): one row per job, so queued work
 * survives restarts and every app instance sees the same queue. States: queued → running →
 * done, or back to queued after an error (with backoff), or failed (dead) after max_attempts.
 */
export const jobs = pgTable(
	'jobs',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		/** What to do, e.g. 'images.variants'; a worker only claims the kinds it has handlers for. */
		kind: text('kind').notNull(),
		/** A JSON object with ids, never blobs or personal data (it outlives the request). */
		payload: jsonb('payload').notNull().default({}),
		/** Dedupe key: at most one job per (kind, key), ever; null for jobs that need none. */
		key: text('key'),
		state: text('state').notNull().default('queued'),
		attempts: integer('attempts').notNull().default(0),
		maxAttempts: integer('max_attempts').notNull().default(5),
		/** When a queued job becomes due (enqueue time, or after a retry's backoff). */
		runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		/** The claim's token; only its holder may finish the job (a late, expired worker may not). */
		lockToken: text('lock_token'),
		/** The lease: past this, a running job's worker is presumed dead and the job is re-run. */
		lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }),
		finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
	},
	(t) => [
		unique('jobs_kind_key_uq').on(t.kind, t.key),
		check('jobs_kind_ck', sql`${t.kind} ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$'`),
		check('jobs_state_ck', sql`${t.state} in ('queued', 'running', 'done', 'failed')`),
		check('jobs_payload_ck', sql`jsonb_typeof(${t.payload}) = 'object'`),
		check(
			'jobs_attempts_ck',
			sql`${t.maxAttempts} between 1 and 100 and ${t.attempts} between 0 and ${t.maxAttempts}`,
		),
		check(
			'jobs_lease_ck',
			sql`(${t.state} = 'running') = (${t.lockToken} is not null and ${t.lockedUntil} is not null)`,
		),
		check(
			'jobs_finished_ck',
			sql`(${t.state} in ('done', 'failed')) = (${t.finishedAt} is not null)`,
		),
		index('jobs_due_idx')
			.on(t.runAt)
			.where(sql`${t.state} = 'queued'`),
		index('jobs_lease_idx')
			.on(t.lockedUntil)
			.where(sql`${t.state} = 'running'`),
	],
);
