import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';

export type Driver = 'pglite' | 'postgres';

/** PGlite always; the real server too when TEST_DATABASE_URL is set (CI sets it). */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

export type TestDatabase = DatabaseHandle & { driver: Driver; url: string | null };

/** A URL for a database named `name` on the test server. */
export function serverUrl(name: string): string {
	const base = new URL(
		process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
	);
	base.pathname = `/${name}`;
	return base.toString();
}

/**
 * Creates a throwaway database on the test server, empty or a copy of `template`; returns its
 * URL and a dropper.
 */
export async function createServerDatabase(
	template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `gj_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
	await admin.end();
	return {
		url: serverUrl(name),
		async drop() {
			const again = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
			await again.unsafe(`drop database if exists ${name} with (force)`);
			await again.end();
		},
	};
}

/**
 * An isolated, migrated database for one test file: in-memory PGlite, or a fresh database on
 * the real server (dropped on close). No test file sees another's data. In the integration
 * project each starts from the run's template (tests/integration/global-setup.ts), already
 * migrated and, with `seed`, seeded.
 */
export async function createTestDatabase(
	driver: Driver,
	options: { seed?: boolean } = {},
): Promise<TestDatabase> {
	let handle: DatabaseHandle;
	let url: string | null = null;
	let drop = async () => {};
	const template =
		inject('databaseTemplates')?.[`${driver}:${options.seed ? 'seeded' : 'migrated'}`];
	if (driver === 'pglite') {
		const pglite = template
			? new PGlite({ loadDataDir: new Blob([readFileSync(template)]) })
			: undefined;
		handle = await openDatabase({ pgliteDir: null, ...(pglite ? { pglite } : {}) });
	} else {
		const created = await createServerDatabase(template);
		url = created.url;
		drop = created.drop;
		handle = await openDatabase({ databaseUrl: url, poolMax: 20 });
	}
	await migrateDatabase(handle);
	if (options.seed && !template) await seedDemo(handle.db);
	return {
		...handle,
		driver,
		url,
		async close() {
			await handle.close();
			await drop();
		},
	};
}
