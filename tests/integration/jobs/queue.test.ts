import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { queryRows } from '../../../db/client.ts';
import { jobs } from '../../../db/schema/jobs.ts';
import {
	enqueue,
	getJob,
	runDueJobs,
	startWorker,
	type EnqueueInput,
	type JobContext,
	type RunOptions,
} from '../../../src/lib/server/jobs/queue.ts';
import {
	claimJobs,
	completeJob,
	failJob,
	LEASE_EXPIRED,
} from '../../../src/lib/server/jobs/store.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** Collects what the queue logs instead of printing it. */
function quietLog() {
	const lines: string[] = [];
	const log = {
		error: (...args: unknown[]) => void lines.push(`error ${String(args.at(-1))}`),
		warn: (...args: unknown[]) => void lines.push(`warn ${String(args.at(-1))}`),
	} as unknown as NonNullable<RunOptions['log']>;
	return { log, lines };
}

/** Waits until `check` holds, polling; fails the test after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(20);
	}
}

describe.each(drivers)('job queue on %s', (driver) => {
	let t: TestDatabase;
	const { log, lines } = quietLog();

	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());
	beforeEach(async () => {
		await t.db.delete(jobs);
		lines.length = 0;
	});

	const count = async (kind: string) =>
		(await t.db.select().from(jobs).where(eq(jobs.kind, kind))).length;

	it('enqueues nothing when the caller’s transaction rolls back', async () => {
		await expect(
			t.db.transaction(async (tx) => {
				await enqueue(tx, { kind: 'images.variants', payload: { photoId: 1 } });
				expect(await tx.select().from(jobs)).toHaveLength(1);
				throw new Error('the upload failed');
			}),
		).rejects.toThrow('the upload failed');
		expect(await count('images.variants')).toBe(0);

		await t.db.transaction(async (tx) => {
			await enqueue(tx, { kind: 'images.variants', payload: { photoId: 2 } });
		});
		expect(await count('images.variants')).toBe(1);
	});

	it('runs a committed job once, with its payload and context', async () => {
		const payload = {
			photoId: 42,
			sizes: [320, 1600],
			label: '红岩小区 东门',
			nested: { a: null },
		};
		const { id, created } = await t.db.transaction((tx) =>
			enqueue(tx, { kind: 'images.variants', payload }),
		);
		expect(created).toBe(true);
		const calls: Array<{ payload: unknown; context: JobContext }> = [];
		const handlers = {
			'images.variants': async (p: unknown, context: JobContext) =>
				void calls.push({ payload: p, context }),
		};

		expect(await runDueJobs(t.db, handlers, { log })).toEqual({
			claimed: 1,
			done: 1,
			retried: 0,
			failed: 0,
			lost: 0,
		});
		expect(await runDueJobs(t.db, handlers, { log })).toMatchObject({ claimed: 0 });
		expect(calls).toHaveLength(1);
		expect(calls[0]!.payload).toEqual(payload);
		expect(calls[0]!.context).toMatchObject({
			id,
			kind: 'images.variants',
			key: null,
			attempt: 1,
			maxAttempts: 5,
		});
		const row = await getJob(t.db, id);
		expect(row).toMatchObject({ state: 'done', attempts: 1, lockToken: null, lockedUntil: null });
		expect(row!.finishedAt).toBeInstanceOf(Date);
		expect(row!.startedAt!.getTime()).toBeLessThanOrEqual(row!.finishedAt!.getTime());
	});

	it('does not run a job before its runAt', async () => {
		const { id } = await enqueue(t.db, {
			kind: 'notify.digest',
			payload: {},
			runAt: new Date(Date.now() + 3_600_000),
		});
		let runs = 0;
		const handlers = { 'notify.digest': async () => void runs++ };
		expect(await runDueJobs(t.db, handlers, { log })).toMatchObject({ claimed: 0 });
		await t.db
			.update(jobs)
			.set({ runAt: sql`now()` })
			.where(eq(jobs.id, id));
		expect(await runDueJobs(t.db, handlers, { log })).toMatchObject({ claimed: 1, done: 1 });
		expect(runs).toBe(1);
	});

	it('retries a failing job with backoff, then keeps it failed with the last error', async () => {
		const { id } = await enqueue(t.db, { kind: 'notify.sms', payload: {}, maxAttempts: 3 });
		const attempts: number[] = [];
		const handlers = {
			'notify.sms': async (_: unknown, context: JobContext) => {
				attempts.push(context.attempt);
				throw new Error(`gateway down (${context.attempt})`);
			},
		};
		const retry = { baseMs: 60_000, maxMs: 600_000 };
		/** Milliseconds from the database's now() to the job's run_at. */
		const wait = async () =>
			(
				await queryRows<{ ms: number }>(
					t.db,
					sql`select (extract(epoch from run_at - now()) * 1000)::float8 as ms from jobs where id = ${id}`,
				)
			)[0]!.ms;

		expect(await runDueJobs(t.db, handlers, { retry, log })).toMatchObject({ retried: 1 });
		expect(await getJob(t.db, id)).toMatchObject({
			state: 'queued',
			attempts: 1,
			lastError: 'Error: gateway down (1)',
			finishedAt: null,
		});
		// Attempt 1 waits 30–60 s (less the few ms this test took since).
		expect(await wait()).toBeGreaterThan(29_000);
		expect(await wait()).toBeLessThanOrEqual(60_000);
		expect(await runDueJobs(t.db, handlers, { retry, log })).toMatchObject({ claimed: 0 });

		// Time passes: the retry becomes due. Attempt 2 waits 60–120 s.
		await t.db
			.update(jobs)
			.set({ runAt: sql`now()` })
			.where(eq(jobs.id, id));
		expect(await runDueJobs(t.db, handlers, { retry, log })).toMatchObject({ retried: 1 });
		expect(await wait()).toBeGreaterThan(59_000);
		expect(await wait()).toBeLessThanOrEqual(120_000);

		await t.db
			.update(jobs)
			.set({ runAt: sql`now()` })
			.where(eq(jobs.id, id));
		expect(await runDueJobs(t.db, handlers, { retry, log })).toMatchObject({ failed: 1 });
		const row = await getJob(t.db, id);
		expect(row).toMatchObject({
			state: 'failed',
			attempts: 3,
			lastError: 'Error: gateway down (3)',
			lockToken: null,
		});
		expect(row!.finishedAt).toBeInstanceOf(Date);
		expect(attempts).toEqual([1, 2, 3]);
		await t.db
			.update(jobs)
			.set({ runAt: sql`now()` })
			.where(eq(jobs.id, id));
		expect(await runDueJobs(t.db, handlers, { retry, log })).toMatchObject({ claimed: 0 });
		expect(lines.filter((l) => l.includes('failed for good'))).toHaveLength(1);
	});

	it('runs a job again once the lease of a worker that died has expired', async () => {
		const { id } = await enqueue(t.db, { kind: 'images.variants', payload: { photoId: 7 } });
		// A worker claims the job and then its process dies: it never finishes.
		const [crashed] = await claimJobs(t.db, ['images.variants'], 1, 1_000);
		expect(crashed?.id).toBe(id);
		const attempts: number[] = [];
		const handlers = {
			'images.variants': async (_: unknown, context: JobContext) =>
				void attempts.push(context.attempt),
		};

		expect(await runDueJobs(t.db, handlers, { log })).toMatchObject({ claimed: 0 });
		await sleep(1_100);
		expect(await runDueJobs(t.db, handlers, { log })).toMatchObject({ claimed: 1, done: 1 });
		expect(attempts).toEqual([2]);
		expect(await getJob(t.db, id)).toMatchObject({
			state: 'done',
			attempts: 2,
			lastError: LEASE_EXPIRED,
		});

		// The dead worker's claim is void: it can neither finish nor fail the job any more.
		expect(await completeJob(t.db, crashed!)).toBe(false);
		expect(await failJob(t.db, crashed!, 'late', 0)).toBe('lost');
		expect(await getJob(t.db, id)).toMatchObject({ state: 'done', attempts: 2 });
	});

	it('fails a job whose lease expired on its last attempt, without running it again', async () => {
		const { id } = await enqueue(t.db, { kind: 'notify.sms', payload: {}, maxAttempts: 1 });
		await claimJobs(t.db, ['notify.sms'], 1, 100);
		await sleep(200);
		let runs = 0;
		const counts = await runDueJobs(t.db, { 'notify.sms': async () => void runs++ }, { log });
		expect(counts).toMatchObject({ claimed: 0, failed: 1 });
		expect(runs).toBe(0);
		expect(await getJob(t.db, id)).toMatchObject({
			state: 'failed',
			attempts: 1,
			lastError: LEASE_EXPIRED,
		});
	});

	it('keeps one job per kind and dedupe key, even after it ran', async () => {
		const first = await enqueue(t.db, {
			kind: 'notify.comment',
			payload: { commentId: 9 },
			key: 'comment:9',
		});
		const again = await t.db.transaction(async (tx) => {
			const inTx = await enqueue(tx, {
				kind: 'notify.comment',
				payload: { commentId: 9 },
				key: 'comment:9',
			});
			// Same transaction, twice: still one.
			expect(await enqueue(tx, { kind: 'notify.comment', payload: {}, key: 'comment:9' })).toEqual(
				inTx,
			);
			return inTx;
		});
		expect(first.created).toBe(true);
		expect(again).toEqual({ id: first.id, created: false });

		const otherKind = await enqueue(t.db, { kind: 'notify.digest', payload: {}, key: 'comment:9' });
		expect(otherKind.created).toBe(true);
		await enqueue(t.db, { kind: 'notify.comment', payload: {} });
		await enqueue(t.db, { kind: 'notify.comment', payload: {} });
		expect(await count('notify.comment')).toBe(3);

		await runDueJobs(t.db, { 'notify.comment': async () => {} }, { log });
		const afterDone = await enqueue(t.db, {
			kind: 'notify.comment',
			payload: {},
			key: 'comment:9',
		});
		expect(afterDone).toEqual({ id: first.id, created: false });
		expect(await runDueJobs(t.db, { 'notify.comment': async () => {} }, { log })).toMatchObject({
			claimed: 0,
		});
	});

	it('leaves jobs of kinds it has no handler for', async () => {
		const { id } = await enqueue(t.db, { kind: 'images.variants', payload: {} });
		expect(await runDueJobs(t.db, { 'notify.sms': async () => {} }, { log })).toMatchObject({
			claimed: 0,
		});
		expect(await getJob(t.db, id)).toMatchObject({ state: 'queued', attempts: 0 });
	});

	it.each<{ name: string; input: EnqueueInput; error: unknown }>([
		{
			name: 'a kind with spaces',
			input: { kind: 'Images Variants', payload: {} },
			error: ZodError,
		},
		{ name: 'an empty kind', input: { kind: '', payload: {} }, error: ZodError },
		{ name: 'maxAttempts 0', input: { kind: 'a.b', payload: {}, maxAttempts: 0 }, error: ZodError },
		{
			name: 'maxAttempts 101',
			input: { kind: 'a.b', payload: {}, maxAttempts: 101 },
			error: ZodError,
		},
		{ name: 'an empty key', input: { kind: 'a.b', payload: {}, key: '' }, error: ZodError },
		{ name: 'an array payload', input: { kind: 'a.b', payload: [] as never }, error: ZodError },
		{
			name: 'a 20 KB payload',
			input: { kind: 'a.b', payload: { blob: 'x'.repeat(20_000) } },
			error: RangeError,
		},
	])('refuses $name and stores nothing', async ({ input, error }) => {
		await expect(enqueue(t.db, input)).rejects.toBeInstanceOf(error);
		expect(await t.db.select().from(jobs)).toHaveLength(0);
	});

	it('renews the lease while a long job runs, so nobody else runs it meanwhile', async () => {
		const { id } = await enqueue(t.db, { kind: 'images.variants', payload: {} });
		let runs = 0;
		let finished = false;
		const worker = startWorker(
			t.db,
			{
				'images.variants': async () => {
					runs++;
					await sleep(2_500);
					finished = true;
				},
			},
			{ leaseMs: 1_000, pollMs: 20, log },
		);
		try {
			await until(() => runs === 1);
			// Two and a half lease lengths pass; another worker keeps looking and finds nothing to take.
			while (!finished) {
				expect(
					await runDueJobs(t.db, { 'images.variants': async () => void runs++ }, { log }),
				).toMatchObject({ claimed: 0 });
				await sleep(50);
			}
		} finally {
			await worker.stop();
		}
		expect(runs).toBe(1);
		expect(await getJob(t.db, id)).toMatchObject({ state: 'done', attempts: 1 });
	});

	it('tells a handler that lost its claim, and records nothing for it', async () => {
		const { id } = await enqueue(t.db, { kind: 'images.variants', payload: {} });
		let aborted = false;
		const worker = startWorker(
			t.db,
			{
				'images.variants': async (_: unknown, { signal }: JobContext) => {
					// Another worker took over meanwhile (as after a long pause of this process).
					await t.db.update(jobs).set({ lockToken: 'someone-else' }).where(eq(jobs.id, id));
					await until(() => signal.aborted, 5_000);
					aborted = true;
				},
			},
			{ leaseMs: 150, pollMs: 20, log },
		);
		try {
			await until(() => aborted);
		} finally {
			await worker.stop();
		}
		expect(await getJob(t.db, id)).toMatchObject({ state: 'running', lockToken: 'someone-else' });
		expect(lines).toContain('warn job queue: claim lost');
	});

	it('stop() lets the jobs in flight finish and claims nothing more', async () => {
		const { id } = await enqueue(t.db, { kind: 'images.variants', payload: {} });
		let started = false;
		let finished = false;
		const worker = startWorker(
			t.db,
			{
				'images.variants': async () => {
					started = true;
					await sleep(300);
					finished = true;
				},
			},
			{ pollMs: 20, log },
		);
		await until(() => started);
		await worker.stop();
		expect(finished).toBe(true);
		expect(await getJob(t.db, id)).toMatchObject({ state: 'done' });

		const later = await enqueue(t.db, { kind: 'images.variants', payload: {} });
		await sleep(100);
		expect(await getJob(t.db, later.id)).toMatchObject({ state: 'queued', attempts: 0 });
		await worker.stop(); // idempotent
	});

	it('two workers on one database run each of 60 jobs exactly once', async () => {
		const ids: number[] = [];
		for (let i = 0; i < 60; i++) {
			ids.push((await enqueue(t.db, { kind: 'notify.sms', payload: { i } })).id);
		}
		const runs = new Map<number, number>();
		const handlers = {
			'notify.sms': async (_: unknown, { id }: JobContext) => {
				runs.set(id, (runs.get(id) ?? 0) + 1);
				await sleep(Math.random() * 5);
			},
		};
		const workers = [
			startWorker(t.db, handlers, { concurrency: 3, pollMs: 10, log }),
			startWorker(t.db, handlers, { concurrency: 3, pollMs: 10, log }),
		];
		try {
			await until(
				async () =>
					(
						await queryRows<{ n: number }>(
							t.db,
							sql`select count(*)::int as n from jobs where state = 'done'`,
						)
					)[0]!.n === 60,
			);
		} finally {
			await Promise.all(workers.map((w) => w.stop()));
		}
		expect([...runs.keys()].sort((a, b) => a - b)).toEqual(ids);
		expect([...runs.values()].every((n) => n === 1)).toBe(true);
		expect(lines).toEqual([]);
	});
});
