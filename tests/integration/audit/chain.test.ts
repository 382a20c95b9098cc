import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type Executor, type Tx } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry } from '../../../src/lib/server/audit/chain.ts';
import { appendAudit } from '../../../src/lib/server/audit/commands.ts';
import type { AuditContent, AuditVerification } from '../../../src/lib/server/audit/types.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import {
	allRows,
	append,
	databaseError,
	disableGuard,
	inRolledBack,
	staffEntry,
} from './helpers.ts';

async function countRows(db: Executor): Promise<number> {
	const [row] = await db.select({ n: count() }).from(auditLog);
	return row?.n ?? 0;
}

describe.each(drivers)('audit log on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	it('starts at the genesis hash and links each entry to the one before', async () => {
		const at = new Date('2026-11-05T01:02:03.456Z');
		const appended = [
			await append(t.db, staffEntry(1, { at, communityId: 3 })),
			await append(t.db, {
				actorId: 'u_resident',
				actorKind: 'resident',
				action: 'ballot.cast',
				targetType: 'ballot',
				targetId: 'b_1',
				details: {
					选项: '同意',
					items: [
						{ id: 2, agree: true },
						{ id: 1, agree: false },
					],
					area: 65.4,
				},
			}),
			await append(t.db, { actorId: null, actorKind: 'system', action: 'round.closed' }),
		];
		const rows = await allRows(t.db);
		expect(rows).toHaveLength(3);
		expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
		expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
		expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
		expect(rows.map((r) => [r.id, r.hash, r.prevHash, r.at.getTime()])).toEqual(
			appended.map((a) => [a.id, a.hash, a.prevHash, a.at.getTime()]),
		);
		expect(rows[0]!.at.toISOString()).toBe('2026-11-05T01:02:03.456Z');
		expect(rows[0]!.targetId).toBe('1');
		expect(rows[1]!.details).toEqual({
			选项: '同意',
			items: [
				{ id: 2, agree: true },
				{ id: 1, agree: false },
			],
			area: 65.4,
		});
		expect(rows[2]).toMatchObject({
			actorId: null,
			targetType: null,
			communityId: null,
			details: {},
		});
		expect(await verifyAuditChain(t.db)).toEqual({
			ok: true,
			entries: 3,
			head: { id: rows[2]!.id, hash: rows[2]!.hash },
		});
	});

	it('leaves nothing behind from a rolled-back transaction, and the chain continues past the gap', async () => {
		const [head] = (await allRows(t.db)).slice(-1);
		const before = await countRows(t.db);
		await inRolledBack(t.db, async (tx) => {
			await appendAudit(tx, staffEntry(10));
			await appendAudit(tx, staffEntry(11));
			expect(await countRows(tx)).toBe(before + 2);
		});
		expect(await countRows(t.db)).toBe(before);
		const next = await append(t.db, staffEntry(12));
		expect(next.prevHash).toBe(head!.hash);
		expect(next.id).toBeGreaterThan(head!.id + 1); // the sequence is not rolled back
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: before + 1 });
	});

	it('rolls the entry back with the change it records when the transaction fails', async () => {
		const before = await countRows(t.db);
		await expect(
			t.db.transaction(async (tx) => {
				await appendAudit(tx, staffEntry(20));
				await appendAudit(tx, staffEntry(21, { action: 'not dotted' }));
			}),
		).rejects.toThrow(/action/);
		expect(await countRows(t.db)).toBe(before);
	});

	it('refuses to append outside a transaction', async () => {
		const before = await countRows(t.db);
		await expect(appendAudit(t.db as unknown as Tx, staffEntry(30))).rejects.toThrow(
			/inside the transaction/,
		);
		expect(await countRows(t.db)).toBe(before);
	});

	it('verifies a long chain in batches of any size', async () => {
		for (let batch = 0; batch < 4; batch++) {
			await t.db.transaction(async (tx) => {
				for (let i = 0; i < 30; i++) await appendAudit(tx, staffEntry(100 + batch * 30 + i));
			});
		}
		const total = await countRows(t.db);
		expect(total).toBeGreaterThanOrEqual(124);
		for (const batchSize of [1, 7, total, total + 1, 5_000]) {
			expect(await verifyAuditChain(t.db, { batchSize })).toMatchObject({
				ok: true,
				entries: total,
			});
		}
	});

	it.each([
		['UPDATE', sql`update audit_log set action = 'x.y'`],
		['UPDATE matching no row', sql`update audit_log set action = 'x.y' where false`],
		['DELETE', sql`delete from audit_log`],
		['DELETE matching no row', sql`delete from audit_log where id < 0`],
		['TRUNCATE', sql`truncate audit_log`],
	])('refuses %s', async (_name, statement) => {
		const before = await allRows(t.db);
		expect(await databaseError(t.db.execute(statement))).toMatch(/audit_log is append-only/);
		expect(await allRows(t.db)).toEqual(before);
	});

	it('refuses a second entry following the same entry, so the chain cannot fork', async () => {
		const [head] = (await allRows(t.db)).slice(-1);
		const fork = t.db.execute(sql`insert into audit_log (at, actor_kind, action, prev_hash, hash)
			values (now(), 'system', 'fork.attempt', ${head!.prevHash}, ${'a'.repeat(64)})`);
		expect(await databaseError(fork)).toMatch(/audit_log_prev_hash_uq/);
	});

	/** Rewrites history inside a rolled-back transaction and reports what verification saw. */
	async function tampered(work: (tx: Tx, ids: number[]) => Promise<unknown>) {
		return inRolledBack(t.db, async (tx): Promise<[AuditVerification, number[]]> => {
			const ids = (await allRows(tx)).map((r) => r.id);
			await disableGuard(tx);
			await work(tx, ids);
			return [await verifyAuditChain(tx, { batchSize: 4 }), ids];
		});
	}

	const at = (i: number) => (ids: number[]) => ids[i]!;
	it.each<
		[string, (tx: Tx, ids: number[]) => Promise<unknown>, (ids: number[]) => number, string, number]
	>([
		[
			'a changed details value',
			(tx, ids) =>
				tx.execute(
					sql`update audit_log set details = jsonb_set(details, '{n}', '999') where id = ${ids[5]}`,
				),
			at(5),
			'hash_mismatch',
			5,
		],
		[
			'a changed action',
			(tx, ids) =>
				tx.execute(sql`update audit_log set action = 'project.deleted' where id = ${ids[5]}`),
			at(5),
			'hash_mismatch',
			5,
		],
		[
			'a timestamp moved by one millisecond',
			(tx, ids) =>
				tx.execute(
					sql`update audit_log set at = at + interval '1 millisecond' where id = ${ids[5]}`,
				),
			at(5),
			'hash_mismatch',
			5,
		],
		[
			'a replaced hash',
			(tx, ids) =>
				tx.execute(sql`update audit_log set hash = ${'b'.repeat(64)} where id = ${ids[5]}`),
			at(5),
			'hash_mismatch',
			5,
		],
		[
			'an edited entry whose hash was recomputed',
			async (tx, ids) => {
				const [row] = await tx.select().from(auditLog).where(eq(auditLog.id, ids[5]!));
				const details = { ...row!.details, n: 999 };
				const { id: _id, prevHash: _prev, hash: _hash, ...fields } = row!;
				const content: AuditContent = { ...fields, at: row!.at.toISOString(), details };
				const hash = hashEntry(row!.prevHash, content);
				await tx.update(auditLog).set({ details, hash }).where(eq(auditLog.id, ids[5]!));
			},
			at(6),
			'prev_hash_mismatch',
			6,
		],
		[
			'a removed entry',
			(tx, ids) => tx.execute(sql`delete from audit_log where id = ${ids[5]}`),
			at(6),
			'prev_hash_mismatch',
			5,
		],
		[
			'a removed first entry',
			(tx, ids) => tx.execute(sql`delete from audit_log where id = ${ids[0]}`),
			at(1),
			'prev_hash_mismatch',
			0,
		],
		[
			'two swapped entries',
			async (tx, ids) => {
				await tx.execute(sql`alter table audit_log drop constraint audit_log_hash_uq`);
				await tx.execute(sql`alter table audit_log drop constraint audit_log_prev_hash_uq`);
				await tx.execute(sql`update audit_log a set
					(at, actor_id, actor_kind, action, target_type, target_id, community_id, details, prev_hash, hash) =
					(select at, actor_id, actor_kind, action, target_type, target_id, community_id, details, prev_hash, hash
					 from audit_log b where b.id = case a.id when ${ids[7]}::bigint then ${ids[8]}::bigint else ${ids[7]}::bigint end)
					where a.id in (${ids[7]}::bigint, ${ids[8]}::bigint)`);
			},
			at(7),
			'prev_hash_mismatch',
			7,
		],
	])(
		'detects %s and names the first broken entry',
		async (_name, work, brokenId, reason, intact) => {
			const [result, ids] = await tampered(work);
			expect(result).toEqual({
				ok: false,
				entries: intact,
				firstBroken: { id: brokenId(ids), reason },
			});
		},
	);

	it('is intact again once the tampering is rolled back, with the guard back on', async () => {
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
		expect(await databaseError(t.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
	});

	it('serialises 50 concurrent transactions on separate connections into one chain', async () => {
		const before = await countRows(t.db);
		const pool = t.url ? await openDatabase({ databaseUrl: t.url, poolMax: 50 }) : null;
		const db = pool?.db ?? t.db;
		try {
			const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
			const pids = await Promise.all(
				Array.from({ length: 50 }, (_, i) =>
					db.transaction(async (tx) => {
						await sleep(Math.random() * 20);
						const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
						await appendAudit(tx, staffEntry(1_000 + i, { action: 'ballot.cast' }));
						// Hold the lock a little before committing: a waiter must see this entry.
						await tx.execute(sql`select pg_sleep(0.002)`);
						return row!.pid;
					}),
				),
			);
			if (driver === 'postgres') expect(new Set(pids).size).toBeGreaterThan(10);
		} finally {
			await pool?.close();
		}
		expect(await countRows(t.db)).toBe(before + 50);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: before + 50 });
	});
});
