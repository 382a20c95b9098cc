import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/**
 * Migrates (and seeds) once per run instead of once per test file: a PGlite data folder dumped
 * to a file, and on the test server a database each file copies (`CREATE DATABASE … TEMPLATE`).
 * `createTestDatabase` (tests/helpers/test-db.ts) starts from these.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'gj-templates-'));
	const drops: (() => Promise<void>)[] = [];
	const templates: Record<string, string> = {};
	for (const seed of [false, true]) {
		const key = seed ? 'seeded' : 'migrated';
		const pglite = await openDatabase({ pgliteDir: null });
		await migrateDatabase(pglite);
		if (seed) await seedDemo(pglite.db);
		const file = path.join(dir, `${key}.tar.gz`);
		const dump = await (
			pglite.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }
		).$client.dumpDataDir('gzip');
		writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
		await pglite.close();
		templates[`pglite:${key}`] = file;
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			const server = await openDatabase({ databaseUrl: created.url, poolMax: 2 });
			await migrateDatabase(server);
			if (seed) await seedDemo(server.db);
			await server.close();
			drops.push(created.drop);
			templates[`postgres:${key}`] = new URL(created.url).pathname.slice(1);
		}
	}
	project.provide('databaseTemplates', templates);
	return async () => {
		for (const drop of drops) await drop();
		rmSync(dir, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** `<driver>:<migrated|seeded>` → a PGlite dump file, or a template database's name. */
		databaseTemplates: Record<string, string>;
	}
}
