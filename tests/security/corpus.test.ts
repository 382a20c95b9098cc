import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';
import { actionContexts, listActions } from './actions.ts';
import { buildAssets } from './assets.ts';
import { buildCorpus, type Case, type Category } from './corpus.ts';
import { prepareFixtures, type Fixtures } from './fixtures.ts';
import { runCases, type Outcome } from './run-case.ts';
import { diffSnapshots, snapshotDatabase, type Snapshot } from './snapshot.ts';

/**
 * The hostile-input corpus (issue 9): hundreds of requests generated from tables, run once
 * against the built server on PostgreSQL (TEST_DATABASE_URL) or PGlite. Every one must be
 * refused with a 4xx and a clear message — no 5xx, no stack trace, no unescaped reflection —
 * and the database must be exactly as before (row counts and a hash of every table).
 */
const categories: Category[] = [
	'csrf-origin',
	'content-type',
	'invalid-utf8',
	'oversized',
	'nested-json',
	'prototype-pollution',
	'xss',
	'sql-injection',
	'path-traversal',
	'cross-community',
	'session-cookie',
	'image-bomb-polyglot',
	'http-method',
	'out-of-range',
];

const STAFF_PASSWORD = 'demo-staff-password';

async function openPrepared(env: Record<string, string>): Promise<DatabaseHandle> {
	return env.DATABASE_URL
		? openDatabase({ databaseUrl: env.DATABASE_URL, poolMax: 2 })
		: openDatabase({ pgliteDir: env.PGLITE_DIR! });
}

describe('hostile input corpus', () => {
	const env: Record<string, string> = {
		TRUST_PROXY: 'true',
		GONGJIAN_WORKER: 'off',
		SEED_DEMO: 'never',
		LOG_LEVEL: 'fatal',
	};
	let tmp: ReturnType<typeof tempDir> | undefined;
	let drop: (() => Promise<void>) | undefined;
	let handle: DatabaseHandle | undefined;
	let server: RunningServer | undefined;
	let fixtures: Fixtures;
	let before: Snapshot;
	let after: Snapshot;
	let cases: Case[] = [];
	let outcomes: Outcome[] = [];
	let seconds = 0;

	beforeAll(async () => {
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			drop = created.drop;
			env.DATABASE_URL = created.url;
		} else {
			tmp = tempDir('gj-security-');
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		const [assets, actions] = await Promise.all([buildAssets(), listActions()]);
		handle = await openPrepared(env);
		await migrateDatabase(handle);
		await seedDemo(handle.db, { staffPassword: STAFF_PASSWORD, images: true });
		fixtures = await prepareFixtures(handle.db);
		before = await snapshotDatabase(handle.db);
		// The embedded database allows one process: hand it to the server meanwhile.
		if (!env.DATABASE_URL) {
			await handle.close();
			handle = undefined;
		}
		server = await startServer(env);
		cases = buildCorpus(actions, fixtures, assets, server.url);
		const started = performance.now();
		outcomes = await runCases(server.url, cases, (c) => {
			if (typeof c.actor === 'object') return c.actor.cookie;
			const token = fixtures.tokens[c.actor];
			return token ? `gj_session=${token}` : null;
		});
		seconds = (performance.now() - started) / 1000;
		const alive = await fetch(`${server.url}/readyz`);
		expect(alive.status).toBe(200);
		if (!env.DATABASE_URL) {
			await server.stop();
			handle = await openPrepared(env);
		}
		after = await snapshotDatabase(handle!.db);
		const unknown = actions.filter((a) => !(a.name in actionContexts)).map((a) => a.name);
		if (unknown.length)
			console.log(
				`security: actions without a row in tests/security/actions.ts (defaults used): ${unknown.join(', ')}`,
			);
	}, 600_000);

	afterAll(async () => {
		await server?.stop();
		await handle?.close();
		await drop?.();
		tmp?.remove();
		if (outcomes.length) report(outcomes, seconds);
	});

	it('runs at least 300 cases, some in every category', () => {
		expect(cases.length).toBeGreaterThanOrEqual(300);
		for (const category of categories)
			expect(cases.filter((c) => c.category === category).length, category).toBeGreaterThan(0);
	});

	it.each(categories)('%s: every case refused, no 5xx, no leak, no reflection', (category) => {
		const failed = outcomes
			.filter((o) => o.case.category === category && o.problems.length > 0)
			.map((o) => `${o.case.name}: ${o.problems.join('; ')}`);
		expect(failed, failed.slice(0, 40).join('\n')).toEqual([]);
	});

	it('leaves every table as it was (row counts and content hashes)', () => {
		const changed = diffSnapshots(before, after);
		expect(changed, JSON.stringify(changed, null, 1)).toEqual([]);
		expect(Object.keys(before).length).toBeGreaterThan(20);
	});
});

/** Prints and writes the counts by category (tests/.output/security.md). */
function report(outcomes: Outcome[], seconds: number): void {
	const rows = new Map<string, { cases: number; failed: number; statuses: Map<number, number> }>();
	for (const o of outcomes) {
		const row = rows.get(o.case.category) ?? { cases: 0, failed: 0, statuses: new Map() };
		row.cases += 1;
		if (o.problems.length) row.failed += 1;
		row.statuses.set(o.status, (row.statuses.get(o.status) ?? 0) + 1);
		rows.set(o.case.category, row);
	}
	const lines = [
		`Hostile input corpus: ${outcomes.length} cases in ${seconds.toFixed(1)} s`,
		'',
		'| category | cases | failed | answers |',
		'| --- | ---: | ---: | --- |',
		...[...rows].map(([category, row]) => {
			const statuses = [...row.statuses]
				.sort((a, b) => a[0] - b[0])
				.map(([status, n]) => `${status}×${n}`)
				.join(' ');
			return `| ${category} | ${row.cases} | ${row.failed} | ${statuses} |`;
		}),
		`| **total** | ${outcomes.length} | ${outcomes.filter((o) => o.problems.length).length} | |`,
	].join('\n');
	console.log(`\n${lines}\n`);
	const dir = path.join(projectRoot, 'tests', '.output');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'security.md'), `${lines}\n`);
}
