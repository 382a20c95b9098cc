import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquireDirLock, type DirLock } from './lock.ts';
import * as schema from './schema/index.ts';

/** One type for both drivers: everything above this module is driver-agnostic. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; commands accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export type DatabaseHandle = {
	db: Db;
	kind: 'postgres' | 'pglite';
	/** Where the data lives, for logs: a folder, ':memory:', or the server's host/db (no password). */
	location: string;
	close(): Promise<void>;
};

export type OpenOptions =
	{ databaseUrl: string; poolMax?: number } | { pgliteDir: string | null; pglite?: PGlite };

/** Finds db/migrations from source (db/) and from the built server (dist/server/chunks/). */
export function migrationsFolder(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 6; i++) {
		for (const candidate of [path.join(dir, 'migrations'), path.join(dir, 'db', 'migrations')]) {
			if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
		}
		dir = path.dirname(dir);
	}
	return path.resolve('db/migrations');
}

/** `host:port[,host:port…]/database` of a postgres:// URL, without the user or password. */
function describeUrl(url: string): string {
	const [, hosts = '', database = ''] =
		/^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^/?]*)(\/[^?]*)?/.exec(url) ?? [];
	return `${hosts
		.split(',')
		.map((host) => (/:\d+$/.test(host) ? host : `${host}:5432`))
		.join(',')}${database}`;
}

/**
 * Opens the database: a postgres.js pool when a URL is given, otherwise an embedded PGlite
 * persisted in a folder (or in memory when the folder is null). The PGlite folder is guarded
 * by a lock file, because PGlite takes no lock of its own and two processes corrupt it.
 */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
	if ('databaseUrl' in options) {
		const client = postgres(options.databaseUrl, {
			max: options.poolMax ?? 10,
			onnotice: () => {},
			connect_timeout: 5,
			// Reconnect quickly after a database restart (the default backoff grows to 20 s).
			backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
			idle_timeout: 60,
		});
		const db = drizzlePostgres(client, { schema }) as unknown as Db;
		return {
			db,
			kind: 'postgres',
			location: describeUrl(options.databaseUrl),
			close: () => client.end({ timeout: 5 }),
		};
	}
	let lock: DirLock | null = null;
	const dir = options.pgliteDir ? path.resolve(options.pgliteDir) : null;
	if (dir) {
		mkdirSync(path.dirname(dir), { recursive: true });
		lock = acquireDirLock(dir);
	}
	try {
		const client = options.pglite ?? (dir ? new PGlite(dir) : new PGlite());
		await client.waitReady;
		const db = drizzlePglite(client, { schema }) as unknown as Db;
		return {
			db,
			kind: 'pglite',
			location: dir ?? ':memory:',
			async close() {
				await client.close();
				lock?.release();
			},
		};
	} catch (error) {
		lock?.release();
		throw error;
	}
}

/**
 * Calls `onMessage` with the payload of every NOTIFY on `channel`, whichever driver: postgres.js
 * listens on a connection of its own and listens again after reconnecting (calling `onListen`
 * each time, for what may have been missed meanwhile); PGlite delivers the notices of its own
 * (single) process.
 */
export async function listen(
	db: Db,
	channel: string,
	onMessage: (payload: string) => void,
	onListen: () => void = () => {},
): Promise<void> {
	const client = (db as { $client?: unknown }).$client;
	if (client instanceof PGlite) {
		await client.listen(channel, onMessage);
		return;
	}
	await (client as postgres.Sql).listen(channel, onMessage, onListen);
}

/** Rows of a raw query, whichever driver ran it (their result shapes differ). */
export async function queryRows<T extends Record<string, unknown>>(
	db: Executor,
	query: SQL,
): Promise<T[]> {
	const result: unknown = await db.execute(query);
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Whether `db` is the database handle itself rather than a transaction (a command handed a
 * caller's transaction writes in it instead of opening its own).
 */
export function isDatabase(db: Executor): db is Db {
	return (db as { $client?: unknown }).$client != null;
}

/**
 * Applies the committed migrations. On a server, a session advisory lock makes concurrent
 * start-ups of several instances wait for one another instead of racing.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
	const migrationsDir = migrationsFolder();
	// Data migrations apply business rules from src/, loaded only when migrating.
	const { runDataMigrations } = await import('./data-migrations.ts');
	if (handle.kind === 'pglite') {
		await migratePglite(handle.db as never, { migrationsFolder: migrationsDir });
		await runDataMigrations(handle.db);
		return;
	}
	await withAdvisoryLock(handle, async (db) => {
		await migratePostgres(db as never, { migrationsFolder: migrationsDir });
		await runDataMigrations(db);
	});
}

const START_LOCK_KEY = 7_340_211; // "gongjian start-up": migrations and demo seed

/**
 * Runs `work` while this process holds a PostgreSQL session advisory lock (on a reserved
 * connection of its own; the work itself uses the pool). Other instances wait their turn.
 */
export async function withAdvisoryLock<T>(
	handle: DatabaseHandle,
	work: (db: Db) => Promise<T>,
): Promise<T> {
	if (handle.kind === 'pglite') return work(handle.db);
	const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
	const reserved = await client.reserve();
	try {
		await reserved`select pg_advisory_lock(${START_LOCK_KEY})`;
		return await work(handle.db);
	} finally {
		await reserved`select pg_advisory_unlock(${START_LOCK_KEY})`.catch(() => {});
		reserved.release();
	}
}

/** True when the organisation tree is empty (a fresh database). */
export async function isEmpty(db: Executor): Promise<boolean> {
	const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from districts`);
	return (rows[0]?.n ?? 0) === 0;
}

export { schema };
