/**
 * Survey benches (issue 7), in a PostgreSQL database of their own (gj_bench_surveys, or
 * BENCH_SURVEYS_DATABASE_URL) holding the large data set:
 * 1. the results of a survey with 100,000 household responses (≈1.2 million answer rows),
 *    computed on the server from the running totals, p50/p95/p99 over 50 runs (target p95
 *    < 200 ms), against the same results recounted from the answers, and the totals proven
 *    equal to that recount;
 * 2. the public results page of that survey and the public district dashboard (100 projects
 *    with published results) over HTTP on the built server, against bare Node baselines
 *    measured in the same run (the results page's HTML from memory, and with one primary-key
 *    query), req/s, p50/p99 and the ratio to bare Node.
 * Run with `npx node tests/bench/surveys.ts` (or from `npm run bench`); writes
 * tests/.output/bench-surveys.md. Loopback only; every server it starts is stopped.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openDatabase, type Db } from '../../db/client.ts';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import { dashboardFilterOptions, listDashboard } from '../../src/lib/server/surveys/dashboard.ts';
import { loadSurvey } from '../../src/lib/server/surveys/load.ts';
import { computeResults, getPublishedResults } from '../../src/lib/server/surveys/queries.ts';
import { verifyTallies } from '../../src/lib/server/surveys/tallies.ts';
import { freePort } from '../helpers/server.ts';
import { ensureBenchDatabase } from './bench-db.ts';
import { loadSettings, measureLoad } from './load.ts';
import { loadTable, type MeasuredRow } from './report.ts';
import { startBareServer } from './servers.ts';
import { seedBenchSurveys } from './surveys-data.ts';

const log = (line: string) => process.stdout.write(`bench:surveys: ${line}\n`);
const stops: (() => Promise<unknown>)[] = [];
const here = path.dirname(fileURLToPath(import.meta.url));
const outputDir = path.join(projectRoot, 'tests', '.output');

/** The survey bench's database: BENCH_SURVEYS_DATABASE_URL, or gj_bench_surveys locally. */
function surveysDatabaseUrl(): string {
	return (
		process.env.BENCH_SURVEYS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gj_bench_surveys'
	);
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (value: number) => value.toFixed(1);

type Timing = { p50: number; p95: number; p99: number; max: number; runs: number };

/** p50/p95/p99/max of `work` over `runs` after `warmup` unmeasured runs. */
async function timeIt(work: () => Promise<unknown>, runs: number, warmup = 3): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await work();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		await work();
		times.push(performance.now() - started);
	}
	return {
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		p99: percentile(times, 99),
		max: Math.max(...times),
		runs,
	};
}

