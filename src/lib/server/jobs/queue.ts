/**
 * The background job queue: AVIF/WebP image variants, notifications (issue 4 item 2, issue 8
 * item 4). Jobs are rows of `jobs` (db/schema/jobs.ts), so they survive restarts; a worker
 * claims due rows with `FOR UPDATE SKIP LOCKED`, so several app instances share one queue and
 * each claim goes to one of them; a claim is a lease, so a job whose worker died is run again
 * once the lease expires; a failed attempt is retried with exponential backoff, and after
 * max_attempts the job is kept as `failed` with its last error for an operator to read.
 *
 * Why our own table and not pg-boss (the issue names pg-boss or graphile-worker). pg-boss 12.35
 * (12.38 does not install here: its rrule-temporal ^2.2.8 is missing from the registry) was
 * tried on both of our drivers with its own PGlite and drizzle adapters:
 * - On PGlite, enqueueing inside a drizzle transaction deadlocks: `send(…, { db: fromDrizzle(tx) })`
 *   still reads its queue cache through pg-boss's own connection, which on single-connection
 *   PGlite waits for the very transaction that is waiting on it (the promise never settles).
 *   Enqueueing in the caller's transaction is a requirement, so that rules it out by itself
 *   (with the cache warmed outside the transaction first, rollback, fetch and retry did work).
 * - On postgres.js there is no adapter; Bun's (the nearest API) fails to bind pg-boss's object
 *   parameters, so it would need a second pool on the `pg` driver beside postgres.js.
 * - Its singletonKey dedupes only on "policy" queues, where a job without a key collides with
 *   every other keyless job; and it migrates its own `pgboss` schema outside our migrations.
 * graphile-worker (not tried) needs a `pg` pool, which embedded PGlite cannot offer without a
 * socket server. What we need is six drizzle statements (store.ts) both drivers run unchanged.
 *
 * Delivery is at least once: a job runs again if its worker dies, or if it finishes after its
 * lease expired (workers renew the lease while a handler runs, so that takes a stalled process).
 * Handlers must therefore be idempotent — write variants under deterministic names, record a
 * notification as sent in the same transaction that marks it, and so on.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../../../db/client.ts';
import { jobs } from '../../../../db/schema/jobs.ts';
import { logger } from '../shared/index.ts';
import { assertRetryPolicy, defaultRetry, retryDelayMs, type RetryPolicy } from './backoff.ts';
import {
	claimJobs,
	completeJob,
	extendLease,
	failJob,
	insertJob,
	reapExpired,
	type ClaimedJob,
} from './store.ts';

export { defaultRetry, retryDelayMs, type RetryPolicy } from './backoff.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';
export type JobRow = typeof jobs.$inferSelect;

/** What a handler learns about the job besides its payload. */
export type JobContext = {
	id: number;
	kind: string;
	key: string | null;
	/** 1 on the first run; equals maxAttempts on the last. */
	attempt: number;
	maxAttempts: number;
	/** Aborted when this worker lost the job (its lease expired and another may run it). */
	signal: AbortSignal;
};

/** A handler resolves when the job is done; throwing (or rejecting) schedules a retry. */
export type JobHandler<P = never> = (payload: P, context: JobContext) => Promise<void>;
/** Handlers by job kind; a worker claims only the kinds it has a handler for. */
export type JobHandlers = Record<string, JobHandler>;

type Log = Pick<typeof logger, 'error' | 'warn'>;

export type RunOptions = {
	/**
	 * How long a claim lasts without renewal (default 60 s): renewed every third of it while a
	 * handler runs, so it bounds how late a dead worker's job is picked up, not how long a job
	 * may take.
	 */
	leaseMs?: number;
	/** Default: 10 s doubling to at most an hour, jittered. */
	retry?: RetryPolicy;
	log?: Log;
};

export type WorkerOptions = RunOptions & {
	/** Jobs run at once by this worker, default 2 (sharp's AVIF is CPU-bound: keep it small). */
	concurrency?: number;
	/** How often an idle worker looks for due jobs, default 1,000 ms. */
	pollMs?: number;
};

