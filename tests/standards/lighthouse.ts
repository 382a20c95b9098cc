/**
 * `npm run test:lighthouse`: Lighthouse (mobile) on one page of every resident page type
 * (`residentPageTypes`) of the built server with the demo data. Targets:
 * performance ≥ 95, accessibility 100, best practices ≥ 95. Prints a table, writes
 * tests/.output/lighthouse.md and .json, and exits 1 when a target is missed. Uses
 * TEST_DATABASE_URL's server when set, else an embedded database. Loopback only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIfNeeded, projectRoot } from '../../src/build-if-needed.ts';
import {
	hasChromium,
	chromiumPath,
	lighthouseScores,
	lighthouseTable,
	missedTargets,
	keyPageTypes,
	residentPageTypes,
} from './lighthouse-core.ts';
import { startSite } from './site.ts';

const log = (line: string) => process.stdout.write(`lighthouse: ${line}\n`);

/** The pages scored: one of each resident page type that the demo answers with 200. */
async function pagesOf(base: string): Promise<{ name: string; path: string }[]> {
	const pages: { name: string; path: string }[] = [];
	const types = process.argv.includes('--key-pages') ? keyPageTypes : residentPageTypes;
	for (const page of types) {
		const response = await fetch(`${base}${page.path}`, { redirect: 'manual' });
		if (response.status === 200) pages.push(page);
		else log(`skipping ${page.path} (HTTP ${response.status})`);
	}
	return pages;
}

async function main(): Promise<number> {
	if (!hasChromium()) {
		log(`no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
		return 1;
	}
	if (!buildIfNeeded(log)) return 1;
	const started = performance.now();
	const site = await startSite({ LOG_LEVEL: 'warn' });
	try {
		const pages = await pagesOf(site.server.url);
		for (const page of pages) await fetch(site.server.url + page.path); // warm the page cache
		const scores = await lighthouseScores(site.server.url, pages);
		// A run that measured nothing (no paint at all: LCP 0, score 0) is Chrome failing to load
		// the page in time on a busy machine, not a slow page (CI saw one page fail so twice in a
		// row, then score 100 when run alone): measure those pages again, up to three times.
		for (let attempt = 1; attempt <= 3; attempt++) {
			const unmeasured = scores.filter((s) => s.lcp === 0 && s.performance === 0);
			if (!unmeasured.length) break;
			log(
				`re-measuring ${unmeasured.map((s) => s.path).join(', ')} (no paint recorded, attempt ${attempt})`,
			);
			const again = await lighthouseScores(site.server.url, unmeasured);
			for (const score of again) scores[scores.findIndex((s) => s.path === score.path)] = score;
		}
		const table = lighthouseTable(scores);
		const missed = missedTargets(scores);
		const report = [
			`# Lighthouse (mobile) ${new Date().toISOString()}`,
			'',
			table,
			'',
			missed.length ? `Missed: ${missed.join('; ')}` : 'All targets met.',
			...scores
				.filter((s) => s.failing.length)
				.map((s) => `- \`${s.path}\` audits below 90: ${s.failing.join(', ')}`),
		].join('\n');
		process.stdout.write(`\n${report}\n\n`);
		const out = path.join(projectRoot, 'tests', '.output');
		mkdirSync(out, { recursive: true });
		writeFileSync(path.join(out, 'lighthouse.md'), `${report}\n`);
		writeFileSync(path.join(out, 'lighthouse.json'), JSON.stringify(scores, null, 2));
		log(`${scores.length} pages in ${((performance.now() - started) / 1000).toFixed(0)} s`);
		return missed.length ? 1 : 0;
	} finally {
		await site.stop();
	}
}

try {
	process.exitCode = await main();
} catch (error) {
	process.stderr.write(`lighthouse: ${(error as Error)?.stack ?? String(error)}\n`);
	process.exitCode = 1;
}
