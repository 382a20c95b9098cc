import postgres from 'postgres';
import { isEmpty, migrateDatabase, openDatabase } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { seedLarge } from '../../db/seed/large.ts';

/** The bench database: BENCH_DATABASE_URL, or gj_bench on the local server. */
export function benchDatabaseUrl(): string {
	return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gj_bench';
}

async function createDatabaseIfMissing(url: string, log: (line: string) => void): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.slice(1));
	if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bench: unsupported database name "${name}"`);
	target.pathname = '/postgres';
	const admin = postgres(target.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		const found = await admin`select 1 from pg_database where datname = ${name}`.catch((error) => {
			const reason = (error as Error).message;
			throw new Error(`bench: PostgreSQL at ${target.host}: ${reason}. Set BENCH_DATABASE_URL.`);
		});
		if (found.length === 0) {
			log(`creating database ${name}`);
			await admin.unsafe(`create database "${name}"`);
		}
	} finally {
		await admin.end();
	}
}

/** Creates, migrates and seeds (demo + large set) the bench database unless already done. */
export async function ensureBenchDatabase(url: string, log: (line: string) => void): Promise<void> {
	await createDatabaseIfMissing(url, log);
	const handle = await openDatabase({ databaseUrl: url, poolMax: 2 });
	try {
		await migrateDatabase(handle);
		if (await isEmpty(handle.db)) await seedDemo(handle.db);
		const started = performance.now();
		const result = await seedLarge(handle.db);
		if (!result.skipped) {
			const seconds = ((performance.now() - started) / 1000).toFixed(1);
			log(
				`seeded the large set: ${result.households} households, ${result.projects} projects (${seconds} s)`,
			);
		}
	} finally {
		await handle.close();
	}
}