export type RunCounts = {
	/** Jobs claimed and run. */
	claimed: number;
	done: number;
	/** Failed an attempt and were queued again with backoff. */
	retried: number;
	/** Failed for good: attempts used up (including leases that expired on the last one). */
	failed: number;
	/** Finished after this process had lost the claim; their outcome was not recorded. */
	lost: number;
};

export type Worker = {
	/** Stops claiming, waits for the jobs in flight to finish, then resolves. Idempotent. */
	stop(): Promise<void>;
};

const MAX_PAYLOAD_BYTES = 16_384;

const enqueueSchema = z.object({
	kind: z
		.string()
		.max(100)
		.regex(/^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$/, 'must look like "images.variants"'),
	payload: z.record(z.string(), z.unknown()),
	key: z.string().min(1).max(500).nullish(),
	runAt: z.date().nullish(),
	maxAttempts: z.number().int().min(1).max(100).default(5),
});

export type EnqueueInput = {
	kind: string;
	/** A JSON object of ids and small values; it is stored, so no personal data or blobs. */
	payload: Record<string, unknown>;
	/** Dedupe key: a second job with the same kind and key is never created, even after the first finished. */
	key?: string | null;
	/** Not before this instant (default: now). */
	runAt?: Date | null;
	/** Attempts before the job is failed for good; 1–100, default 5. */
	maxAttempts?: number;
};

/**
 * Adds a job in the caller's transaction (pass the drizzle `tx`): it becomes visible to workers
 * when that transaction commits and vanishes if it rolls back, so a job never refers to a write
 * that did not happen. With a `key` already used for this kind, nothing is added and the
 * existing job's id is returned with `created: false`. Throws a ZodError for a bad kind, key,
 * maxAttempts or payload, and a RangeError for a payload over 16 KiB.
 */
export async function enqueue(
	tx: Executor,
	input: EnqueueInput,
): Promise<{ id: number; created: boolean }> {
	const job = enqueueSchema.parse(input);
	// Round-trip through JSON so what the handler gets is exactly what was stored.
	const json = JSON.stringify(job.payload);
	if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
		throw new RangeError(`job payload exceeds ${MAX_PAYLOAD_BYTES} bytes; store ids, not data`);
	}
	return insertJob(tx, {
		kind: job.kind,
		payload: JSON.parse(json) as object,
		key: job.key ?? null,
		runAt: job.runAt ?? null,
		maxAttempts: job.maxAttempts,
	});
}

/** One job's row, or null; for admin views and tests. */
export async function getJob(db: Executor, id: number): Promise<JobRow | null> {
	const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
	return row ?? null;
}

/**
 * Runs the jobs that are due now, one at a time in this process, up to `limit` of them, and
 * returns what happened. For tests, scripts and cron-like callers; the server uses startWorker.
 * A job that fails and becomes due again before the limit is reached runs again.
 */
export async function runDueJobs(
	db: Db,
	handlers: JobHandlers,
	options: RunOptions & { limit?: number } = {},
): Promise<RunCounts> {
	const limit = options.limit ?? 100;
	const settings = runSettings(options);
	if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
	const kinds = Object.keys(handlers);
	const counts: RunCounts = { claimed: 0, done: 0, retried: 0, failed: 0, lost: 0 };
	counts.failed += await reapExpired(db, kinds);
	while (counts.claimed < limit) {
		// One at a time: a claimed job's lease runs from the claim, not from when it starts.
		const [job] = await claimJobs(db, kinds, 1, settings.leaseMs);
		if (!job) break;
		counts.claimed++;
		counts[await runClaimed(db, job, handlers, settings)]++;
	}
	return counts;
}

/**
 * Starts a worker that polls for due jobs of the handled kinds and runs up to `concurrency` of
 * them at once, until `stop()`. Database errors are logged and retried on the next poll; they
 * never stop the worker. Throws a RangeError for bad options.
 */
