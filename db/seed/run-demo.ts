import { isEmpty, migrateDatabase } from '../client.ts';
import { runScript } from '../script.ts';
import { seedDemo } from './demo.ts';

await runScript('db:seed', async ({ handle, log }) => {
	await migrateDatabase(handle);
	if (!(await isEmpty(handle.db))) {
		log('The database already holds an organisation tree; the demo seed was not applied again.');
		return;
	}
	const result = await seedDemo(handle.db, {
		staffPassword: process.env.DEMO_STAFF_PASSWORD,
		images: true,
		activity: true,
	});
	log(`Demo data seeded: ${result.households} households, ${result.projects} projects.`);
});
