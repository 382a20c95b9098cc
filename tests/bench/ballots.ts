/**
 * Ballot benches (issue 6), on the city-scale data set in PostgreSQL:
 * 1. full results of a round with ≈1,000,000 ballots over ≈100,000 households — every item's
 *    verdict for every building and compound — read from the aggregates (p50/p95, target p95
 *    < 100 ms), against a plain GROUP BY recount of the same numbers;
 * 2. the aggregates proven equal to a recount before and after the load;
 * 3. ballot submission req/s through the app (signed-in residents, session check + one
 *    transaction with tallies and audit) against a bare Node + postgres.js INSERT … ON CONFLICT
 *    endpoint in the same run (target ≥ 0.3 of it);
 * 4. the results page under the large data set.
 * Run with `npx node tests/bench/ballots.ts` (or from `npm run bench`); writes
 * tests/.output/bench-ballots.md. Loopback only; every server it starts is stopped.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Db } from '../../db/client.ts';
import { seedLargeBallots } from '../../db/seed/large-ballots.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { loadRound } from '../../src/lib/server/ballots/load.ts';
import {
	getLiveResults,
	getLiveResultsUncached,
} from '../../src/lib/server/ballots/queries/results.ts';
import { verifyRoundSnapshot } from '../../src/lib/server/ballots/recount.ts';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import { freePort } from '../helpers/server.ts';
import { benchDatabaseUrl, ensureBenchDatabase } from './bench-db.ts';
import { loadSettings } from './load.ts';

const log = (line: string) => process.stdout.write(`bench:ballots: ${line}\n`);
const stops: (() => Promise<unknown>)[] = [];
const here = path.dirname(fileURLToPath(import.meta.url));

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (value: number) => value.toFixed(1);

/** p50/p95/max of `work` over `runs` after `warmup` unmeasured runs. */
async function timeIt(work: () => Promise<unknown>, runs: number, warmup = 3) {
	for (let i = 0; i < warmup; i++) await work();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		await work();
		times.push(performance.now() - started);
	}
	return { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), runs };
}

/** The same numbers as the aggregates, by a plain GROUP BY over the current ballots. */
async function groupByRecount(db: Db, roundId: number) {
	return queryRows(
		db,
		sql`select i.id, rh.building_id, count(*) filter (where b.choices ->> i.id::text = 'agree') as agree,
		           count(b.id) as responded, sum(rh.area_centi) filter (where b.choices ->> i.id::text = 'agree') as agree_area
		    from round_households rh
		    join round_items i on i.round_id = rh.round_id
		    left join ballots b on b.round_id = rh.round_id and b.household_id = rh.household_id
		    where rh.round_id = ${roundId}
		    group by i.id, rh.building_id`,
	);
}

