import { ConfigError, getConfig } from '../src/lib/server/shared/config.ts';
import { openDatabase, type DatabaseHandle } from './client.ts';
import { DatabaseLockedError } from './lock.ts';

type ScriptContext = { handle: DatabaseHandle; log: (line: string) => void };

/**
 * Runs a database script (migrate, seed…) against the configured database: DATABASE_URL, or
 * the embedded folder (refused if a server holds it). Errors print as one line, exit code 1.
 */
export async function runScript(
	name: string,
	work: (ctx: ScriptContext) => Promise<void>,
): Promise<void> {
	let handle: DatabaseHandle | undefined;
	try {
		const config = getConfig();
		handle = await openDatabase(
			config.DATABASE_URL
				? { databaseUrl: config.DATABASE_URL, poolMax: 2 }
				: { pgliteDir: config.PGLITE_DIR },
		);
		const log = (line: string) => process.stdout.write(`${name}: ${line}\n`);
		log(`using ${handle.kind} at ${handle.location}`);
		await work({ handle, log });
	} catch (error) {
		const known = error instanceof ConfigError || error instanceof DatabaseLockedError;
		process.stderr.write(
			`${name}: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
		);
		process.exitCode = 1;
	} finally {
		await handle?.close();
	}
}
