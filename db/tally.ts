import { sql } from 'drizzle-orm';
import { loadRound } from '../src/lib/server/ballots/load.ts';
import { verifyRoundSnapshot } from '../src/lib/server/ballots/recount.ts';
import { queryRows } from './client.ts';
import { runScript } from './script.ts';

/**
 * `npm run tally -- <round>` (or `-- --all`): recounts a round from its stored ballots and
 * compares with the running aggregates, with the rules module's `decide` over the raw ballots,
 * and with the published result and its digest (PRODUCT.md "Trust": published numbers are
 * reproducible). Prints one line per round; any mismatch is an error (exit 1).
 */
await runScript('tally', async ({ handle, log }) => {
	const args = process.argv.slice(2);
	let ids: number[];
	if (args.includes('--all')) {
		const rows = await queryRows<{ id: number }>(
			handle.db,
			sql`select id from rounds where opened_at is not null order by id`,
		);
		ids = rows.map((r) => Number(r.id));
	} else {
		ids = args.filter((a) => /^\d+$/.test(a)).map(Number);
	}
	if (ids.length === 0) {
		log('usage: npm run tally -- <round id> [more ids] | --all');
		process.exitCode = 1;
		return;
	}
	for (const id of ids) {
		const round = await loadRound(handle.db, id);
		if (!round?.openedAt) {
			log(`round ${id}: not found or not opened`);
			process.exitCode = 1;
			continue;
		}
		const started = performance.now();
		const result = await verifyRoundSnapshot(handle.db, round);
		const ms = Math.round(performance.now() - started);
		const published = result.published
			? `published v${result.published.version} ${result.published.matches ? 'reproduced' : 'DIFFERS'} (sha256 ${result.published.digest.slice(0, 12)}…)`
			: 'not published';
		if (result.problems.length === 0) {
			log(
				`round ${id}: ${result.ballots} ballots over ${result.households} households, ${result.rows} tally rows equal a recount; ${published} (${ms} ms)`,
			);
			continue;
		}
		process.exitCode = 1;
		log(`round ${id}: MISMATCH, ${result.problems.length} problem(s); ${published}`);
		for (const problem of result.problems.slice(0, 50)) log(`  ${problem}`);
		if (result.problems.length > 50) log(`  … and ${result.problems.length - 50} more`);
	}
});