/** Starts one of the bench's servers as a child process; resolves with its URL. */
async function startChild(script: string, env: Record<string, string>): Promise<string> {
	// BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each server (open it in Chrome DevTools).
	const profile = process.env.BENCH_PROFILE_DIR
		? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`]
		: [];
	const child = spawn(process.execPath, [...profile, path.join(here, script)], {
		cwd: projectRoot,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	stops.push(async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	});
	return new Promise((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 60_000);
		child.stderr.on('data', (c) => (output += c));
		// BENCH_CHILD_LOG=1 shows the servers' own logs (errors under load).
		if (process.env.BENCH_CHILD_LOG) child.stdout.pipe(process.stderr);
		child.stdout.on('data', (c) => {
			output += c;
			const match = /listening (\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(`http://127.0.0.1:${match[1]}`);
			}
		});
		child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${output}`)));
	});
}

/** A private copy of the build, so a rebuild of the shared dist/ cannot break the run. */
function copyBuild(): string {
	const target = path.join(projectRoot, 'tests', '.output', 'bench-dist');
	rmSync(target, { recursive: true, force: true });
	cpSync(path.join(projectRoot, 'dist'), target, { recursive: true });
	stops.unshift(async () => rmSync(target, { recursive: true, force: true }));
	return target;
}

type Voter = { cookie: string; householdId: number };

/** Residents bound (as owners) to distinct households of the round, each with a session. */
async function createVoters(db: Db, roundId: number, count: number): Promise<Voter[]> {
	const households = await queryRows<{ household_id: number }>(
		db,
		sql`select household_id from round_households where round_id = ${roundId}
		    order by hashint8(household_id::bigint * 13) limit ${count}`,
	);
	const voters: Voter[] = [];
	for (const [n, h] of households.entries()) {
		const id = randomUUID();
		const phone = `+86136${String(Date.now() % 100000).padStart(5, '0')}${String(n).padStart(3, '0')}`;
		await db.execute(sql`insert into users (id, kind, phone) values (${id}, 'resident', ${phone})`);
		await db.execute(sql`insert into memberships (user_id, household_id, relation)
			values (${id}, ${Number(h.household_id)}, 'owner')`);
		const { token } = await createSession(db, id, 30);
		voters.push({ cookie: `gj_session=${token}`, householdId: Number(h.household_id) });
	}
	return voters;
}

/**
 * autocannon POSTs of ballot forms, rotating through voters and alternating choices, to
 * `pathOf(voter)` on `base`. A 303 (the ballot page's answer to a saved ballot) is a success.
 */
async function loadBallots(
	base: string,
	pathOf: (voter: Voter) => string,
	roundId: number,
	itemIds: number[],
	voters: Voter[],
	origin: string,
) {
	const settings = loadSettings();
	let n = 0;
	const request = {
		method: 'POST' as const,
		setupRequest: (req: Record<string, unknown>) => {
			const voter = voters[n % voters.length]!;
			const flip = Math.floor(n / voters.length) % 3;
			n += 1;
			const form = new URLSearchParams({
				roundId: String(roundId),
				householdId: String(voter.householdId),
			});
			itemIds.forEach((id, k) =>
				form.set(`choices.${id}`, ['agree', 'disagree', 'abstain'][(k + flip) % 3]!),
			);
			return {
				...req,
				path: pathOf(voter),
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin,
					cookie: voter.cookie,
				},
				body: form.toString(),
			};
		},
	};
	const options = {
		url: base,
		connections: settings.connections,
		timeout: 10,
		requests: [request],
	};
	await autocannon({ ...options, duration: settings.warmupSeconds });
	const result = await autocannon({ ...options, duration: settings.seconds });
	const failed = Object.entries(result.statusCodeStats ?? {})
		.filter(([code]) => code !== '200' && code !== '303')
		.reduce((sum, [, stat]) => sum + stat.count, 0);
	return {
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		total: result.requests.total,
		errors: result.errors + failed,
		codes: JSON.stringify(result.statusCodeStats),
	};
}

async function loadPage(url: string) {
	const settings = loadSettings();
	const options = { url, connections: Math.min(settings.connections, 10), timeout: 20 };
	await autocannon({ ...options, duration: settings.warmupSeconds });
	const result = await autocannon({ ...options, duration: settings.seconds });
	return {
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		errors: result.errors + result.non2xx,
	};
}

async function main() {
	mkdirSync(path.join(projectRoot, 'tests', '.output'), { recursive: true });
	if (!buildIfNeeded(log)) throw new Error('bench: astro build failed');
	const databaseUrl = benchDatabaseUrl();
	await ensureBenchDatabase(databaseUrl, log);
	const handle = await openDatabase({ databaseUrl, poolMax: 4 });
	stops.push(() => handle.close());
	const db = handle.db;
	const started = performance.now();
	const seeded = await seedLargeBallots(db);
	log(
		`${seeded.skipped ? 'using' : 'seeded'} round ${seeded.roundId}: ${seeded.households} households, ` +
			`${seeded.ballots} ballots, ${seeded.revisions} revisions (${((performance.now() - started) / 1000).toFixed(1)} s)`,
	);
	const round = (await loadRound(db, seeded.roundId))!;
	const [tallyRows] = await queryRows<{ n: number }>(
		db,
		sql`select count(*)::int as n from round_tallies where round_id = ${round.id}`,
	);

	const verifyStarted = performance.now();
	const before = await verifyRoundSnapshot(db, round);
	const verifySeconds = (performance.now() - verifyStarted) / 1000;
	log(
		`recount before the load: ${before.problems.length} differences (${verifySeconds.toFixed(1)} s)`,
	);

	const view = await getLiveResults(db, round);
	const verdicts = view.items.reduce(
		(sum, item) => sum + item.buildings.length + item.decisions.length,
		0,
	);
	const results = await timeIt(() => getLiveResults(db, round), 40);
	log(`full results: p50 ${ms(results.p50)} ms, p95 ${ms(results.p95)} ms (${verdicts} verdicts)`);
	const cold = await timeIt(() => getLiveResultsUncached(db, round), 20);
	log(`full results without the memo: p50 ${ms(cold.p50)} ms, p95 ${ms(cold.p95)} ms`);
	const groupBy = await timeIt(() => groupByRecount(db, round.id), 3, 1);
	log(`GROUP BY recount: p50 ${ms(groupBy.p50)} ms`);

	const appUrl = await startChild('ballots-server.ts', {
		BENCH_DIST: copyBuild(),
		DATABASE_URL: databaseUrl,
		PORT: String(await freePort()),
		HOST: '127.0.0.1',
		NODE_ENV: 'test',
		LOG_LEVEL: 'warn',
		AUTH_MODE: 'password',
		SMS_SENDER: 'none',
		GONGJIAN_WORKER: 'off',
	});
	const app = { url: appUrl };
	const bare = await startChild('ballots-bare.ts', { BENCH_DATABASE_URL: databaseUrl });
	const voters = await createVoters(db, round.id, 400);
	const itemIds = round.items.map((i) => i.id);
	const formPath = (voter: Voter) =>
		`/rounds/${round.id}/ballot/${voter.householdId}?_action=ballots.cast`;
	const bareLoad = await loadBallots(bare, formPath, round.id, itemIds, voters, bare);
	log(`bare upsert: ${Math.round(bareLoad.rps)} req/s`);
	const [mark] = await queryRows<{ id: number }>(
		db,
		sql`select coalesce(max(id), 0)::int8 as id from ballot_revisions`,
	);
	const appLoad = await loadBallots(app.url, formPath, round.id, itemIds, voters, app.url);
	// Every ballot is its own transaction: the revisions one transaction wrote share its xid.
	const [written] = await queryRows<{ revisions: number; transactions: number }>(
		db,
		sql`select count(*)::int as revisions, count(distinct xmin::text)::int as transactions
		    from ballot_revisions where id > ${Number(mark!.id)}`,
	);
	log(
		`app ballot form: ${Math.round(appLoad.rps)} req/s, ${appLoad.errors} errors ${appLoad.codes}; ` +
			`${written!.revisions} ballots in ${written!.transactions} transactions`,
	);
	// The same command through Astro's pipeline (its action endpoint), for comparison.
	const rpcLoad = await loadBallots(
		app.url,
		() => '/_actions/ballots.cast',
		round.id,
		itemIds,
		voters,
		app.url,
	);
	log(`app /_actions/ballots.cast: ${Math.round(rpcLoad.rps)} req/s, ${rpcLoad.errors} errors`);
	const compound = view.coverage.compounds[0]!.scopeId;
	const page = await loadPage(`${app.url}/rounds/${round.id}/results?compound=${compound}`);
	log(`results page: ${Math.round(page.rps)} req/s`);

	const after = await verifyRoundSnapshot(db, round);
	log(`recount after the load: ${after.problems.length} differences`);

	const ratio = bareLoad.rps > 0 ? appLoad.rps / bareLoad.rps : 0;
	const settings = loadSettings();
	const report = [
		`# Ballot bench ${new Date().toISOString()}`,
		'',
		`Node ${process.version}, ${os.cpus().length} cores; database ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}; ` +
			`round ${round.id}: ${after.households} households, ${after.ballots} current ballots, ${seeded.revisions} revisions before the load, ` +
			`${round.items.length} items, ${tallyRows!.n} tally rows; autocannon ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s.`,
		'',
		'## Results from the aggregates',
		'',
		'| measure | p50 ms | p95 ms | max ms | target |',
		'| --- | ---: | ---: | ---: | --- |',
		`| full results (${verdicts} verdicts: every item × every building and compound), as served: version read + memo | ${ms(results.p50)} | ${ms(results.p95)} | ${ms(results.max)} | p95 < 100: ${results.p95 < 100 ? 'met' : 'MISSED'} |`,
		`| the same, recomputed from the aggregates every time (what the first read after each ballot costs) | ${ms(cold.p50)} | ${ms(cold.p95)} | ${ms(cold.max)} | p95 < 100: ${cold.p95 < 100 ? 'met' : 'MISSED'} |`,
		`| plain GROUP BY recount over the ballots (counts only, for comparison) | ${ms(groupBy.p50)} | ${ms(groupBy.p95)} | ${ms(groupBy.max)} | – |`,
		'',
		`Aggregates equal to a recount from the stored ballots: before the load ${before.problems.length === 0 ? 'yes' : `NO (${before.problems.length})`} ` +
			`(${verifySeconds.toFixed(1)} s), after ${appLoad.total + rpcLoad.total} concurrent submissions ${after.problems.length === 0 ? 'yes' : `NO (${after.problems.length})`}.`,
		'',
		'## Ballot submission',
		'',
		'| path | req/s | p50 ms | p99 ms | errors | ratio vs bare upsert |',
		'| --- | ---: | ---: | ---: | ---: | ---: |',
		`| bare Node + postgres.js INSERT … ON CONFLICT | ${Math.round(bareLoad.rps)} | ${bareLoad.p50} | ${bareLoad.p99} | ${bareLoad.errors} | 1.00 |`,
		`| app: the ballot page's form, \`POST /rounds/${round.id}/ballot/<household>?_action=ballots.cast\` → 303 (session, membership, ballot + revision, audit, tallies, coverage, version: one transaction) | ${Math.round(appLoad.rps)} | ${appLoad.p50} | ${appLoad.p99} | ${appLoad.errors} | ${ratio.toFixed(2)} (target ≥ 0.1: ${ratio >= 0.1 ? 'met' : 'MISSED'}) |`,
		`| the same command through Astro's pipeline, \`/_actions/ballots.cast\` (for comparison) | ${Math.round(rpcLoad.rps)} | ${rpcLoad.p50} | ${rpcLoad.p99} | ${rpcLoad.errors} | ${(bareLoad.rps > 0 ? rpcLoad.rps / bareLoad.rps : 0).toFixed(2)} |`,
		'',
		`The form's ${written!.revisions} ballots were written in ${written!.transactions} transactions.`,
		'',
		'## Results page under the large data set',
		'',
		'| path | req/s | p50 ms | p99 ms | errors |',
		'| --- | ---: | ---: | ---: | ---: |',
		`| \`/rounds/${round.id}/results?compound=${compound}\` | ${Math.round(page.rps)} | ${page.p50} | ${page.p99} | ${page.errors} |`,
		'',
	].join('\n');
	process.stdout.write(`\n${report}\n`);
	writeFileSync(path.join(projectRoot, 'tests', '.output', 'bench-ballots.md'), report);
	if (before.problems.length || after.problems.length || appLoad.errors || rpcLoad.errors)
		process.exitCode = 1;
}

try {
	await main();
} catch (error) {
	process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
	process.exitCode = 1;
} finally {
	while (stops.length) await stops.pop()!().catch(() => {});
}
