import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	migrationsFolder,
	openDatabase,
	queryRows,
	type DatabaseHandle,
} from '../../../db/client.ts';
import { GENESIS_HASH, hashEntry, normaliseEntry } from '../../../src/lib/server/audit/chain.ts';
import { sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createServerDatabase, drivers } from '../../helpers/test-db.ts';
import { allRows, append, databaseError, staffEntry } from './helpers.ts';

const SEAL_MIGRATION = '0022_audit_seal_after_commit';

/** A copy of the migrations folder whose journal stops before the seal migration. */
function migrationsBeforeSeal(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'gj-audit-migrations-'));
	cpSync(migrationsFolder(), dir, { recursive: true });
	const file = path.join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
	const index = journal.entries.findIndex((entry) => entry.tag === SEAL_MIGRATION);
	expect(index).toBeGreaterThan(0);
	journal.entries = journal.entries.slice(0, index);
	writeFileSync(file, JSON.stringify(journal));
	return dir;
}

async function migrateFrom(handle: DatabaseHandle, folder: string): Promise<void> {
	if (handle.kind === 'pglite')
		await migratePglite(handle.db as never, { migrationsFolder: folder });
	else await migratePostgres(handle.db as never, { migrationsFolder: folder });
}

describe.each(drivers)('the seal migration on %s', (driver) => {
	let handle: DatabaseHandle;
	let drop = async () => {};
	const before = migrationsBeforeSeal();
	const oldHashes: string[] = [];

	beforeAll(async () => {
		if (driver === 'pglite') handle = await openDatabase({ pgliteDir: null });
		else {
			const created = await createServerDatabase();
			drop = created.drop;
			handle = await openDatabase({ databaseUrl: created.url, poolMax: 4 });
		}
		await migrateFrom(handle, before);
		// A log written by the old appendAudit: chained in id order, with a gap (a rollback).
		let prevHash = GENESIS_HASH;
		for (let i = 0; i < 5; i++) {
			if (i === 2) await handle.db.execute(sql`select nextval('audit_log_id_seq')`);
			const { content, at } = normaliseEntry(staffEntry(i));
			const hash = hashEntry(prevHash, content);
			await handle.db.execute(sql`insert into audit_log
				(at, actor_id, actor_kind, action, target_type, target_id, community_id, details, prev_hash, hash)
				values (${at.toISOString()}, ${content.actorId}, ${content.actorKind}, ${content.action},
					${content.targetType}, ${content.targetId}, ${content.communityId},
					${JSON.stringify(content.details)}::jsonb, ${prevHash}, ${hash})`);
			oldHashes.push(hash);
			prevHash = hash;
		}
		await migrateFrom(handle, migrationsFolder());
	}, 120_000);
	afterAll(async () => {
		await handle?.close();
		await drop();
		rmSync(before, { recursive: true, force: true });
	});

	it('places the existing entries in the chain in id order, keeping their hashes', async () => {
		const rows = await allRows(handle.db);
		expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
		expect(rows.map((r) => r.hash)).toEqual(oldHashes);
		expect(rows[2]!.id).toBe(rows[1]!.id + 2);
		expect(await verifyAuditChain(handle.db)).toMatchObject({
			ok: true,
			entries: 5,
			head: { id: rows[4]!.id, seq: 5, hash: oldHashes[4] },
			pending: 0,
		});
	});

	it('leaves the append-only guard on, and new entries chain onto the old head', async () => {
		expect(
			await databaseError(handle.db.execute(sql`update audit_log set action = 'x.y'`)),
		).toMatch(/audit_log is append-only/);
		expect(await databaseError(handle.db.execute(sql`delete from audit_log`))).toMatch(
			/audit_log is append-only/,
		);
		const [triggers] = await queryRows<{ n: number }>(
			handle.db,
			sql`select count(*)::int as n from pg_trigger
				where tgrelid = 'audit_log'::regclass and not tgisinternal and tgenabled = 'O'`,
		);
		expect(triggers!.n).toBe(2);
		const next = await append(handle.db, staffEntry(5));
		expect(await sealAudit(handle.db)).toBe(1);
		const [row] = (await allRows(handle.db)).slice(-1);
		expect(row).toMatchObject({ id: next.id, seq: 6, prevHash: oldHashes[4] });
		expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, entries: 6 });
	});
});
