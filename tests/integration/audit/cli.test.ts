import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../../db/client.ts';
import { appendAudit } from '../../../src/lib/server/audit/commands.ts';
import { createServerDatabase, drivers } from '../../helpers/test-db.ts';
import { allRows, disableGuard, enableGuard, staffEntry } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type Run = { code: number; stdout: string; stderr: string };

/** Runs `node db/audit-verify.ts` (what `npm run audit:verify` runs) against `env`. */
function runVerify(env: Record<string, string>, args: string[] = []): Promise<Run> {
	const { DATABASE_URL: _url, PGLITE_DIR: _dir, ...inherited } = process.env;
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['db/audit-verify.ts', ...args],
			{ cwd: root, env: { ...inherited, ...env }, timeout: 60_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

describe.each(drivers)('npm run audit:verify on %s', (driver) => {
	let env: Record<string, string>;
	let cleanup = async () => {};
	// The CLI opens the database itself: a PGlite folder must be closed (and unlocked) first.
	const withDatabase = async (work: (handle: DatabaseHandle) => Promise<void>) => {
		const handle = await openDatabase(
			env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { pgliteDir: env.PGLITE_DIR! },
		);
		try {
			await work(handle);
		} finally {
			await handle.close();
		}
	};

	beforeAll(async () => {
		if (driver === 'postgres') {
			const created = await createServerDatabase();
			env = { DATABASE_URL: created.url };
			cleanup = created.drop;
		} else {
			const dir = mkdtempSync(path.join(tmpdir(), 'gj-audit-'));
			env = { PGLITE_DIR: path.join(dir, 'pglite') };
			cleanup = async () => rmSync(dir, { recursive: true, force: true });
		}
	});
	afterAll(async () => cleanup());

	it('says so when the table does not exist yet', async () => {
		const run = await runVerify(env);
		expect(run.stdout).toMatch(/^audit: no audit_log table here; run npm run db:migrate first$/m);
		expect(run.code).toBe(1);
	});

	it('seals what is pending, reports an intact chain with its head and exits 0', async () => {
		await withDatabase(async (handle) => {
			await migrateDatabase(handle);
			await handle.db.transaction(async (tx) => {
				for (let i = 1; i <= 3; i++) await appendAudit(tx, staffEntry(i));
			});
		});
		const run = await runVerify(env);
		expect(run.stdout).toMatch(/^audit: sealed 3 entries$/m);
		expect(run.stdout).toMatch(/^audit: 3 entries, chain intact$/m);
		expect(run.stdout).toMatch(/^audit: head: entry #3 \(seq 3\), hash [0-9a-f]{64}$/m);
		expect(run.stdout).toMatch(/^audit: 0 pending$/m);
		expect(run.code).toBe(0);
		const again = await runVerify(env);
		expect(again.stdout).toMatch(/^audit: sealed 0 entries$/m);
		expect(again.stdout).toMatch(/^audit: 3 entries, chain intact$/m);
		// The printed anchor proves the chain up to it later; a forged or unknown one fails.
		const anchor = /^audit: anchor: ([0-9a-f]{64}@3) at \S+$/m.exec(run.stdout)![1]!;
		const held = await runVerify(env, ['--anchor', anchor]);
		expect(held.stdout).toMatch(/^audit: 3 entries, chain intact, anchor seq 3 holds$/m);
		expect(held.code).toBe(0);
		const beyond = await runVerify(env, ['--anchor', anchor.replace('@3', '@4')]);
		expect(beyond.stdout).toMatch(/^audit: chain broken at entry #3 \(anchor_missing\)$/m);
		expect(beyond.code).toBe(1);
		const bad = await runVerify(env, ['--anchor', 'nonsense']);
		expect(bad.stderr.trim().split('\n')).toHaveLength(1);
		expect(bad.code).toBe(1);
	}, 60_000);

	it('names the first broken entry and exits 1', async () => {
		await withDatabase(async ({ db }) => {
			await db.transaction(async (tx) => {
				const [, second] = await allRows(tx);
				await disableGuard(tx);
				await tx.execute(sql`update audit_log set target_id = '99' where id = ${second!.id}`);
				await enableGuard(tx);
			});
		});
		const run = await runVerify(env);
		expect(run.stdout).toMatch(/^audit: chain broken at entry #2 \(hash_mismatch\)$/m);
		expect(run.code).toBe(1);
	}, 60_000);

	it('says when sealing fails and prints the pending entries with the oldest time', async () => {
		await withDatabase(async ({ db }) => {
			// Written around appendAudit: content nested deeper than any entry may be.
			const nested = `${'['.repeat(40)}${']'.repeat(40)}`;
			await db.execute(sql`insert into audit_log (at, actor_kind, action, details)
				values ('2026-11-05T01:02:03.456Z', 'system', 'raw.insert', ${`{"deep":${nested}}`}::jsonb)`);
			await db.transaction((tx) => appendAudit(tx, staffEntry(4)));
		});
		const run = await runVerify(env);
		expect(run.stdout).toMatch(
			/^audit: sealing failed after 0 entries \(audit entry #4 cannot be hashed .*\); verifying the sealed part$/m,
		);
		expect(run.stdout).toMatch(/^audit: chain broken at entry #2 \(hash_mismatch\)$/m);
		expect(run.stdout).toMatch(/^audit: 2 pending, oldest from 2026-11-05T01:02:03.456Z$/m);
		expect(run.code).toBe(1);
	}, 60_000);
});
