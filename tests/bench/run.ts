/**
 * `npm run bench`: requests per second and latency of the built server on the city-scale data
 * set (PostgreSQL), against bare Node baselines measured in the same run, and the compressed
 * weight of the main pages against the 60 KB budget. Prints markdown tables and writes them to
 * tests/.output/bench.md. Loopback only; every server it starts is stopped, even on error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import { startServer } from '../helpers/server.ts';
import { benchDatabaseUrl, ensureBenchDatabase } from './bench-db.ts';
import { loadSettings, measureLoad, type LoadSettings } from './load.ts';
import { assetList, loadTable, weightTable, type MeasuredRow } from './report.ts';
import { benchRows, weightPages, WEIGHT_BUDGET_BYTES, type BenchTarget } from './rows.ts';
import { startBareServer } from './servers.ts';
import { measurePageWeight } from './weight.ts';
import {
	benchLighthousePages,
	chromiumPath,
	hasChromium,
	lighthouseScores,
	lighthouseTable,
} from '../standards/lighthouse-core.ts';
import { benchResidentCookie } from './resident.ts';
import { benchModeratorCookie } from './sessions.ts';
import { benchCodeVerification, benchImagePipeline } from './inprocess.ts';
import { benchRoster } from './roster.ts';

const outputDir = path.join(projectRoot, 'tests', '.output');
const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
const stops: (() => Promise<unknown>)[] = [];
/** Production settings; the bench sends no SMS (production refuses the dev SMS sender). */
const appEnv = { LOG_LEVEL: 'warn', AUTH_MODE: 'password', SMS_SENDER: 'none' };

async function stopAll(): Promise<void> {
	while (stops.length > 0) await stops.pop()!().catch(() => {});
}

/** Starts the app and both baselines; the baselines answer the app's own home page HTML. */
async function startTargets(
	databaseUrl: string,
): Promise<{ targets: Record<BenchTarget, string>; homeBytes: number }> {
	const app = await startServer({ ...appEnv, DATABASE_URL: databaseUrl });
	stops.push(() => app.stop());
	const home = await fetch(`${app.url}/`);
	if (!home.ok) throw new Error(`bench: the home page answered ${home.status}`);
	const html = Buffer.from(await home.arrayBuffer());
	const htmlFile = path.join(outputDir, 'bench-home.html');
	writeFileSync(htmlFile, html);
	const bare = await startBareServer('static', { BENCH_HTML_FILE: htmlFile });
	stops.push(bare.stop);
	const barePg = await startBareServer('pg', {
		BENCH_HTML_FILE: htmlFile,
		BENCH_DATABASE_URL: databaseUrl,
	});
	stops.push(barePg.stop);
	return { targets: { app: app.url, bare: bare.url, barePg: barePg.url }, homeBytes: html.length };
}

function header(settings: LoadSettings, databaseUrl: string, homeBytes: number): string {
	const db = new URL(databaseUrl);
	return [
		`# Bench ${new Date().toISOString()}`,
		'',
		`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); ` +
			`autocannon ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ` +
			`${settings.seconds} s per row; database ${db.host}${db.pathname}; home page ${homeBytes} B.`,
	].join('\n');
}

async function main(): Promise<void> {
	const settings = loadSettings();
	mkdirSync(outputDir, { recursive: true });
	if (!buildIfNeeded(log)) throw new Error('bench: astro build failed');
	const databaseUrl = benchDatabaseUrl();
	await ensureBenchDatabase(databaseUrl, log);
	const { targets, homeBytes } = await startTargets(databaseUrl);
	const measured: MeasuredRow[] = [];
	const cookies = {
		resident: await benchResidentCookie(databaseUrl),
		moderator: await benchModeratorCookie(databaseUrl, log),
	};
	// BENCH_ONLY=<regex> measures the matching rows (and the baseline) and nothing else.
	const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
	const rows = only ? benchRows.filter((r, i) => i === 0 || only.test(r.name)) : benchRows;
	for (const row of rows) {
		log(`loading ${row.name} (${row.target} ${row.path})`);
		const headers: Record<string, string> = row.as ? { cookie: cookies[row.as] } : {};
		measured.push({
			...row,
			...(await measureLoad(`${targets[row.target]}${row.path}`, settings, headers)),
		});
	}
	if (only) {
		process.stdout.write(
			`\n${header(settings, databaseUrl, homeBytes)}\n\n${loadTable(measured)}\n`,
		);
		return;
	}
	const weights = [];
	for (const page of weightPages) weights.push(await measurePageWeight(targets.app, page));
	// Lighthouse (mobile) on the large data set, when Debian's Chromium is there.
	const lighthouse = hasChromium()
		? lighthouseTable(await lighthouseScores(targets.app, benchLighthousePages))
		: `Skipped: no Chromium at ${chromiumPath}.`;
	log('sign-in code verification (in-process)');
	const verification = await benchCodeVerification(databaseUrl);
	log('image pipeline on a 12 MP photo');
	const images = await benchImagePipeline();
	log('roster import of 20,000 households');
	const roster = await benchRoster(databaseUrl);
	const report = [
		header(settings, databaseUrl, homeBytes),
		'## Load',
		loadTable(measured),
		'## Page weight (gzip level 6)',
		weightTable(weights, WEIGHT_BUDGET_BYTES),
		assetList(weights),
		verification,
		images,
		roster,
		'## Lighthouse (mobile, simulated slow 4G)',
		lighthouse,
	].join('\n\n');
	process.stdout.write(`\n${report}\n`);
	writeFileSync(path.join(outputDir, 'bench.md'), `${report}\n`);
	log(`written to ${path.relative(projectRoot, path.join(outputDir, 'bench.md'))}`);
}

let interrupted = false;
process.once('SIGINT', () => {
	interrupted = true;
	process.stderr.write('bench: interrupted; stopping the servers\n');
	void stopAll().finally(() => process.exit(130));
});

try {
	await main();
} catch (error) {
	// Our own failures are one line; anything else keeps its stack.
	const own = error instanceof Error && error.message.startsWith('bench:');
	if (!interrupted) {
		process.stderr.write(`${own ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
	}
	process.exitCode = 1;
} finally {
	await stopAll();
}
