import {
	isEmpty,
	migrateDatabase,
	openDatabase,
	withAdvisoryLock,
	type DatabaseHandle,
	type Db,
} from '../../../db/client.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import type { Config } from './shared/config.ts';
import { getConfig } from './shared/config.ts';

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
