import { migrateDatabase } from './client.ts';
import { runScript } from './script.ts';

await runScript('db:migrate', async ({ handle, log }) => {
	await migrateDatabase(handle);
	log('migrations applied.');
});
