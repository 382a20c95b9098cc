/**
 * `npm run db:restore-drill`: proves the backups restore. Backs up DATABASE_URL with pg_dump,
 * restores the file into a throwaway database on the same server, and compares the two: every
 * table's row count and content hash, every sequence's position (new rows must not collide
 * with restored ones), and the audit log's hash chain, which must verify intact on the copy.
 * Drops the throwaway database and the file afterwards. Prints one line per check and exits 1
 * on any difference. Run it on a schedule against production's replica (README, Production).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { verifyAuditChain } from '../src/lib/server/audit/verify.ts';
import { ConfigError, getConfig } from '../src/lib/server/shared/config.ts';
import { backupPostgres, BackupError } from './backup.ts';
import { openDatabase, queryRows, type Executor } from './client.ts';
import { restorePostgres } from './restore.ts';

export type Fingerprint = {
	tables: Record<string, { rows: number; hash: string }>;
	sequences: Record<string, string>;
};

/** Row count and content hash of every table in public (and drizzle's migration log). */
export async function fingerprintDatabase(db: Executor): Promise<Fingerprint> {
	const tables = await queryRows<{ schema: string; name: string }>(
		db,
		sql`select table_schema as schema, table_name as name from information_schema.tables
		    where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'
		    order by 1, 2`,
	);
	const result: Fingerprint = { tables: {}, sequences: {} };
	for (const { schema, name } of tables) {
		const [row] = await queryRows<{ rows: number; hash: string }>(
			db,
			sql.raw(
				`select count(*)::int as rows,
				        md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash
				 from "${schema}"."${name}" t`,
			),
		);
		result.tables[`${schema}.${name}`] = { rows: Number(row!.rows), hash: row!.hash };
	}
	const sequences = await queryRows<{ name: string; value: string | null }>(
		db,
		sql`select schemaname || '.' || sequencename as name, last_value::text as value
		    from pg_sequences where schemaname in ('public', 'drizzle') order by 1`,
	);
	for (const s of sequences) result.sequences[s.name] = s.value ?? 'unused';
	return result;
}

/** Human-readable differences between two fingerprints (empty: identical). */
export function compareFingerprints(source: Fingerprint, copy: Fingerprint): string[] {
	const problems: string[] = [];
	const names = new Set([...Object.keys(source.tables), ...Object.keys(copy.tables)]);
	for (const name of names) {
		const [a, b] = [source.tables[name], copy.tables[name]];
		if (!a || !b) problems.push(`${name}: only in the ${a ? 'source' : 'copy'}`);
		else if (a.rows !== b.rows) problems.push(`${name}: ${a.rows} rows, copy has ${b.rows}`);
		else if (a.hash !== b.hash) problems.push(`${name}: same ${a.rows} rows, different content`);
	}
	for (const [name, value] of Object.entries(source.sequences))
		if (copy.sequences[name] !== value)
			problems.push(`sequence ${name}: ${value}, copy at ${copy.sequences[name] ?? 'missing'}`);
	return problems;
}

export type DrillResult = {
	ok: boolean;
	problems: string[];
	tables: number;
	rows: number;
	auditEntries: number;
	backupBytes: number;
	seconds: { backup: number; restore: number; compare: number };
};

/**
 * Backup → restore into `gj_drill_<random>` → compare → drop. The source is read twice (for
 * the dump and the fingerprint): run it where nothing writes meanwhile (a replica, or a test
 * database), or differences written in between will show.
 */
export async function runRestoreDrill(
	sourceUrl: string,
	log: (line: string) => void = () => {},
): Promise<DrillResult> {
	const name = `gj_drill_${randomBytes(5).toString('hex')}`;
	const target = new URL(sourceUrl);
	target.pathname = `/${name}`;
	const file = path.join(os.tmpdir(), `${name}.dump`);
	const source = await openDatabase({ databaseUrl: sourceUrl, poolMax: 2 });
	const times = { backup: 0, restore: 0, compare: 0 };
	let copy: Awaited<ReturnType<typeof openDatabase>> | null = null;
	try {
		let t = performance.now();
		await backupPostgres(sourceUrl, file);
		times.backup = (performance.now() - t) / 1000;
		const backupBytes = statSync(file).size;
		log(`backup: ${(backupBytes / 1024 / 1024).toFixed(2)} MB in ${times.backup.toFixed(1)} s`);
		t = performance.now();
		await restorePostgres(file, target.toString());
		times.restore = (performance.now() - t) / 1000;
		log(`restore into ${name}: ${times.restore.toFixed(1)} s`);
		t = performance.now();
		copy = await openDatabase({ databaseUrl: target.toString(), poolMax: 2 });
		const [a, b] = await Promise.all([
			fingerprintDatabase(source.db),
			fingerprintDatabase(copy.db),
		]);
		const problems = compareFingerprints(a, b);
		const audit = await verifyAuditChain(copy.db);
		if (!audit.ok)
			problems.push(
				`audit chain broken at entry #${audit.firstBroken.id} (${audit.firstBroken.reason})`,
			);
		times.compare = (performance.now() - t) / 1000;
		const rows = Object.values(a.tables).reduce((n, table) => n + table.rows, 0);
		log(
			`compare: ${Object.keys(a.tables).length} tables, ${rows} rows, ` +
				`${Object.keys(a.sequences).length} sequences: ${problems.length ? `${problems.length} differences` : 'identical'}`,
		);
		log(
			`audit chain on the copy: ${audit.ok ? `${audit.entries} entries, intact` : 'BROKEN'}` +
				` (${audit.pending} pending)`,
		);
		for (const problem of problems) log(`  ${problem}`);
		return {
			ok: problems.length === 0,
			problems,
			tables: Object.keys(a.tables).length,
			rows,
			auditEntries: audit.ok ? audit.entries : 0,
			backupBytes,
			seconds: times,
		};
	} finally {
		await copy?.close();
		await source.close();
		rmSync(file, { force: true });
		const admin = new URL(sourceUrl);
		admin.pathname = '/postgres';
		const sqlAdmin = postgres(admin.toString(), { max: 1, onnotice: () => {} });
		await sqlAdmin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
		await sqlAdmin.end();
	}
}

if (import.meta.main) {
	const log = (line: string) => process.stdout.write(`db:restore-drill: ${line}\n`);
	try {
		const url = getConfig().DATABASE_URL;
		if (!url)
			throw new BackupError(
				'the drill needs PostgreSQL: set DATABASE_URL (the embedded database is a folder; ' +
					'back it up with npm run db:backup while the server is stopped).',
			);
		const result = await runRestoreDrill(url, log);
		log(result.ok ? 'passed' : 'FAILED');
		if (!result.ok) process.exitCode = 1;
	} catch (error) {
		const known = error instanceof BackupError || error instanceof ConfigError;
		process.stderr.write(
			`db:restore-drill: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
		);
		process.exitCode = 1;
	}
}