/** The app from a private copy of the build (a rebuild of dist/ by someone else cannot break it). */
async function startApp(databaseUrl: string): Promise<string> {
	const dist = path.join(outputDir, 'bench-surveys-dist');
	rmSync(dist, { recursive: true, force: true });
	cpSync(path.join(projectRoot, 'dist'), dist, { recursive: true });
	stops.unshift(async () => rmSync(dist, { recursive: true, force: true }));
	const port = await freePort();
	const child = spawn(process.execPath, [path.join(here, 'ballots-server.ts')], {
		cwd: projectRoot,
		env: {
			...process.env,
			BENCH_DIST: dist,
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			NODE_ENV: 'test',
			LOG_LEVEL: 'warn',
			AUTH_MODE: 'password',
			SMS_SENDER: 'none',
			GONGJIAN_WORKER: 'off',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	stops.push(async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	});
	return new Promise((resolve, reject) => {
		let output = '';
		const timer = setTimeout(
			() => reject(new Error(`bench: the app did not start: ${output}`)),
			60_000,
		);
		child.stderr.on('data', (c) => (output += c));
		child.stdout.on('data', (c) => {
			output += c;
			if (/listening \d+/.test(output)) {
				clearTimeout(timer);
				resolve(`http://127.0.0.1:${port}`);
			}
		});
		child.once('exit', (code) => reject(new Error(`bench: the app exited (${code}): ${output}`)));
	});
}

/** Server-side timings of what the survey pages compute. */
async function serverTimings(db: Db, surveyId: number) {
	const survey = (await loadSurvey(db, surveyId))!;
	const results = await timeIt(() => computeResults(db, survey), 50);
	log(`results from the totals: p50 ${ms(results.p50)} ms, p95 ${ms(results.p95)} ms`);
	const recount = await timeIt(() => computeResults(db, survey, { recount: true }), 5, 1);
	log(`results recounted from the answers: p50 ${ms(recount.p50)} ms`);
	const published = await timeIt(() => getPublishedResults(db, surveyId), 50);
	const dashboard = await timeIt(
		() => Promise.all([listDashboard(db, {}), dashboardFilterOptions(db)]),
		50,
	);
	const view = await computeResults(db, survey);
	const fromAnswers = await computeResults(db, survey, { recount: true });
	const equal = JSON.stringify(view) === JSON.stringify(fromAnswers);
	return { results, recount, published, dashboard, view, equal };
}

async function main() {
	mkdirSync(outputDir, { recursive: true });
	if (!buildIfNeeded(log)) throw new Error('bench: astro build failed');
	const databaseUrl = surveysDatabaseUrl();
	await ensureBenchDatabase(databaseUrl, log);
	const handle = await openDatabase({ databaseUrl, poolMax: 4 });
	stops.push(() => handle.close());
	const db = handle.db;
	const started = performance.now();
	const seeded = await seedBenchSurveys(db, log);
	log(
		`${seeded.skipped ? 'using' : 'seeded'} survey ${seeded.surveyId}: ${seeded.responses} responses, ` +
			`${seeded.answers} answer rows; ${seeded.dashboardSurveys} projects with published results ` +
			`(${((performance.now() - started) / 1000).toFixed(1)} s)`,
	);
	const verifyStarted = performance.now();
	const verified = await verifyTallies(db, seeded.surveyId);
	const verifySeconds = (performance.now() - verifyStarted) / 1000;
	log(
		`totals against a recount: ${verified.problems.length} differences (${verifySeconds.toFixed(1)} s)`,
	);
	const timings = await serverTimings(db, seeded.surveyId);

	const settings = loadSettings();
	const app = await startApp(databaseUrl);
	const resultsPath = `/surveys/${seeded.surveyId}/results`;
	const page = await fetch(`${app}${resultsPath}`);
	if (!page.ok) throw new Error(`bench: ${resultsPath} answered ${page.status}`);
	const html = Buffer.from(await page.arrayBuffer());
	const sizes = await htmlSizes(app, [
		resultsPath,
		`/en${resultsPath}`,
		`${resultsPath}?compound=${await firstCompound(app, resultsPath)}`,
		'/dashboard',
	]);
	const dashboardPage = await fetch(`${app}/dashboard`);
	const dashboardHtml = await dashboardPage.text();
	const dashboardRows = (dashboardHtml.match(/<li data-project=/g) ?? []).length;
	const htmlFile = path.join(outputDir, 'bench-surveys-results.html');
	writeFileSync(htmlFile, html);
	const bare = await startBareServer('static', { BENCH_HTML_FILE: htmlFile });
	stops.push(bare.stop);
	const barePg = await startBareServer('pg', {
		BENCH_HTML_FILE: htmlFile,
		BENCH_DATABASE_URL: databaseUrl,
	});
	stops.push(barePg.stop);
	const rows = [
		{ name: 'bare Node http (the results page’s HTML)', url: `${bare.url}/` },
		{ name: 'bare postgres.js query by id + that HTML', url: `${barePg.url}/` },
		{ name: `results page \`${resultsPath}\` (100,000 responses)`, url: `${app}${resultsPath}` },
		{ name: `the same in English`, url: `${app}/en${resultsPath}` },
		{
			name: `district dashboard \`/dashboard\` (${dashboardRows} projects)`,
			url: `${app}/dashboard`,
		},
		{
			name: 'dashboard sorted by participation, year 2026',
			url: `${app}/dashboard?year=2026&sort=participation`,
		},
	];
	const measured: MeasuredRow[] = [];
	for (const row of rows) {
		log(`loading ${row.name}`);
		measured.push({
			name: row.name,
			target: 'app',
			path: row.url,
			...(await measureLoad(row.url, settings)),
		});
	}
	const after = await verifyTallies(db, seeded.surveyId);

	const target = (t: Timing) => (t.p95 < 200 ? 'met' : 'MISSED');
	const line = (name: string, t: Timing, goal: string) =>
		`| ${name} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${ms(t.max)} | ${t.runs} | ${goal} |`;
	const url = new URL(databaseUrl);
	const view = timings.view;
	const report = [
		`# Survey bench ${new Date().toISOString()}`,
		'',
		`Node ${process.version}, ${os.cpus().length} cores; database ${url.host}${url.pathname}; ` +
			`survey ${seeded.surveyId}: ${view.households} households in scope, ${view.responses} responses, ` +
			`${seeded.answers} answer rows, ${view.questions.length} questions, ${view.buildings.length} buildings; ` +
			`results page ${html.length} B; autocannon ${settings.connections} connections, ` +
			`${settings.warmupSeconds} s warm-up + ${settings.seconds} s per row.`,
		'',
		'## Results computation (server time)',
		'',
		'| measure | p50 ms | p95 ms | p99 ms | max ms | runs | target |',
		'| --- | ---: | ---: | ---: | ---: | ---: | --- |',
		line(
			'full results of 100,000 responses from the running totals (what staff preview and publication snapshots)',
			timings.results,
			`p95 < 200: ${target(timings.results)}`,
		),
		line(
			'the same recounted by GROUP BY over the answer rows (how results were computed before the totals)',
			timings.recount,
			'–',
		),
		line(
			'published snapshot read (the public results page’s queries; parsed snapshots are kept by digest)',
			timings.published,
			'–',
		),
		line('dashboard rows and filters (the public dashboard’s queries)', timings.dashboard, '–'),
		'',
		`Running totals equal to a recount from the stored answers: ${verified.problems.length === 0 ? 'yes' : `NO (${verified.problems.length})`} ` +
			`(${verified.rows} counters, ${verifySeconds.toFixed(1)} s); the results views from both are ${timings.equal ? 'identical' : 'DIFFERENT'}; ` +
			`after the HTTP load ${after.problems.length === 0 ? 'still equal' : `NO (${after.problems.length})`}.`,
		'',
		'## Compressed HTML (gzip level 6; budget 60 KB whatever the scope, issue 19)',
		'',
		'| page | HTML gz | uncompressed | ≤ 60 KB |',
		'| --- | ---: | ---: | --- |',
		...sizes.map(
			(row) =>
				`| \`${row.path}\` | ${kb(row.gz)} | ${kb(row.raw)} | ${row.gz <= BUDGET ? 'met' : 'MISSED'} |`,
		),
		'',
		'## Public pages over HTTP',
		'',
		loadTable(measured),
		'',
	].join('\n');
	process.stdout.write(`\n${report}\n`);
	writeFileSync(path.join(outputDir, 'bench-surveys.md'), report);
	if (verified.problems.length || after.problems.length || !timings.equal) process.exitCode = 1;
	if (sizes.some((row) => row.gz > BUDGET)) process.exitCode = 1;
}

/** The page-weight budget for one page's HTML, compressed (issue 19). */
const BUDGET = 60 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Each page's HTML as a first visit gets it: bytes gzipped (level 6) and raw. */
async function htmlSizes(app: string, paths: string[]) {
	const sizes: { path: string; gz: number; raw: number }[] = [];
	for (const pagePath of paths) {
		const response = await fetch(`${app}${pagePath}`);
		if (!response.ok) throw new Error(`bench: ${pagePath} answered ${response.status}`);
		const body = Buffer.from(await response.arrayBuffer());
		sizes.push({ path: pagePath, gz: gzipSync(body, { level: 6 }).length, raw: body.length });
	}
	return sizes;
}

/** The first compound the results page's filter offers (a visitor asks for one). */
async function firstCompound(app: string, resultsPath: string): Promise<string> {
	const html = await (await fetch(`${app}${resultsPath}`)).text();
	const found =
		/<select id="scope-compound"[^>]*>(?:\s*<option value="">[^<]*<\/option>)?\s*<option value="(\d+)"/.exec(
			html,
		);
	if (!found) throw new Error(`bench: ${resultsPath} offers no compound filter`);
	return found[1]!;
}

try {
	await main();
} catch (error) {
	const own = error instanceof Error && error.message.startsWith('bench:');
	process.stderr.write(`${own ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
	process.exitCode = 1;
} finally {
	while (stops.length) await stops.pop()!().catch(() => {});
}
