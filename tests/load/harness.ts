import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { migrateDatabase, openDatabase } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { seedLarge } from '../../db/seed/large.ts';
import { seedLargeBallots } from '../../db/seed/large-ballots.ts';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import { benchDatabaseUrl, ensureBenchDatabase } from '../bench/bench-db.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Shared by test:load, test:faults and test:scale: the profile, settings, the data set, the app,
 * reports and results.
 *
 * Two profiles (LOAD_PROFILE): `full` (the default, by hand: minutes on the city-scale data set
 * gj_bench) and `ci` (what `npm test` runs: seconds per scenario on a small city set in a
 * throwaway database, the same assertions).
 */
export type Profile = 'full' | 'ci';

export function loadProfile(env: NodeJS.ProcessEnv = process.env): Profile {
	const value = env.LOAD_PROFILE ?? 'full';
	if (value !== 'full' && value !== 'ci')
		throw new Error(`load: LOAD_PROFILE must be "full" or "ci", not "${value}"`);
	return value;
}

export type Settings = { seconds: number; connections: number; residents: number };

const defaultSettings: Record<Profile, Settings> = {
	full: { seconds: 30, connections: 32, residents: 3000 },
	ci: { seconds: 8, connections: 12, residents: 400 },
};

/** LOAD_SECONDS, LOAD_CONNECTIONS and LOAD_RESIDENTS, or the profile's defaults. */
export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
	const defaults = defaultSettings[loadProfile(env)];
	const positive = (name: string, fallback: number) => {
		const value = Number(env[name] ?? fallback);
		if (!Number.isFinite(value) || value <= 0)
			throw new Error(`load: ${name} must be a positive number`);
		return Math.round(value);
	};
	return {
		seconds: positive('LOAD_SECONDS', defaults.seconds),
		connections: positive('LOAD_CONNECTIONS', defaults.connections),
		residents: positive('LOAD_RESIDENTS', defaults.residents),
	};
}

export const log = (scope: string) => (line: string) => process.stdout.write(`${scope}: ${line}\n`);

/** Production-like app settings: no SMS, password sign-in, info logs off. */
export const appEnv = { LOG_LEVEL: 'warn', AUTH_MODE: 'password', SMS_SENDER: 'none' };

export type DataSet = { url: string; sql: postgres.Sql; close(): Promise<void> };

/** Compounds of the ci profile's city set (500 households each: 8,000 households, 8 projects). */
const CI_COMPOUNDS = 16;

/** A new empty database on the server of TEST_DATABASE_URL (else the bench's), and its dropper. */
async function throwawayDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
	const server = new URL(process.env.TEST_DATABASE_URL ?? benchDatabaseUrl());
	server.pathname = '/postgres';
	const name = `${prefix}_${randomBytes(4).toString('hex')}`;
	const admin = () => postgres(server.toString(), { max: 1, onnotice: () => {} });
	const sql = admin();
	await sql.unsafe(`create database ${name}`).finally(() => sql.end());
	const url = new URL(server);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const again = admin();
			await again.unsafe(`drop database if exists ${name} with (force)`).finally(() => again.end());
		},
	};
}

/**
 * The data set with the ballots round of db/seed/large-ballots.ts. Full profile: the city-scale
 * gj_bench, as `npm run bench` uses it (kept between runs). CI profile: a throwaway database
 * with the demo and a small city set, dropped by `close()`.
 */
