import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupPglite, backupPostgres } from '../../db/backup.ts';
import { migrateDatabase, openDatabase, queryRows, type DatabaseHandle } from '../../db/client.ts';
import { compareFingerprints, fingerprintDatabase } from '../../db/restore-drill.ts';
import { restorePglite, restorePostgres } from '../../db/restore.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { appendAudit, sealAudit } from '../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../src/lib/server/audit/verify.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
import { createPlanVersion } from '../factories/plans.ts';
import { createServerDatabase, serverUrl } from '../helpers/test-db.ts';

/** Content beyond the demo: audit entries (sealed: a chain to verify) and a plan version. */
async function addActivity(handle: DatabaseHandle): Promise<void> {
	for (let i = 0; i < 5; i++)
		await handle.db.transaction((tx) =>
			appendAudit(tx, {
				actorId: null,
				actorKind: 'system',
				action: 'backup.test_entry',
				targetType: 'test',
				targetId: String(i),
				details: { i, text: '备份测试 <b>' },
			}),
		);
	await sealAudit(handle.db); // as the server's sealer would, so the copy has a chain to check
	const [project] = await queryRows<{ id: number }>(
		handle.db,
		sql`select id from projects where slug = 'hongyan'`,
	);
	await createPlanVersion(handle.db, { projectId: project!.id, status: 'draft' });
}

describe.runIf(process.env.TEST_DATABASE_URL)('backups on PostgreSQL (pg_dump)', () => {
	let source: DatabaseHandle;
	let sourceUrl: string;
	const drops: (() => Promise<void>)[] = [];
	const dir = mkdtempSync(path.join(os.tmpdir(), 'gj-backup-'));

	beforeAll(async () => {
		const created = await createServerDatabase();
		drops.push(created.drop);
		sourceUrl = created.url;
		source = await openDatabase({ databaseUrl: sourceUrl, poolMax: 2 });
		await migrateDatabase(source);
		await seedDemo(source.db, { staffPassword: 'demo-staff-password', images: true });
		await addActivity(source);
	}, 120_000);

	afterAll(async () => {
		await source?.close();
		for (const drop of drops) await drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('restores into a fresh database with the same rows, tallies, sequences and an intact audit chain', async () => {
		const file = path.join(dir, 'backup.dump');
		await backupPostgres(sourceUrl, file);
		const copyUrl = serverUrl(`gj_test_restore_${process.pid}`);
		drops.push(async () => {
			const admin = await openDatabase({ databaseUrl: serverUrl('postgres'), poolMax: 1 });
			await admin.db.execute(
				sql.raw(`drop database if exists gj_test_restore_${process.pid} with (force)`),
			);
			await admin.close();
		});
		await restorePostgres(file, copyUrl);
		const copy = await openDatabase({ databaseUrl: copyUrl, poolMax: 2 });
		try {
			const [a, b] = [await fingerprintDatabase(source.db), await fingerprintDatabase(copy.db)];
			expect(compareFingerprints(a, b)).toEqual([]);
			expect(Object.keys(a.tables).length).toBeGreaterThan(20);
			expect(a.tables['public.audit_log']!.rows).toBeGreaterThanOrEqual(5);
			const audit = await verifyAuditChain(copy.db);
			expect(audit.ok && audit.entries).toBe(a.tables['public.audit_log']!.rows);
			// The comparison can fail: a changed row in the copy shows.
			await copy.db.execute(sql`update projects set name = name || '!' where slug = 'hongyan'`);
			const changed = compareFingerprints(a, await fingerprintDatabase(copy.db));
			expect(changed.find((line) => line.startsWith('public.projects:'))).toMatch(
				/same \d+ rows, different content/,
			);
		} finally {
			await copy.close();
		}
		// Restoring over data is refused, leaving it as it was.
		await expect(restorePostgres(file, copyUrl)).rejects.toThrow(BackupError);
	});

	it('npm run db:restore-drill backs up, restores into a throwaway database and finds it identical', () => {
		const run = spawnSync('npm', ['run', '-s', 'db:restore-drill'], {
			cwd: projectRoot,
			env: { ...process.env, DATABASE_URL: sourceUrl },
			encoding: 'utf8',
		});
		expect(run.status, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/compare: \d+ tables, \d+ rows, \d+ sequences: identical/);
		expect(run.stdout).toMatch(/audit chain on the copy: [1-9]\d* entries, intact/);
		expect(run.stdout).toContain('db:restore-drill: passed');
	}, 60_000);
});

describe('backups of the embedded database (PGlite data folder)', () => {
	it('round-trips the folder through db:backup / db:restore and refuses a used folder', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'gj-pglite-backup-'));
		try {
			const original = await openDatabase({ pgliteDir: path.join(dir, 'a') });
			await migrateDatabase(original);
			await seedDemo(original.db, {});
			await addActivity(original);
			const before = await fingerprintDatabase(original.db);
			await original.close();
			const file = path.join(dir, 'backup.tar.gz');
			await backupPglite(path.join(dir, 'a'), file);
			await restorePglite(file, path.join(dir, 'b'));
			const copy = await openDatabase({ pgliteDir: path.join(dir, 'b') });
			try {
				expect(compareFingerprints(before, await fingerprintDatabase(copy.db))).toEqual([]);
				expect((await verifyAuditChain(copy.db)).ok).toBe(true);
			} finally {
				await copy.close();
			}
			await expect(restorePglite(file, path.join(dir, 'b'))).rejects.toThrow(BackupError);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});
