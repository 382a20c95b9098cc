import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type DatabaseHandle } from '../../../db/client.ts';
import {
	enqueue,
	runDueJobs,
	startWorker,
	type JobContext,
	type RunOptions,
} from '../../../src/lib/server/jobs/queue.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

const errors: unknown[] = [];
const log = {
	error: (...args: unknown[]) => void errors.push(args),
	warn: (...args: unknown[]) => void errors.push(args),
} as unknown as NonNullable<RunOptions['log']>;

/**
 * Several app instances on one PostgreSQL server: each has its own connection pool, as two
 * processes would. Only the real server has more than one connection, so only it runs here.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('job queue across two instances (postgres)', () => {
	let t: TestDatabase;
	let other: DatabaseHandle;

	beforeAll(async () => {
		t = await createTestDatabase('postgres');
		other = await openDatabase({ databaseUrl: t.url!, poolMax: 10 });
	});
	afterAll(async () => {
		await other?.close();
		await t?.close();
	});

	const doneCount = async () =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from jobs where state = 'done'`,
			)
		)[0]!.n;

	it('two workers racing over 200 jobs run each exactly once', async () => {
		await t.db.execute(sql`delete from jobs`);
		const ids = new Set<number>();
		await t.db.transaction(async (tx) => {
			for (let i = 0; i < 200; i++) {
				ids.add((await enqueue(tx, { kind: 'notify.sms', payload: { i } })).id);
			}
		});
		const runs = new Map<number, number>();
		const byWorker = [0, 0];
		const handlersFor = (worker: number) => ({
			'notify.sms': async (_: unknown, { id }: JobContext) => {
				runs.set(id, (runs.get(id) ?? 0) + 1);
				byWorker[worker]!++;
				await sleep(Math.random() * 4);
			},
		});
		const options = { concurrency: 4, pollMs: 10, leaseMs: 30_000, log };
		const workers = [
			startWorker(t.db, handlersFor(0), options),
			startWorker(other.db, handlersFor(1), options),
		];
		try {
			const deadline = Date.now() + 30_000;
			while ((await doneCount()) < 200 && Date.now() < deadline) await sleep(25);
		} finally {
			await Promise.all(workers.map((w) => w.stop()));
		}

		expect(await doneCount()).toBe(200);
		expect(new Set(runs.keys())).toEqual(ids);
		const repeated = [...runs].filter(([, n]) => n !== 1);
		expect(repeated).toEqual([]);
		// Both instances took part: the claims really raced.
		expect(byWorker[0]).toBeGreaterThan(0);
		expect(byWorker[1]).toBeGreaterThan(0);
		expect(byWorker[0]! + byWorker[1]!).toBe(200);
		expect(errors).toEqual([]);
	});

	it('two runDueJobs calls racing over 100 jobs run each exactly once', async () => {
		await t.db.execute(sql`delete from jobs`);
		for (let i = 0; i < 100; i++) await enqueue(t.db, { kind: 'images.variants', payload: { i } });
		const runs = new Map<number, number>();
		const handlers = {
			'images.variants': async (_: unknown, { id }: JobContext) =>
				void runs.set(id, (runs.get(id) ?? 0) + 1),
		};
		const [a, b] = await Promise.all([
			runDueJobs(t.db, handlers, { limit: 1_000, log }),
			runDueJobs(other.db, handlers, { limit: 1_000, log }),
		]);
		expect(a.done + b.done).toBe(100);
		expect(runs.size).toBe(100);
		expect([...runs.values()].every((n) => n === 1)).toBe(true);
	});

	it('two instances enqueueing the same key at once create one job', async () => {
		await t.db.execute(sql`delete from jobs`);
		const results = await Promise.all(
			[t.db, other.db, t.db, other.db].map((db) =>
				db.transaction(async (tx) => {
					const result = await enqueue(tx, {
						kind: 'notify.comment',
						payload: { commentId: 5 },
						key: 'comment:5',
					});
					await sleep(50); // hold the transaction open while the others try
					return result;
				}),
			),
		);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(new Set(results.map((r) => r.id)).size).toBe(1);
		const rows = await queryRows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from jobs where kind = 'notify.comment'`,
		);
		expect(rows[0]!.n).toBe(1);
	});
});
