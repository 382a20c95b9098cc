import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type Db, type DatabaseHandle } from '../../../db/client.ts';
import {
	AUDIT_LOCK_KEY,
	AuditSealError,
	appendAudit,
	sealAudit,
} from '../../../src/lib/server/audit/commands.ts';
import { startAuditSealer, type AuditSealerOptions } from '../../../src/lib/server/audit/sealer.ts';
import { getAuditPending, verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { diffSnapshots, snapshotDatabase } from '../../security/snapshot.ts';
import {
	allRows,
	append,
	chainRows,
	databaseError,
	disableGuard,
	enableGuard,
	sealAll,
	staffEntry,
} from './helpers.ts';

class Rollback extends Error {}

/** Polls `check` every 10 ms until it holds, failing after `ms`. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('timed out');
		await sleep(10);
	}
}

/** The chain is one line: seq 1…n without gaps, each entry following the one before. */
async function expectOneChain(db: Db, entries: number): Promise<void> {
	expect(await verifyAuditChain(db, { batchSize: 50 })).toMatchObject({
		ok: true,
		entries,
		pending: 0,
	});
	const rows = await chainRows(db);
	expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
	expect(new Set(rows.map((r) => r.prevHash)).size).toBe(entries);
}

describe.each(drivers)('sealing the audit log on %s', (driver) => {
	let t: TestDatabase;
	/** A second application instance: its own pool on the server, the same handle on PGlite. */
	let other: DatabaseHandle | null = null;
	let otherDb: Db;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
		other = t.url ? await openDatabase({ databaseUrl: t.url, poolMax: 40 }) : null;
		otherDb = other?.db ?? t.db;
	});
	afterAll(async () => {
		await other?.close();
		await t?.close();
	});

	it('takes 200 concurrent appends on separate connections without a lock; sealing makes one chain of the committed ones', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 200 }, (_, i) =>
				otherDb.transaction(async (tx) => {
					await sleep(Math.random() * 20);
					const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
					const { id } = await appendAudit(tx, staffEntry(1_000 + i, { action: 'ballot.cast' }));
					await tx.execute(sql`select pg_sleep(0.002)`);
					if (i % 10 === 9) throw new Rollback(`roll back #${id}`); // the change failed
					return { pid: row!.pid, id };
				}),
			),
		);
		const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
		expect(committed).toHaveLength(180);
		expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(
			Array.from({ length: 20 }, () => expect.any(Rollback)),
		);
		if (driver === 'postgres')
			expect(new Set(committed.map((c) => c.pid)).size).toBeGreaterThan(10);
		expect(await getAuditPending(t.db)).toMatchObject({ pending: 180 });

		expect(await sealAll(t.db, 64)).toBe(180);
		await expectOneChain(t.db, 180);
		const ids = (await allRows(t.db)).map((r) => r.id);
		expect(ids).toEqual(committed.map((c) => c.id).sort((a, b) => a - b));
	});

	it.runIf(driver === 'postgres')(
		'keeps 40 auditing transactions open at once: none waits for another, none takes a lock',
		async () => {
			let appended = 0;
			let release!: () => void;
			const allAppended = new Promise<void>((resolve) => (release = resolve));
			const open = Array.from({ length: 40 }, (_, i) =>
				otherDb.transaction(async (tx) => {
					await appendAudit(tx, staffEntry(2_000 + i));
					if (++appended === 40) release();
					await allAppended; // with a serialising lock, the second append would never return
				}),
			);
			const giveUp = setTimeout(() => release(), 10_000);
			await allAppended;
			clearTimeout(giveUp);
			expect(appended).toBe(40);
			const [locks] = await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from pg_locks where locktype = 'advisory'
					and database = (select oid from pg_database where datname = current_database())`,
			);
			await Promise.all(open);
			expect(locks!.n).toBe(0);
			expect(await sealAll(t.db)).toBe(40);
			await expectOneChain(t.db, 220);
		},
	);

	it.runIf(driver === 'postgres')(
		'makes a sealer that waited for another chain onto what the other sealed',
		async () => {
			for (let i = 0; i < 3; i++)
				await t.db.transaction(async (tx) => {
					for (let j = 0; j < 100; j++) await appendAudit(tx, staffEntry(3_000 + i * 100 + j));
				});
			// A sealer mid-pass holds the lock; two more start (one per instance) and queue up.
			const holder = (t.db as unknown as { $client: Sql }).$client;
			const reserved = await holder.reserve();
			await reserved`select pg_advisory_lock(${AUDIT_LOCK_KEY})`;
			const racing = [sealAudit(t.db), sealAudit(otherDb)];
			await until(async () => {
				const [row] = await queryRows<{ n: number }>(
					t.db,
					sql`select count(*)::int as n from pg_locks
						where locktype = 'advisory' and objid = ${AUDIT_LOCK_KEY} and not granted`,
				);
				return row!.n === 2;
			});
			await reserved`select pg_advisory_unlock(${AUDIT_LOCK_KEY})`;
			reserved.release();
			expect((await Promise.all(racing)).sort((a, b) => a - b)).toEqual([0, 300]);
			await expectOneChain(t.db, 520);
		},
	);

	it('makes one chain when two instances seal in a loop while others append', async () => {
		const before = (await chainRows(t.db)).length;
		const sealers = [t.db, otherDb].map((db) => startAuditSealer(db, { intervalMs: 2, limit: 7 }));
		try {
			await Promise.all(
				Array.from({ length: 150 }, (_, i) =>
					otherDb.transaction(async (tx) => {
						await sleep(Math.random() * 30);
						await appendAudit(tx, staffEntry(4_000 + i));
					}),
				),
			);
			await until(async () => (await getAuditPending(t.db)).pending === 0);
		} finally {
			await Promise.all(sealers.map((s) => s.stop()));
		}
		await expectOneChain(t.db, before + 150);
	});

	it('refuses a batch that no sealer could make twice (a stale sealer without the lock)', async () => {
		await append(t.db, staffEntry(5_000));
		const [pending] = (await allRows(t.db)).slice(-1);
		const [head] = (await chainRows(t.db)).slice(-1);
		expect(await sealAudit(t.db)).toBe(1);
		// A second sealer that read the same head and pending entry before the first committed:
		const stale = t.db.execute(sql`update audit_log as a
			set seq = ${head!.seq! + 1}, prev_hash = ${head!.hash}, hash = ${'f'.repeat(64)}
			where a.id = ${pending!.id}`);
		expect(await databaseError(stale)).toMatch(/audit_log is append-only/);
		await expectOneChain(t.db, head!.seq! + 1);
	});

	it('changes no content: the security corpus fingerprint stays the same', async () => {
		await append(t.db, staffEntry(5_500));
		const before = await snapshotDatabase(t.db);
		expect(await sealAudit(t.db)).toBe(1);
		expect(diffSnapshots(before, await snapshotDatabase(t.db))).toEqual([]);
	});

	describe('the sealer loop', () => {
		const errors: unknown[][] = [];
		const log = {
			error: (...args: unknown[]) => void errors.push(args),
		} as unknown as NonNullable<AuditSealerOptions['log']>;

		it('seals within its interval and stops after the pass in progress', async () => {
			const sealer = startAuditSealer(t.db, { intervalMs: 20, log });
			try {
				await append(t.db, staffEntry(6_000));
				await until(async () => (await getAuditPending(t.db)).pending === 0, 5_000);
			} finally {
				await sealer.stop();
			}
			await sealer.stop(); // idempotent
			await append(t.db, staffEntry(6_001));
			await sleep(60);
			expect((await getAuditPending(t.db)).pending).toBe(1); // stopped: nothing sealed now
			expect(errors).toEqual([]);
			expect(() => startAuditSealer(t.db, { intervalMs: 0 })).toThrow(RangeError);
		});

		it('logs an entry it cannot hash, seals the ones before it and keeps retrying', async () => {
			const nested = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
			// Written around appendAudit (raw SQL): content no writer could have hashed.
			const [bad] = await queryRows<{ id: number }>(
				t.db,
				sql`insert into audit_log (at, actor_kind, action, details)
					values (now(), 'system', 'raw.insert', ${`{"deep":${nested}}`}::jsonb) returning id`,
			);
			await append(t.db, staffEntry(6_002));
			await expect(sealAudit(t.db)).rejects.toThrow(AuditSealError);
			await expect(sealAudit(t.db)).rejects.toThrow(
				new RegExp(`audit entry #${bad!.id} cannot be hashed`),
			);
			expect((await getAuditPending(t.db)).pending).toBe(2); // 6_001 was sealed before it

			const sealer = startAuditSealer(t.db, { intervalMs: 5, log });
			try {
				await until(async () => errors.length >= 2, 5_000);
			} finally {
				await sealer.stop();
			}
			expect(errors[0]).toEqual([
				{ err: expect.any(AuditSealError), failures: 1 },
				'audit: sealing failed; retrying',
			]);
			expect(errors[1]![0]).toMatchObject({ failures: 2 });

			// Only the table owner can take it out; then the rest is sealed.
			await t.db.transaction(async (tx) => {
				await disableGuard(tx);
				await tx.execute(sql`delete from audit_log where id = ${bad!.id}`);
				await enableGuard(tx);
			});
			expect(await sealAudit(t.db)).toBe(1);
			expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
		});
	});
});