export async function prepareDataSet(
	say: (line: string) => void,
	profile: Profile = loadProfile(),
): Promise<DataSet> {
	if (!buildIfNeeded(say)) throw new Error('load: astro build failed');
	const started = performance.now();
	const throwaway = profile === 'ci' ? await throwawayDatabase('gj_load') : null;
	const url = throwaway?.url ?? benchDatabaseUrl();
	try {
		if (throwaway) {
			const handle = await openDatabase({ databaseUrl: url, poolMax: 4 });
			try {
				await migrateDatabase(handle);
				await seedDemo(handle.db);
				await seedLarge(handle.db, { compounds: CI_COMPOUNDS });
			} finally {
				await handle.close();
			}
		} else {
			await ensureBenchDatabase(url, say);
		}
		const handle = await openDatabase({ databaseUrl: url, poolMax: 4 });
		try {
			const result = await seedLargeBallots(handle.db);
			if (!result.skipped) say(`seeded ballot round ${result.roundId}`);
		} finally {
			await handle.close();
		}
	} catch (error) {
		await throwaway?.drop();
		throw error;
	}
	if (throwaway)
		say(
			`data set: ${CI_COMPOUNDS} compounds in a throwaway database (${((performance.now() - started) / 1000).toFixed(1)} s)`,
		);
	const sql = postgres(url, { max: 4, onnotice: () => {} });
	return {
		url,
		sql,
		async close() {
			await sql.end();
			await throwaway?.drop();
		},
	};
}

export async function startApp(
	databaseUrl: string,
	env: Record<string, string> = {},
): Promise<RunningServer> {
	return startServer({ ...appEnv, DATABASE_URL: databaseUrl, ...env }, 120_000);
}

const outputDir = path.join(projectRoot, 'tests', '.output');

/** Prints a report and writes it to tests/.output/<name>.md. */
export function writeReport(name: string, title: string, sections: string[]): void {
	const text = [
		`# ${title} ${new Date().toISOString()}`,
		'',
		`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), loopback only, profile ${loadProfile()}.`,
		'',
		...sections,
	].join('\n');
	process.stdout.write(`\n${text}\n`);
	mkdirSync(outputDir, { recursive: true });
	writeFileSync(path.join(outputDir, `${name}.md`), `${text}\n`);
}

/** One assertion of a run; `npm test` counts each as a test (tests/run.ts). */
export type Check = { name: string; ok: boolean; detail: string };

/** What tests/run.ts reads: tests/.output/<name>.json. */
export type ScriptResult = { profile: Profile; checks: Check[]; skipped?: string };

function writeResult(name: string, result: ScriptResult): void {
	mkdirSync(outputDir, { recursive: true });
	writeFileSync(path.join(outputDir, `${name}.json`), `${JSON.stringify(result, null, '\t')}\n`);
}

/** Ends a script that cannot run here with one line (and a result that says so). */
export function skipScript(name: string, reason: string): void {
	process.stdout.write(`${name}: skipped — ${reason}\n`);
	writeResult(name, { profile: loadProfile(), checks: [], skipped: reason });
}

/**
 * Runs `main` with every registered stop executed afterwards, even on error or Ctrl-C. Its
 * checks go to tests/.output/<name>.json; the exit code is 1 unless every check passed (a crash
 * is one failed check).
 */
export async function runScript(
	name: string,
	main: (stops: (() => Promise<unknown>)[]) => Promise<Check[]>,
) {
	const stops: (() => Promise<unknown>)[] = [];
	const stopAll = async () => {
		while (stops.length) await stops.pop()!().catch(() => {});
	};
	process.once('SIGINT', () => {
		process.stderr.write(`${name}: interrupted; stopping what it started\n`);
		void stopAll().finally(() => process.exit(130));
	});
	const profile = loadProfile();
	let checks: Check[];
	try {
		checks = await main(stops);
	} catch (error) {
		const detail = (error as Error)?.stack ?? String(error);
		process.stderr.write(`${name}: ${detail}\n`);
		checks = [{ name: 'runs to the end', ok: false, detail: detail.split('\n')[0]! }];
	} finally {
		await stopAll();
	}
	const failed = checks.filter((c) => !c.ok);
	for (const c of failed) process.stdout.write(`${name}: FAILED: ${c.name} (${c.detail})\n`);
	process.stdout.write(
		`${name}: ${checks.length - failed.length} passed, ${failed.length} failed (profile ${profile})\n`,
	);
	writeResult(name, { profile, checks });
	process.exitCode = checks.length > 0 && failed.length === 0 ? 0 : 1;
}
