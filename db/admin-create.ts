import { createInterface } from 'node:readline/promises';
import { migrateDatabase } from './client.ts';
import { runScript } from './script.ts';
import { createAdminFromCli } from '../src/lib/server/staff/commands.ts';
import { translate } from '../src/i18n/index.ts';
import { isDomainError } from '../src/lib/server/shared/errors.ts';

/**
 * `npm run admin:create`: creates an admin account. Reads ADMIN_USERNAME, ADMIN_PASSWORD and
 * ADMIN_NAME from the environment, or asks for them on a terminal.
 */
async function ask(question: string, fallback: string | undefined): Promise<string> {
	if (fallback) return fallback;
	if (!process.stdin.isTTY)
		throw new Error(`set ${question} in the environment (no terminal to ask on)`);
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	try {
		return (await rl.question(`${question}: `)).trim();
	} finally {
		rl.close();
	}
}

await runScript('admin:create', async ({ handle, log }) => {
	await migrateDatabase(handle);
	const username = await ask('ADMIN_USERNAME', process.env.ADMIN_USERNAME);
	const password = await ask('ADMIN_PASSWORD', process.env.ADMIN_PASSWORD);
	const displayName = await ask('ADMIN_NAME', process.env.ADMIN_NAME ?? username);
	try {
		await createAdminFromCli(handle.db, { username, password, displayName });
	} catch (error) {
		if (isDomainError(error))
			throw new Error(translate('en', error.messageKey, error.params), { cause: error });
		throw error;
	}
	log(`admin "${username}" created.`);
});
