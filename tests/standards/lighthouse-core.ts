import { existsSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

/**
 * Lighthouse in Debian's Chromium with its default mobile settings (Moto G Power viewport,
 * simulated slow 4G and 4× CPU slowdown): performance, accessibility and best practices.
 */
export type LighthouseScores = {
	name: string;
	path: string;
	performance: number;
	accessibility: number;
	bestPractices: number;
	/** Largest contentful paint and total blocking time (ms), simulated. */
	lcp: number;
	tbt: number;
	/** Audits that failed, for the report. */
	failing: string[];
};

export const targets = { performance: 95, accessibility: 100, bestPractices: 95 } as const;

/**
 * One public page of each resident page type in the demo data (issue 19): what Lighthouse
 * scores in `npm run test:lighthouse` and, beside the city-scale pages, in `npm run bench`.
 */
export const residentPageTypes = [
	{ name: 'home', path: '/' },
	{ name: 'project', path: '/p/hongyan' },
	{ name: 'plan version', path: '/p/dujuan/v/2' },
	{ name: 'plan notice', path: '/p/dujuan/v/2/notice' },
	{ name: 'plan answers', path: '/p/dujuan/v/2/answers' },
	{ name: 'round', path: '/rounds/1' },
	{ name: 'round results', path: '/rounds/2/results' },
	{ name: 'round notice', path: '/rounds/1/notice' },
	{ name: 'surveys', path: '/surveys' },
	{ name: 'survey', path: '/surveys/1' },
	{ name: 'survey results', path: '/surveys/1/results' },
	{ name: 'progress', path: '/p/hongyan/progress' },
	{ name: 'problems', path: '/p/hongyan/problems' },
	{ name: 'repairs', path: '/p/baisha-fuxing/repairs' },
	{ name: 'money', path: '/p/baisha-fuxing/money' },
	{ name: 'dashboard', path: '/dashboard' },
	{ name: 'search', path: '/search?q=xincun' },
	{ name: 'privacy', path: '/privacy' },
	{ name: 'accessibility', path: '/accessibility' },
	{ name: 'sign-in', path: '/login' },
];

/**
 * What `npm test` scores (`-- --key-pages`): the pages most visited and the heaviest, so CI stays
 * within its time; `npm run test:lighthouse` and the bench score every type (20 pages, 137 s).
 */
export const keyPageTypes = residentPageTypes.filter((page) =>
	['home', 'project', 'plan version', 'round results', 'survey results', 'progress'].includes(
		page.name,
	),
);

/** Pages `npm run bench` scores: the city-scale project beside every resident page type. */
export const benchLighthousePages = [
	{ name: 'project (city scale)', path: '/p/city-0001' },
	...residentPageTypes,
];

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
	return existsSync(chromiumPath);
}

/** Scores each page in one Chromium, one page after the other (a fair CPU for each). */
export async function lighthouseScores(
	base: string,
	pages: { name: string; path: string }[],
): Promise<LighthouseScores[]> {
	const chrome = await chromeLauncher.launch({
		chromePath: chromiumPath,
		chromeFlags: [
			'--headless=new',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic',
		],
	});
	try {
		const scores: LighthouseScores[] = [];
		for (const page of pages) {
			const result = await lighthouse(base + page.path, {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				onlyCategories: ['performance', 'accessibility', 'best-practices'],
			});
			if (!result) throw new Error(`lighthouse: no result for ${page.path}`);
			const { categories, audits } = result.lhr;
			const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
			const failing = Object.values(audits)
				.filter(
					(a) =>
						a.score !== null &&
						a.score < 0.9 &&
						a.scoreDisplayMode !== 'informative' &&
						a.scoreDisplayMode !== 'manual' &&
						a.scoreDisplayMode !== 'notApplicable',
				)
				.map((a) => `${a.id} (${Math.round((a.score ?? 0) * 100)})`);
			scores.push({
				...page,
				performance: score('performance'),
				accessibility: score('accessibility'),
				bestPractices: score('best-practices'),
				lcp: Math.round(audits['largest-contentful-paint']?.numericValue ?? 0),
				tbt: Math.round(audits['total-blocking-time']?.numericValue ?? 0),
				failing,
			});
		}
		return scores;
	} finally {
		chrome.kill();
	}
}

/** Which scores miss their targets (empty: all met). */
export function missedTargets(scores: LighthouseScores[]): string[] {
	return scores.flatMap((s) => [
		...(s.performance < targets.performance ? [`${s.path}: performance ${s.performance}`] : []),
		...(s.accessibility < targets.accessibility
			? [`${s.path}: accessibility ${s.accessibility}`]
			: []),
		...(s.bestPractices < targets.bestPractices
			? [`${s.path}: best practices ${s.bestPractices}`]
			: []),
	]);
}

/** The markdown table (bench and test:lighthouse share it). */
export function lighthouseTable(scores: LighthouseScores[]): string {
	return [
		`| page | performance (≥ ${targets.performance}) | accessibility (${targets.accessibility}) | best practices (≥ ${targets.bestPractices}) | LCP ms | TBT ms |`,
		'| --- | ---: | ---: | ---: | ---: | ---: |',
		...scores.map(
			(s) =>
				`| ${s.name} \`${s.path}\` | ${s.performance} | ${s.accessibility} | ${s.bestPractices} | ${s.lcp} | ${s.tbt} |`,
		),
	].join('\n');
}
