import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import { jobs } from '../../../../db/schema/jobs.ts';

/*
 * The queue's SQL, one statement per function. Every time comparison uses the database's now(),
 * never a process clock, so instances whose clocks disagree still agree on what is due.
 */

/** A job this process has claimed; `token` proves the claim when it finishes the job. */
export type ClaimedJob = {
	id: number;
	kind: string;
	key: string | null;
	payload: unknown;
	/** 1 on the first run. */
	attempt: number;
	maxAttempts: number;
	token: string;
};

export const LEASE_EXPIRED = 'lease expired: the worker stopped before finishing';

/** `ms` milliseconds as an SQL interval, bound as a parameter. */
const interval = (ms: number) => sql`(${ms}::float8 * interval '1 millisecond')`;

/**
 * Inserts a job unless (kind, key) already exists; returns its id and whether it is new.
 * Runs on the caller's executor, so the job commits or rolls back with the caller's writes.
 */
export async function insertJob(
	tx: Executor,
	job: {
		kind: string;
		payload: object;
		key: string | null;
		runAt: Date | null;
		maxAttempts: number;
	},
): Promise<{ id: number; created: boolean }> {
	const inserted = await tx
		.insert(jobs)
		.values({
			kind: job.kind,
			payload: job.payload,
			key: job.key,
			maxAttempts: job.maxAttempts,
			...(job.runAt ? { runAt: job.runAt } : {}),
		})
		.onConflictDoNothing({ target: [jobs.kind, jobs.key] })
		.returning({ id: jobs.id });
	if (inserted[0]) return { id: inserted[0].id, created: true };
	const [existing] = await tx
		.select({ id: jobs.id })
		.from(jobs)
		.where(and(eq(jobs.kind, job.kind), eq(jobs.key, job.key ?? '')));
	// Only a REPEATABLE READ caller whose snapshot predates the other insert gets here.
	if (!existing) throw new Error(`job ${job.kind}/${job.key} exists but is not visible yet`);
	return { id: existing.id, created: false };
}

/**
 * Claims up to `limit` due jobs of the given kinds: queued ones whose run_at has come, and
 * running ones whose lease expired (their worker died). `FOR UPDATE SKIP LOCKED` lets several
 * instances claim at once without waiting on, or taking, one another's rows.
 */
export async function claimJobs(
	db: Db,
	kinds: string[],
	limit: number,
	leaseMs: number,
): Promise<ClaimedJob[]> {
	if (kinds.length === 0 || limit < 1) return [];
	const token = randomUUID();
	const due = db
		.select({ id: jobs.id })
		.from(jobs)
		.where(
			and(
				inArray(jobs.kind, kinds),
				lt(jobs.attempts, jobs.maxAttempts),
				or(
					and(eq(jobs.state, 'queued'), lte(jobs.runAt, sql`now()`)),
					and(eq(jobs.state, 'running'), lte(jobs.lockedUntil, sql`now()`)),
				),
			),
		)
		.orderBy(asc(jobs.runAt), asc(jobs.id))
		.limit(limit)
		.for('update', { skipLocked: true });
	const rows = await db
		.update(jobs)
		.set({
			state: 'running',
			attempts: sql`${jobs.attempts} + 1`,
			lockToken: token,
			lockedUntil: sql`now() + ${interval(leaseMs)}`,
			startedAt: sql`now()`,
			updatedAt: sql`now()`,
			lastError: sql`case when ${jobs.state} = 'running' then ${LEASE_EXPIRED} else ${jobs.lastError} end`,
		})
		.where(inArray(jobs.id, due))
		.returning({
			id: jobs.id,
			kind: jobs.kind,
			key: jobs.key,
			payload: jobs.payload,
			attempt: jobs.attempts,
			maxAttempts: jobs.maxAttempts,
		});
	return rows.sort((a, b) => a.id - b.id).map((row) => ({ ...row, token }));
}

/**
 * Marks failed the running jobs whose lease expired on their last allowed attempt: nobody may
 * run them again, and leaving them "running" would hide them from the dead-job view.
 */
export async function reapExpired(db: Db, kinds: string[]): Promise<number> {
	if (kinds.length === 0) return 0;
	const rows = await db
		.update(jobs)
		.set({
			state: 'failed',
			lockToken: null,
			lockedUntil: null,
			finishedAt: sql`now()`,
			updatedAt: sql`now()`,
			lastError: LEASE_EXPIRED,
		})
		.where(
			and(
				inArray(jobs.kind, kinds),
				eq(jobs.state, 'running'),
				lte(jobs.lockedUntil, sql`now()`),
				gte(jobs.attempts, jobs.maxAttempts),
			),
		)
		.returning({ id: jobs.id });
	return rows.length;
}

const held = (job: Pick<ClaimedJob, 'id' | 'token'>) =>
	and(eq(jobs.id, job.id), eq(jobs.lockToken, job.token), eq(jobs.state, 'running'));

/** Marks the job done; false when the claim was lost (the lease expired and another took it). */
export async function completeJob(db: Db, job: Pick<ClaimedJob, 'id' | 'token'>): Promise<boolean> {
	const rows = await db
		.update(jobs)
		.set({
			state: 'done',
			lockToken: null,
			lockedUntil: null,
			finishedAt: sql`now()`,
			updatedAt: sql`now()`,
		})
		.where(held(job))
		.returning({ id: jobs.id });
	return rows.length === 1;
}

/**
 * Records a failed attempt: queued again after `delayMs`, or failed for good once the attempts
 * are used up. Returns the outcome, or 'lost' when the claim was no longer ours.
 */
export async function failJob(
	db: Db,
	job: Pick<ClaimedJob, 'id' | 'token'>,
	error: string,
	delayMs: number,
): Promise<'retried' | 'failed' | 'lost'> {
	const dead = sql`${jobs.attempts} >= ${jobs.maxAttempts}`;
	const rows = await db
		.update(jobs)
		.set({
			state: sql`case when ${dead} then 'failed' else 'queued' end`,
			runAt: sql`case when ${dead} then ${jobs.runAt} else now() + ${interval(delayMs)} end`,
			finishedAt: sql`case when ${dead} then now() end`,
			lockToken: null,
			lockedUntil: null,
			lastError: error,
			updatedAt: sql`now()`,
		})
		.where(held(job))
		.returning({ state: jobs.state });
	const state = rows[0]?.state;
	return state === 'failed' ? 'failed' : state === 'queued' ? 'retried' : 'lost';
}

/** Pushes the lease `leaseMs` past now; false when the claim was lost. */
export async function extendLease(
	db: Db,
	job: Pick<ClaimedJob, 'id' | 'token'>,
	leaseMs: number,
): Promise<boolean> {
	const rows = await db
		.update(jobs)
		.set({ lockedUntil: sql`now() + ${interval(leaseMs)}`, updatedAt: sql`now()` })
		.where(held(job))
		.returning({ id: jobs.id });
	return rows.length === 1;
}
