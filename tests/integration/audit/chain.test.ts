import { count, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Executor, type Tx } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, storedContent } from '../../../src/lib/server/audit/chain.ts';
import { appendAudit, sealAudit } from '../../../src/lib/server/audit/commands.ts';
import type { AuditVerification } from '../../../src/lib/server/audit/types.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import {
	allRows,
	append,
	chainRows,
	databaseError,
	disableGuard,
	inRolledBack,
	sealAll,
	staffEntry,
} from './helpers.ts';

async function countRows(db: Executor, pendingOnly = false): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(auditLog)
		.where(pendingOnly ? isNull(auditLog.seq) : undefined);
	return row?.n ?? 0;
}

describe.each(drivers)('audit log on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	it('appends unsealed entries; sealing chains them from the genesis hash in id order', async () => {
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
		const unsealed = await allRows(t.db);
		expect(unsealed.map((r) => [r.id, r.at.getTime()])).toEqual(
			appended.map((a) => [a.id, a.at.getTime()]),
		);
		expect(unsealed.map((r) => [r.seq, r.prevHash, r.hash])).toEqual(
			Array.from({ length: 3 }, () => [null, null, null]),
		);
		// Pending entries are not a failure: they are reported.
		expect(await verifyAuditChain(t.db)).toEqual({
			ok: true,
			entries: 0,
			head: null,
			pending: 3,
			oldestPendingAt: at,
		});

		expect(await sealAudit(t.db)).toBe(3);
		const rows = await allRows(t.db);
		expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
		expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
		expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
		expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
		for (const row of rows) expect(row.hash).toBe(hashEntry(row.prevHash!, storedContent(row)));
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
			head: { id: rows[2]!.id, seq: 3, hash: rows[2]!.hash, at: rows[2]!.at },
			pending: 0,
			oldestPendingAt: null,
		});
		expect(await sealAudit(t.db)).toBe(0);
	});

	it('leaves nothing behind from a rolled-back transaction, and the chain continues past the gap', async () => {
		const [head] = (await chainRows(t.db)).slice(-1);
		const before = await countRows(t.db);
		await inRolledBack(t.db, async (tx) => {
			await appendAudit(tx, staffEntry(10));
			await appendAudit(tx, staffEntry(11));
			expect(await countRows(tx)).toBe(before + 2);
		});
		expect(await countRows(t.db)).toBe(before);
		expect(await sealAudit(t.db)).toBe(0);
		const next = await append(t.db, staffEntry(12));
		expect(next.id).toBeGreaterThan(head!.id + 1); // the sequence is not rolled back
		expect(await sealAudit(t.db)).toBe(1);
		const [sealed] = await t.db.select().from(auditLog).where(eq(auditLog.id, next.id));
		expect(sealed).toMatchObject({ seq: head!.seq! + 1, prevHash: head!.hash });
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

	it('seals and verifies a long chain in batches of any size', async () => {
		for (let batch = 0; batch < 4; batch++) {
			await t.db.transaction(async (tx) => {
				for (let i = 0; i < 30; i++) await appendAudit(tx, staffEntry(100 + batch * 30 + i));
			});
		}
		expect(await sealAll(t.db, 7)).toBe(120);
		const total = await countRows(t.db);
		expect(total).toBeGreaterThanOrEqual(124);
		expect((await chainRows(t.db)).map((r) => r.seq)).toEqual(
			Array.from({ length: total }, (_, i) => i + 1),
		);
		for (const batchSize of [1, 7, total, total + 1, 5_000]) {
			expect(await verifyAuditChain(t.db, { batchSize })).toMatchObject({
				ok: true,
				entries: total,
				pending: 0,
			});
		}
	});

	describe('the append-only triggers', () => {
		beforeAll(async () => {
			await append(t.db, staffEntry(40)); // one pending entry next to the sealed ones
		});

		const pendingId = sql`(select min(id) from audit_log where seq is null)`;
		const sealedId = sql`(select max(id) from audit_log where seq is not null)`;
		const hex = (c: string) => c.repeat(64);
		it.each([
			['DELETE', sql`delete from audit_log`],
			['DELETE matching no row', sql`delete from audit_log where id < 0`],
			['TRUNCATE', sql`truncate audit_log`],
			[
				'an UPDATE of a sealed entry',
				sql`update audit_log set action = 'x.y' where id = ${sealedId}`,
			],
			['an UPDATE of every entry, even a no-op one', sql`update audit_log set action = action`],
			[
				'an UPDATE of a pending entry’s content',
				sql`update audit_log set details = '{"n": 999}' where id = ${pendingId}`,
			],
			[
				'sealing a pending entry while changing its content',
				sql`update audit_log set seq = 1000000, prev_hash = ${hex('a')}, hash = ${hex('b')},
					target_id = '999' where id = ${pendingId}`,
			],
			[
				'setting only part of the chain columns',
				sql`update audit_log set seq = 1000000 where id = ${pendingId}`,
			],
			[
				'sealing a sealed entry again',
				sql`update audit_log set seq = 1000000, prev_hash = ${hex('a')}, hash = ${hex('b')}
					where id = ${sealedId}`,
			],
			[
				'unsealing a sealed entry',
				sql`update audit_log set seq = null, prev_hash = null, hash = null where id = ${sealedId}`,
			],
		])('refuse %s', async (_name, statement) => {
			const before = await allRows(t.db);
			expect(await databaseError(t.db.execute(statement))).toMatch(/audit_log is append-only/);
			expect(await allRows(t.db)).toEqual(before);
		});

		it('allow exactly the seal: chain columns of a pending entry set once, content unchanged', async () => {
			const sealed = await inRolledBack(t.db, (tx) =>
				queryRows<{ seq: string }>(
					tx,
					sql`update audit_log set seq = 1000000, prev_hash = ${hex('a')}, hash = ${hex('b')}
						where id = ${pendingId} returning seq::text`,
				),
			);
			expect(sealed).toEqual([{ seq: '1000000' }]);
		});

		it('make sealing the same entries twice impossible', async () => {
			expect(await sealAudit(t.db)).toBe(1);
			const before = await allRows(t.db);
			expect(await sealAudit(t.db)).toBe(0);
			// What a sealer that skipped the lock and read a stale snapshot would write:
			const [head] = before.slice(-1);
			const again = t.db.execute(sql`update audit_log as a
				set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
				from (values (${head!.id}::bigint, ${head!.seq! + 1}::bigint, ${head!.hash}, ${hex('c')}))
					as v(id, seq, prev_hash, hash)
				where a.id = v.id`);
			expect(await databaseError(again)).toMatch(/audit_log is append-only/);
			expect(await allRows(t.db)).toEqual(before);
			expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
		});
	});

	it('refuses a second entry at the same place or following the same entry, so the chain cannot fork', async () => {
		const [head] = (await chainRows(t.db)).slice(-1);
		const insert = (seq: number, prevHash: string) =>
			t.db.execute(sql`insert into audit_log (at, actor_kind, action, seq, prev_hash, hash)
				values (now(), 'system', 'fork.attempt', ${seq}, ${prevHash}, ${'a'.repeat(64)})`);
		expect(await databaseError(insert(head!.seq! + 1, head!.prevHash!))).toMatch(
			/audit_log_prev_hash_uq/,
		);
		expect(await databaseError(insert(head!.seq!, 'e'.repeat(64)))).toMatch(/audit_log_seq_uq/);
		const partial = t.db.execute(sql`insert into audit_log (at, actor_kind, action, hash)
			values (now(), 'system', 'half.sealed', ${'d'.repeat(64)})`);
		expect(await databaseError(partial)).toMatch(/audit_log_chain_ck/);
	});

	/** Rewrites sealed history inside a rolled-back transaction and reports what verification saw. */
	async function tampered(work: (tx: Tx, ids: number[]) => Promise<unknown>) {
		return inRolledBack(t.db, async (tx): Promise<[AuditVerification, number[]]> => {
			const ids = (await chainRows(tx)).map((r) => r.id);
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
				const hash = hashEntry(row!.prevHash!, { ...storedContent(row!), details });
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
			'an entry taken out of the chain (unsealed again)',
			(tx, ids) =>
				tx.execute(
					sql`update audit_log set seq = null, prev_hash = null, hash = null where id = ${ids[5]}`,
				),
			at(6),
			'prev_hash_mismatch',
			5,
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
		[
			'two swapped places in the chain',
			async (tx, ids) => {
				await tx.execute(sql`alter table audit_log drop constraint audit_log_seq_uq`);
				await tx.execute(sql`update audit_log a set seq = (select seq from audit_log b
					where b.id = case a.id when ${ids[7]}::bigint then ${ids[8]}::bigint else ${ids[7]}::bigint end)
					where a.id in (${ids[7]}::bigint, ${ids[8]}::bigint)`);
			},
			at(8),
			'prev_hash_mismatch',
			7,
		],
	])(
		'detects %s and names the first broken entry',
		async (_name, work, brokenId, reason, intact) => {
			const [result, ids] = await tampered(work);
			expect(result).toMatchObject({
				ok: false,
				entries: intact,
				firstBroken: { id: brokenId(ids), reason },
			});
		},
	);

	it('is intact again once the tampering is rolled back, with the guard back on', async () => {
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
		expect(await databaseError(t.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
		expect(await databaseError(t.db.execute(sql`update audit_log set action = 'x.y'`))).toMatch(
			/append-only/,
		);
		expect(await countRows(t.db, true)).toBe(0);
	});
});
