/**
 * `npm test`: every suite — unit, integration (PGlite, and PostgreSQL when TEST_DATABASE_URL is
 * set), HTTP against the built server, the hostile-input corpus, backups, page standards,
 * Playwright in Chromium, Lighthouse (mobile) on the key pages, and the load, fault and
 * scale-out scripts in their short CI profile (tests/load, LOAD_PROFILE=ci) — then one closing
 * line `N passed, N failed`. Exits non-zero on any failure. Without Chromium the browser suite
 * is skipped with one line, and so are the load scripts without a PostgreSQL server
 * (TEST_DATABASE_URL), the fault script when not root and the scale script without nginx;
 * under CI=true each of those is a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildIfNeeded, projectRoot } from '../src/build-if-needed.ts';

const output = path.join(projectRoot, 'tests', '.output');
mkdirSync(output, { recursive: true });
const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ci = process.env.CI === 'true';

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

function run(command: string, args: string[]): number {
	const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: process.env });
	return result.status ?? 1;
}

function readJson<T>(file: string): T | null {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return null;
	}
}

const built = buildIfNeeded((line) => console.log(line));
if (!built) {
	console.error('test: the build failed');
	broken = true;
}

// Vitest: unit, integration, http.
const vitestJson = path.join(output, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitestStatus = broken
	? 1
	: run(bin('vitest'), [
			'run',
			'--config',
			'tests/vitest.config.ts',
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${vitestJson}`,
		]);
const vitest = readJson<{
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numTodoTests: number;
}>(vitestJson);
if (vitest) {
	passed += vitest.numPassedTests;
	failed += vitest.numFailedTests;
	skipped += vitest.numPendingTests + vitest.numTodoTests;
	console.log(`vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed`);
}
if (vitestStatus !== 0 || !vitest) broken = true;

// Playwright in Debian's Chromium.
if (!existsSync(chromium)) {
	if (ci) {
		console.error(`e2e: no Chromium at ${chromium}, and CI=true requires the browser suite.`);
		broken = true;
	} else {
		console.log(
			`e2e: skipped — no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH).`,
		);
	}
} else {
	const e2eJson = path.join(output, 'e2e.json');
	rmSync(e2eJson, { force: true });
	const status = run(bin('playwright'), ['test', '--config', 'tests/playwright.config.ts']);
	const report = readJson<{
		stats: { expected: number; unexpected: number; flaky: number; skipped: number };
	}>(e2eJson);
	if (report) {
		const { expected, unexpected, flaky } = report.stats;
		passed += expected;
		failed += unexpected + flaky;
		skipped += report.stats.skipped;
		console.log(`playwright: ${expected} passed, ${unexpected + flaky} failed`);
	}
	if (status !== 0 || !report) broken = true;
}

// Lighthouse (mobile) on the key pages, one test per page (tests/standards/lighthouse.ts).
if (existsSync(chromium) && !broken) {
	const lighthouseJson = path.join(output, 'lighthouse.json');
	rmSync(lighthouseJson, { force: true });
	const status = run(process.execPath, ['tests/standards/lighthouse.ts', '--key-pages']);
	const scores =
		readJson<{ performance: number; accessibility: number; bestPractices: number }[]>(
			lighthouseJson,
		);
	if (scores) {
		const good = scores.filter(
			(s) => s.performance >= 95 && s.accessibility === 100 && s.bestPractices >= 95,
		).length;
		passed += good;
		failed += scores.length - good;
		console.log(`lighthouse: ${good} passed, ${scores.length - good} failed`);
	}
	if (status !== 0 || !scores) broken = true;
}

/**
 * test:load, test:faults, test:scale and test:failover in the CI profile (about 2.5 min together): each check
 * of tests/.output/<name>.json counts as a test; a script that skipped says so in one line.
 */
type ScriptResult = {
	checks: { name: string; ok: boolean }[];
	skipped?: string;
};
const loadScripts = [
	{ name: 'load', file: 'tests/load/run.ts' },
	{ name: 'faults', file: 'tests/load/faults.ts' },
	{ name: 'scale', file: 'tests/load/scale.ts' },
	{ name: 'failover', file: 'tests/load/failover.ts' },
];
const loadServer = process.env.TEST_DATABASE_URL;
const root = process.getuid?.() === 0;
for (const script of loadScripts) {
	if (!built) break;
	const cannot = !loadServer
		? 'no PostgreSQL server (set TEST_DATABASE_URL)'
		: (script.name === 'faults' || script.name === 'failover') && !root
			? 'it makes its own PostgreSQL clusters (pg_createcluster) and needs root'
			: null;
	if (cannot) {
		if (ci) {
			console.error(`${script.name}: ${cannot}, and CI=true requires it.`);
			broken = true;
		} else console.log(`${script.name}: skipped — ${cannot}.`);
		continue;
	}
	const file = path.join(output, `${script.name}.json`);
	rmSync(file, { force: true });
	const result = spawnSync(process.execPath, [script.file], {
		cwd: projectRoot,
		stdio: 'inherit',
		env: { ...process.env, LOAD_PROFILE: process.env.LOAD_PROFILE ?? 'ci' },
	});
	const report = readJson<ScriptResult>(file);
	if (report?.skipped) {
		skipped += 1;
		continue;
	}
	if (report) {
		const good = report.checks.filter((c) => c.ok).length;
		passed += good;
		failed += report.checks.length - good;
		console.log(`${script.name}: ${good} passed, ${report.checks.length - good} failed`);
	}
	if (result.status !== 0 || !report) broken = true;
}

if (broken && failed === 0) failed = 1; // a runner crashed or could not report: never a green line
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(broken || failed > 0 ? 1 : 0);
