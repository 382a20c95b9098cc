/**
 * `npm run db:backup [-- --out FILE]`: a consistent snapshot of the database.
 * - PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (one transaction, so a snapshot even
 *   while the app writes), restorable with `npm run db:restore`. pg_dump must be at least the
 *   server's major version (Debian: `apt-get install postgresql-client`).
 * - Embedded PGlite (no DATABASE_URL): the data folder as a gzipped tar (PGlite's dumpDataDir);
 *   the server must be stopped, since the folder allows one process.
 * Prints the file written, its size and how long it took. Exit code 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { ConfigError, getConfig } from '../src/lib/server/shared/config.ts';
import { openDatabase } from './client.ts';
import { DatabaseLockedError } from './lock.ts';

export class BackupError extends Error {
	override name = 'BackupError';
}

/** The major version of a PostgreSQL client tool (`pg_dump (PostgreSQL) 15.20 …` → 15). */
export function toolMajor(tool: 'pg_dump' | 'pg_restore'): number {
	const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
	if (result.error || result.status !== 0)
		throw new BackupError(
			`${tool} was not found. Install the PostgreSQL client tools matching the server ` +
				'(Debian: apt-get install -y postgresql-client).',
		);
	const match = /\b(\d+)(?:\.\d+)?/.exec(result.stdout.replace(/^[^)]*\)/, ''));
	return Number(match?.[1] ?? 0);
}

/** The server's major version, e.g. 15. */
export async function serverMajor(url: string): Promise<number> {
	const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		const [row] = await sql<{ v: string }[]>`show server_version_num`;
		return Math.floor(Number(row!.v) / 10000);
	} finally {
		await sql.end();
	}
}

/** Runs a client tool; throws with its own message (stderr) if it fails. */
export function runTool(tool: string, args: string[]): void {
	const result = spawnSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (result.error) throw new BackupError(`${tool}: ${result.error.message}`);
	if (result.status !== 0) throw new BackupError(`${tool} failed: ${result.stderr.trim()}`);
}

/** A default file name: backups/gongjian-<database>-<UTC timestamp>.<ext>. */
export function defaultBackupFile(label: string, ext: string): string {
	const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
	return path.resolve('backups', `gongjian-${label}-${stamp}.${ext}`);
}

/**
 * Dumps a PostgreSQL database to `file` (custom format, no owners or grants, so it restores
 * into any database). Throws BackupError when pg_dump is missing or older than the server.
 */
export async function backupPostgres(url: string, file: string): Promise<void> {
	const [tool, server] = [toolMajor('pg_dump'), await serverMajor(url)];
	if (tool < server)
		throw new BackupError(
			`pg_dump ${tool} cannot dump a PostgreSQL ${server} server; install postgresql-client-${server}.`,
		);
	mkdirSync(path.dirname(file), { recursive: true });
	runTool('pg_dump', [
		'--format=custom',
		'--no-owner',
		'--no-privileges',
		'--compress=6',
		`--file=${file}`,
		`--dbname=${url}`,
	]);
}

/** Writes the embedded database folder as a gzipped tar; refused while a server holds it. */
export async function backupPglite(dir: string, file: string): Promise<void> {
	const handle = await openDatabase({ pgliteDir: dir });
	try {
		const client = (handle.db as unknown as { $client: PGlite }).$client;
		const dump = await client.dumpDataDir('gzip');
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
	} finally {
		await handle.close();
	}
}

function argument(name: string): string | undefined {
	const args = process.argv.slice(2);
	const at = args.indexOf(name);
	if (at !== -1) return args[at + 1];
	return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(): Promise<void> {
	const config = getConfig();
	const started = performance.now();
	let file = argument('--out');
	if (config.DATABASE_URL) {
		const name = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1)) || 'db';
		file = path.resolve(file ?? defaultBackupFile(name, 'dump'));
		await backupPostgres(config.DATABASE_URL, file);
	} else {
		file = path.resolve(file ?? defaultBackupFile('pglite', 'tar.gz'));
		await backupPglite(config.PGLITE_DIR, file);
	}
	const size = statSync(file).size;
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	process.stdout.write(
		`db:backup: wrote ${file} (${(size / 1024 / 1024).toFixed(2)} MB, ${seconds} s)\n`,
	);
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
			`db:backup: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
		);
		process.exitCode = 1;
	}
}
