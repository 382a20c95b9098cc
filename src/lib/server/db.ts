import { sql } from 'drizzle-orm';
import {
	isEmpty,
	migrateDatabase,
	openDatabase,
	queryRows,
	withAdvisoryLock,
	type DatabaseHandle,
	type Db,
} from '../../../db/client.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import type { Config } from './shared/index.ts';
import { getConfig } from './shared/index.ts';

/**
 * The process-wide database. `src/start.ts` opens it before the server listens and registers
 * it here through globalThis, because the built server bundles its own copy of this module;
 * under `astro dev` (or when the entry is run directly) it is opened on first use.
 */
const KEY = Symbol.for('gongjian.database');
type Registry = { [KEY]?: Promise<DatabaseHandle> };
const registry = globalThis as Registry;

/** Opens, migrates and (for an empty embedded database) seeds; logs nothing itself. */
export async function prepareDatabase(
	config: Config,
): Promise<{ handle: DatabaseHandle; seeded: boolean }> {
	if (config.DATABASE_URL && config.DATABASE_OWNER_URL) {
		// Migrate and seed as the owner, then serve as the app's own role.
		const owner = await prepareDatabase({
			...config,
			DATABASE_URL: config.DATABASE_OWNER_URL,
			DATABASE_OWNER_URL: undefined,
			DB_POOL_MAX: 2, // the migration lock holds one connection, the migrator needs another
		});
		await owner.handle.close();
		const handle = await openDatabase({
			databaseUrl: config.DATABASE_URL,
			poolMax: config.DB_POOL_MAX,
		});
		return { handle, seeded: owner.seeded };
	}
	const handle = await openDatabase(
		config.DATABASE_URL
			? { databaseUrl: config.DATABASE_URL, poolMax: config.DB_POOL_MAX }
			: { pgliteDir: config.PGLITE_DIR },
	);
	try {
		await migrateDatabase(handle);
		const seedable =
			config.SEED_DEMO === 'empty' || (config.SEED_DEMO === 'embedded' && handle.kind === 'pglite');
		let seeded = false;
		if (seedable) {
			seeded = await withAdvisoryLock(handle, async (db) => {
				if (!(await isEmpty(db))) return false;
				await seedDemo(db, {
					staffPassword: config.DEMO_STAFF_PASSWORD,
					images: true,
					activity: true,
				});
				return true;
			});
		}
		return { handle, seeded };
	} catch (error) {
		await handle.close();
		throw error;
	}
}

export function registerDatabase(handle: DatabaseHandle): void {
	registry[KEY] = Promise.resolve(handle);
}

export function getDatabaseHandle(): Promise<DatabaseHandle> {
	registry[KEY] ??= prepareDatabase(getConfig()).then(({ handle }) => handle);
	return registry[KEY];
}

export async function getDb(): Promise<Db> {
	return (await getDatabaseHandle()).db;
}

/**
 * Why the app's database role could quietly rewrite the audit log, or null: a superuser (can
 * turn triggers off for its session) or a member of the role owning `audit_log` (can disable
 * its triggers, truncate it). PGlite has no roles to separate: null there.
 */
export async function auditBypassProblem(handle: DatabaseHandle): Promise<string | null> {
	if (handle.kind !== 'postgres') return null;
	const [row] = await queryRows<{ role: string; superuser: boolean; owner: boolean }>(
		handle.db,
		sql`select current_user as role, r.rolsuper as superuser,
		           pg_has_role(current_user, c.relowner, 'MEMBER') as owner
		    from pg_roles r, pg_class c
		    where r.rolname = current_user and c.oid = 'audit_log'::regclass`,
	);
	if (!row || (!row.superuser && !row.owner)) return null;
	const why = row.superuser ? 'is a superuser' : 'owns the audit_log table';
	return `the database role ${row.role} ${why}, so it could bypass the audit log's triggers; connect DATABASE_URL as a role with only the app's privileges (db/app-role.sql) and set DATABASE_OWNER_URL for migrations.`;
}
