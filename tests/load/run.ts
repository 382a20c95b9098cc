/**
 * `npm run test:load`: the realistic mix (tests/load/mix.ts — 80 % page reads, 15 % opinions and
 * reactions, 5 % ballot revisions) from thousands of seeded residents against the city-scale
 * data set, for LOAD_SECONDS (30) over LOAD_CONNECTIONS (32) connections, LOAD_RESIDENTS (3000)
 * residents. Reports req/s, p50/p95/p99 and errors per kind of request; fails on any 5xx, any
 * dropped connection, any acknowledged write missing afterwards, or any half-written row.
 * Loopback only; writes tests/.output/load.md (and load.json, its checks, for `npm test`).
 * LOAD_PROFILE=ci (as `npm test` runs it): 8 s over 12 connections, 400 residents, on a small
 * city set in a throwaway database (tests/load/harness.ts).
 */
import { describeMix, runLoad, summarise, summaryTable } from './driver.ts';
import {
	loadProfile,
	log,
	prepareDataSet,
	runScript,
	settings,
	startApp,
	writeReport,
	type Check,
} from './harness.ts';
import { activeMix, type MixState } from './mix.ts';
import { verifyRun } from './verify.ts';
import { prepareWorld } from './world.ts';

const say = log('load');

await runScript('load', async (stops) => {
	const options = settings();
	const data = await prepareDataSet(say);
	stops.push(() => data.close());
	const world = await prepareWorld(data.sql, options.residents);
	const { rows, inactive } = activeMix(world);
	say(`run ${world.runId}: ${world.residents.length} residents; mix: ${describeMix(rows)}`);
	if (inactive.length) say(`inactive rows (no data for them yet): ${inactive.join(', ')}`);
	const app = await startApp(data.url);
	stops.push(() => app.stop());
	// Warm-up: connections, JIT, the page cache.
	// One mix state for both runs: a "me too" is a toggle, so a pair drawn again in the measured
	// run would undo the warm-up's acknowledged reaction.
	const state: MixState = { seq: 0, reacted: new Set() };
	const warmupSeconds = loadProfile() === 'ci' ? 2 : 3;
	const warmup = await runLoad([app.url], world, rows, inactive, {
		connections: options.connections,
		seconds: warmupSeconds,
		state,
	});
	const stats = await runLoad([app.url], world, rows, inactive, { ...options, state });
	const summary = summarise(stats);
	const verification = await verifyRun(data.sql, data.url, world, [...warmup.acks, ...stats.acks]);
	const all = summary.at(-1)!;
	if (all.serverErrors > 0) {
		const codes = new Map<number, number>();
		for (const x of stats.samples)
			if (x.status >= 500) codes.set(x.status, (codes.get(x.status) ?? 0) + 1);
		say(
			`5xx by status: ${JSON.stringify(Object.fromEntries(codes))}; server log in tests/.output/load-server.log`,
		);
		const { writeFileSync } = await import('node:fs');
		writeFileSync('tests/.output/load-server.log', app.output());
	}
	const checks: Check[] = [
		{
			name: 'no 5xx under the mix',
			ok: all.serverErrors === 0,
			detail: `${all.serverErrors} of ${all.requests} requests`,
		},
		{
			name: 'no dropped connection',
			ok: all.dropped === 0,
			detail: `${all.dropped} of ${all.requests} requests`,
		},
		{
			name: 'every acknowledged write is stored',
			ok: verification.lost.length === 0,
			detail: `${verification.lost.length} lost of ${warmup.acks.length + stats.acks.length} acknowledged`,
		},
		{
			name: 'no half-written row (counters, tallies, audit chain)',
			ok: verification.problems.length === 0,
			detail: verification.problems.slice(0, 3).join('; ') || 'consistent',
		},
	];
	const passed = checks.every((c) => c.ok);
	writeReport('load', 'Load', [
		`${options.connections} connections for ${options.seconds} s (after ${warmupSeconds} s warm-up), ${world.residents.length} signed-in residents (half the reads as visitors); mix ${describeMix(rows)}${inactive.length ? `; inactive: ${inactive.join(', ')}` : ''}.`,
		'',
		summaryTable(summary),
		'',
		`Acknowledged writes: ${verification.acknowledged.opinion} opinions, ${verification.acknowledged.meToo} reactions, ${verification.acknowledged.ballot} ballot revisions — ` +
			`${verification.lost.length} lost${verification.lost.length ? ` (${verification.lost.slice(0, 5).join('; ')})` : ''}; ` +
			`${verification.unacknowledged} stored without an acknowledgement.`,
		`Consistency: ${verification.problems.length ? verification.problems.slice(0, 10).join('; ') : 'counters equal their rows, tallies equal a recount, audit chain intact'} (${verification.auditEntries} audit entries).`,
		'',
		passed ? 'Result: passed (no 5xx, nothing lost).' : 'Result: FAILED.',
	]);
	return checks;
});