export function startWorker(db: Db, handlers: JobHandlers, options: WorkerOptions = {}): Worker {
	const concurrency = options.concurrency ?? 2;
	const pollMs = options.pollMs ?? 1_000;
	const settings = runSettings(options);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
		throw new RangeError('concurrency must be a whole number from 1 to 64');
	}
	if (!Number.isInteger(pollMs) || pollMs < 10) throw new RangeError('pollMs must be at least 10');
	const kinds = Object.keys(handlers);
	const inFlight = new Set<Promise<unknown>>();
	let stopping = false;
	let wake: (() => void) | null = null;

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				wake = null;
				resolve();
			};
			const timer = setTimeout(done, ms);
			wake = done;
		});

	const loop = (async () => {
		while (!stopping) {
			const free = concurrency - inFlight.size;
			let claimed = 0;
			if (free > 0) {
				try {
					await reapExpired(db, kinds);
					const batch = await claimJobs(db, kinds, free, settings.leaseMs);
					claimed = batch.length;
					for (const job of batch) {
						const running = runClaimed(db, job, handlers, settings).finally(() => {
							inFlight.delete(running);
							wake?.();
						});
						inFlight.add(running);
					}
				} catch (error) {
					settings.log.error({ err: error }, 'job queue: claiming failed');
				}
			}
			// A full batch means more may be due: claim again at once. Otherwise wait for the poll,
			// a finished job (a free slot) or stop().
			if (!stopping && !(free > 0 && claimed === free)) await sleep(pollMs);
		}
	})();

	let stopped: Promise<void> | null = null;
	return {
		stop() {
			stopped ??= (async () => {
				stopping = true;
				wake?.();
				await loop;
				await Promise.allSettled([...inFlight]);
			})();
			return stopped;
		},
	};
}

type Settings = { leaseMs: number; retry: RetryPolicy; log: Log };

function runSettings(options: RunOptions): Settings {
	const leaseMs = options.leaseMs ?? 60_000;
	const retry = options.retry ?? defaultRetry;
	if (!Number.isInteger(leaseMs) || leaseMs < 100) {
		throw new RangeError('leaseMs must be at least 100');
	}
	assertRetryPolicy(retry);
	return { leaseMs, retry, log: options.log ?? logger };
}

/**
 * Runs one claimed job, renewing its lease meanwhile, and records the outcome. Never throws:
 * a database error while recording is logged, and the lease brings the job back later.
 */
async function runClaimed(
	db: Db,
	job: ClaimedJob,
	handlers: JobHandlers,
	{ leaseMs, retry, log }: Settings,
): Promise<'done' | 'retried' | 'failed' | 'lost'> {
	const abort = new AbortController();
	const heartbeat = setInterval(
		() => {
			extendLease(db, job, leaseMs).then(
				(held) => held || abort.abort(new Error('job lease lost')),
				(error: unknown) =>
					log.warn({ err: error, jobId: job.id }, 'job queue: lease renewal failed'),
			);
		},
		Math.max(30, Math.floor(leaseMs / 3)),
	);
	let failure: unknown = null;
	try {
		const handler = handlers[job.kind];
		if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
		await handler(job.payload as never, {
			id: job.id,
			kind: job.kind,
			key: job.key,
			attempt: job.attempt,
			maxAttempts: job.maxAttempts,
			signal: abort.signal,
		});
	} catch (error) {
		failure = error ?? new Error('job failed');
	} finally {
		clearInterval(heartbeat);
	}
	try {
		const outcome =
			failure === null
				? (await completeJob(db, job))
					? 'done'
					: 'lost'
				: await failJob(db, job, describeError(failure), retryDelayMs(job.attempt, retry));
		if (outcome === 'lost') log.warn({ jobId: job.id, kind: job.kind }, 'job queue: claim lost');
		if (outcome === 'failed') {
			log.error({ err: failure, jobId: job.id, kind: job.kind }, 'job queue: job failed for good');
		}
		return outcome;
	} catch (error) {
		log.error({ err: error, jobId: job.id }, 'job queue: recording the outcome failed');
		return 'lost';
	}
}

/** "Name: message", at most 2,000 characters: enough to diagnose, small enough to keep. */
function describeError(error: unknown): string {
	const text =
		error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`;
	return text.length > 2_000 ? `${text.slice(0, 1_999)}…` : text;
}
