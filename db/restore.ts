/**
 * `npm run db:restore -- FILE [--target URL]`: loads a backup from `npm run db:backup`.
 * - A `.dump` (pg_dump custom format) goes into the PostgreSQL database at `--target` or
 *   DATABASE_URL, created if missing. It must be empty: restoring over live data is refused
 *   (drop or rename the database first) — a restore is a deliberate act, never a merge.
 * - A `.tar.gz` (PGlite) becomes the embedded folder PGLITE_DIR, which must not exist yet.
 * One transaction for PostgreSQL: a failed restore leaves the target empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { ConfigError, getConfig } from '../src/lib/server/shared/config.ts';
import { BackupError, runTool, serverMajor, toolMajor } from './backup.ts';
import { openDatabase } from './client.ts';
import { DatabaseLockedError } from './lock.ts';

/** Creates the target database when it does not exist; refuses one that holds tables. */
export async function prepareTarget(url: string): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.slice(1));
	if (!/^[A-Za-z0-9_]+$/.test(name))
		throw new BackupError(`unsupported database name "${name}" (letters, digits, _)`);
	const admin = new URL(url);
	admin.pathname = '/postgres';
	const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		const found = await sql`select 1 from pg_database where datname = ${name}`;
		if (found.length === 0) await sql.unsafe(`create database "${name}"`);
	} finally {
		await sql.end();
	}
	const db = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		const [row] = await db<{ n: number }[]>`
			select count(*)::int as n from information_schema.tables
			where table_schema in ('public', 'drizzle')`;
		if (row!.n > 0)
			throw new BackupError(
				`database ${name} is not empty (${row!.n} tables); restore only into an empty database.`,
			);
	} finally {
		await db.end();
	}
}

/** Restores a pg_dump custom-format file into an empty (or new) database. */
export async function restorePostgres(file: string, url: string): Promise<void> {
	if (!existsSync(file)) throw new BackupError(`no such backup file: ${file}`);
	await prepareTarget(url);
	const [tool, server] = [toolMajor('pg_restore'), await serverMajor(url)];
	if (tool < server)
		throw new BackupError(`pg_restore ${tool} is older than the PostgreSQL ${server} server.`);
	runTool('pg_restore', [
		'--no-owner',
		'--no-privileges',
		'--exit-on-error',
		'--single-transaction',
		`--dbname=${url}`,
		file,
	]);
}

/** Unpacks a PGlite backup into a folder that does not exist yet (or is empty). */
export async function restorePglite(file: string, dir: string): Promise<void> {
	if (!existsSync(file)) throw new BackupError(`no such backup file: ${file}`);
	if (existsSync(dir) && readdirSync(dir).length > 0)
		throw new BackupError(`${dir} already holds a database; restore only into a new folder.`);
	const blob = new Blob([readFileSync(file)]);
	const handle = await openDatabase({
		pgliteDir: dir,
		pglite: new PGlite(path.resolve(dir), { loadDataDir: blob }),
	});
	await handle.close();
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--target');
	if (!file) throw new BackupError('usage: npm run db:restore -- FILE [--target postgres://…]');
	const started = performance.now();
	const targetAt = args.indexOf('--target');
	const target = targetAt !== -1 ? args[targetAt + 1] : getConfig().DATABASE_URL;
	if (file.endsWith('.tar.gz')) {
		const dir = getConfig().PGLITE_DIR;
		await restorePglite(path.resolve(file), dir);
		process.stdout.write(`db:restore: restored ${file} into ${dir}\n`);
	} else {
		if (!target) throw new BackupError('set DATABASE_URL or --target for a PostgreSQL backup.');
		await restorePostgres(path.resolve(file), target);
		const where = new URL(target);
		process.stdout.write(
			`db:restore: restored ${file} into ${where.host}${where.pathname} ` +
				`(${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
		);
	}
}

if (import.meta.main) {
	try {
		await main();
	} catch (error) {
		const known =
			error instanceof BackupError ||
			error instanceof ConfigError ||
			error instanceof DatabaseLockedError;
		process.stderr.write(
			`db:restore: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
		);
		process.exitCode = 1;
	}
}
