import { isEmpty, migrateDatabase } from '../client.ts';
import { runScript } from '../script.ts';
import { seedDemo } from './demo.ts';
import { LARGE_SEED_MARKER, seedLarge, type LargeSeedOptions } from './large.ts';

/** `npm run db:seed:large [-- --compounds=N]`: the demo first if the database is empty. */
function parseOptions(argv: string[]): LargeSeedOptions {
	const match = argv.map((arg) => /^--compounds=(\d+)$/.exec(arg)).find(Boolean);
	return match ? { compounds: Number(match[1]) } : {};
}

await runScript('db:seed:large', async ({ handle, log }) => {
	const started = performance.now();
	await migrateDatabase(handle);
	if (await isEmpty(handle.db)) {
		const demo = await seedDemo(handle.db);
		log(
			`the database was empty: demo seeded first (${demo.households} households, ${demo.projects} projects).`,
		);
	}
	const seeding = performance.now();
	const result = await seedLarge(handle.db, parseOptions(process.argv.slice(2)));
	const seconds = ((performance.now() - seeding) / 1000).toFixed(1);
	const total = ((performance.now() - started) / 1000).toFixed(1);
	if (result.skipped) {
		log(
			`the large set is already there (project ${LARGE_SEED_MARKER} exists); nothing written (${seconds} s).`,
		);
		return;
	}
	const { skipped: _, ...counts } = result;
	const list = Object.entries(counts).map(([name, n]) => `${n} ${name}`);
	log(`large set seeded in ${seconds} s (${total} s in all): ${list.join(', ')}.`);
});
