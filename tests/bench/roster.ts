import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { migrateDatabase, openDatabase } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { applyRoster, checkRoster } from '../../src/lib/server/roster/commands.ts';
import { decodePayload } from '../../src/lib/server/roster/payload.ts';
import { createStaffUser, demoPlaces } from '../factories/people.ts';
import { generatedRoster, utf8Csv } from '../factories/roster.ts';

/**
 * Issue 10's bench row: dry run + apply of a 20,000-household roster (CSV), then the same file
 * again (a no-op), on a throwaway database of the bench server (target: under 30 s).
 */
export async function benchRoster(benchUrl: string, households = 20_000): Promise<string> {
	const name = `gj_bench_roster_${process.pid}`;
	const admin = postgres(benchUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(benchUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ databaseUrl: url.toString(), poolMax: 4 });
	try {
		await migrateDatabase(handle);
		await seedDemo(handle.db);
		const place = await demoPlaces(handle.db, '梅岭社区');
		const moderator = await createStaffUser(handle.db, {
			roles: ['moderator'],
			communityIds: [place.communityId],
		});
		const bytes = utf8Csv(
			generatedRoster(households, { community: '梅岭社区', compound: '规模新村' }),
		);
		const rows: string[] = [];
		for (const label of ['create', 'same file again (no-op)']) {
			const t0 = performance.now();
			const checked = await checkRoster(handle.db, moderator, {
				bytes,
				ownerKeySecret: 'bench-owner-key-secret-0123456789abcdef',
			});
			const t1 = performance.now();
			await applyRoster(handle.db, moderator, {
				rows: decodePayload(checked.payload),
				planHash: checked.planHash,
				fileHash: checked.fileHash,
			});
			const t2 = performance.now();
			rows.push(
				`| ${label} | ${((t1 - t0) / 1000).toFixed(2)} | ${((t2 - t1) / 1000).toFixed(2)} | ${((t2 - t0) / 1000).toFixed(2)} |`,
			);
		}
		return [
			`## Roster import, ${households.toLocaleString('en')} households (CSV, ${Math.round(bytes.length / 1024)} KB; target < 30 s)`,
			'',
			'| run | dry run (s) | apply (s) | total (s) |',
			'| --- | ---: | ---: | ---: |',
			...rows,
		].join('\n');
	} finally {
		await handle.close();
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}
