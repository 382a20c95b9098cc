import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import { benchDatabaseUrl, ensureBenchDatabase } from '../bench/bench-db.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Shared by test:load, test:faults and test:scale: settings, the data set, the app, reports. */
export type Settings = { seconds: number; connections: number; residents: number };

export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
	const positive = (name: string, fallback: number) => {
		const value = Number(env[name] ?? fallback);
		if (!Number.isFinite(value) || value <= 0)
			throw new Error(`load: ${name} must be a positive number`);
		return Math.round(value);
	};
	return {
		seconds: positive('LOAD_SECONDS', 30),
		connections: positive('LOAD_CONNECTIONS', 32),
		residents: positive('LOAD_RESIDENTS', 3000),
	};
}

export const log = (scope: string) => (line: string) => process.stdout.write(`${scope}: ${line}\n`);

/** Production-like app settings: no SMS, password sign-in, info logs off. */
export const appEnv = { LOG_LEVEL: 'warn', AUTH_MODE: 'password', SMS_SENDER: 'none' };

/**
 * The city-scale data set (gj_bench, as `npm run bench` uses), with the ballots round seeded
 * when the ballots feature ships its seed (db/seed/large-ballots.ts).
 */
export async function prepareDataSet(say: (line: string) => void, url = benchDatabaseUrl()) {
	if (!buildIfNeeded(say)) throw new Error('load: astro build failed');
	await ensureBenchDatabase(url, say);
	const seed = path.join(projectRoot, 'db', 'seed', 'large-ballots.ts');
	if (existsSync(seed)) {
		const { seedLargeBallots } = (await import(seed)) as {
			seedLargeBallots(db: unknown): Promise<{ skipped: boolean; roundId: number }>;
		};
		const handle = await openDatabase({ databaseUrl: url, poolMax: 4 });
		try {
			const started = performance.now();
			const result = await seedLargeBallots(handle.db);
			if (!result.skipped)
				say(
					`seeded ballot round ${result.roundId} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
				);
		} finally {
			await handle.close();
		}
	}
	return { url, sql: postgres(url, { max: 4, onnotice: () => {} }) };
}

export async function startApp(
	databaseUrl: string,
	env: Record<string, string> = {},
): Promise<RunningServer> {
	return startServer({ ...appEnv, DATABASE_URL: databaseUrl, ...env }, 120_000);
}

/** Prints a report and writes it to tests/.output/<name>.md. */
export function writeReport(name: string, title: string, sections: string[]): void {
	const text = [
		`# ${title} ${new Date().toISOString()}`,
		'',
		`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), loopback only.`,
		'',
		...sections,
	].join('\n');
	process.stdout.write(`\n${text}\n`);
	const dir = path.join(projectRoot, 'tests', '.output');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, `${name}.md`), `${text}\n`);
}

/** Runs `main` with every registered stop executed afterwards, even on error or Ctrl-C. */
export async function runScript(
	name: string,
	main: (stops: (() => Promise<unknown>)[]) => Promise<boolean>,
) {
	const stops: (() => Promise<unknown>)[] = [];
	const stopAll = async () => {
		while (stops.length) await stops.pop()!().catch(() => {});
	};
	process.once('SIGINT', () => {
		process.stderr.write(`${name}: interrupted; stopping what it started\n`);
		void stopAll().finally(() => process.exit(130));
	});
	try {
		process.exitCode = (await main(stops)) ? 0 : 1;
	} catch (error) {
		process.stderr.write(`${name}: ${(error as Error)?.stack ?? String(error)}\n`);
		process.exitCode = 1;
	} finally {
		await stopAll();
	}
}
