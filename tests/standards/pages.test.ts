import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurePageWeight, type PageWeight } from '../bench/weight.ts';
import { budgetFor, type Budget } from './budgets.ts';
import { crawl, signIn, startSite, type CrawledPage, type Site } from './site.ts';
import { hasJava, validateHtml, type VnuMessage } from './vnu.ts';

/**
 * Standards over every page type (issue 9): the built server is crawled as a visitor, a
 * resident and an administrator (and in English and large-text mode); every page found must
 * validate with the Nu HTML Checker, and every page a resident sees must stay within its
 * compressed byte budget, island JavaScript included.
 */
const KEY_PAGES = [
	'/',
	'/p/:slug',
	'/p/:slug/v/:n',
	'/p/:slug/diff?from&to',
	'/login',
	'/bind',
	'/404',
];

describe('pages meet the standards', () => {
	let site: Site;
	let pages: CrawledPage[] = [];
	let residentPages: CrawledPage[] = [];
	let errors: VnuMessage[] = [];
	const weights: (PageWeight & { budget: Budget })[] = [];

	beforeAll(async () => {
		site = await startSite();
		try {
			await checkSite();
		} catch (error) {
			console.log(`standards: server output:\n${site.server.output().slice(-4000)}`);
			throw error;
		}
	}, 300_000);

	async function checkSite() {
		const base = site.server.url;
		const [admin, resident] = [await signIn(base, 'admin'), await signIn(base, 'resident')];
		const visitor = await crawl(
			base,
			['/', '/login', '/bind', '/staff/login', '/no-such-page'],
			'',
		);
		const english = await crawl(base, ['/en/', '/en/p/hongyan'], '', 4);
		const large = await crawl(base, ['/', '/p/dujuan/v/2'], 'gj_text=large', 2);
		residentPages = await crawl(base, ['/account', '/bind', '/', '/p/dujuan/v/2'], resident);
		const staff = await crawl(base, ['/staff'], admin, 40);
		const tag = (list: CrawledPage[], label: string) =>
			list.map((p) => ({ ...p, path: `${p.path} (${label})` }));
		pages = [
			...tag(visitor, 'visitor'),
			...tag(english, 'en'),
			...tag(large, 'large text'),
			...tag(residentPages, 'resident'),
			...tag(staff, 'admin'),
		];
		if (hasJava()) errors = validateHtml(pages);
		const residentView = [
			...visitor.map((page) => ({ page, cookie: '' })),
			...residentPages.map((page) => ({ page, cookie: resident })),
		].filter(({ page }) => page.status === 200 && !page.key.startsWith('/staff'));
		for (const { page, cookie } of residentView) {
			const weight = await measurePageWeight(base, page.path, cookie ? { cookie } : {});
			weights.push({ ...weight, budget: budgetFor(page.key) });
		}
		console.log(
			`standards: ${pages.length} pages checked (${new Set(pages.map((p) => p.key)).size} page types); ` +
				`weights: ${weights.map((w) => `${w.path} ${(w.total / 1024).toFixed(1)} KB`).join(', ')}`,
		);
	}

	afterAll(async () => {
		await site?.stop();
	});

	it('finds every key page type by following links', () => {
		const keys = new Set(pages.map((p) => p.key));
		for (const key of KEY_PAGES) expect([...keys], key).toContain(key);
		expect(pages.filter((p) => p.key.startsWith('/staff')).length).toBeGreaterThanOrEqual(5);
	});

	it.runIf(hasJava())('every page validates with the Nu HTML Checker (no errors)', () => {
		const lines = errors.map((e) => `${e.page}:${e.line ?? '?'} ${e.message} «${e.extract ?? ''}»`);
		expect(lines, lines.slice(0, 30).join('\n')).toEqual([]);
	});

	it('every resident page stays within its compressed budget (HTML, CSS, JS with islands)', () => {
		expect(weights.length).toBeGreaterThan(3);
		const over = weights.flatMap((w) => {
			const problems: string[] = [];
			for (const part of ['html', 'css', 'js', 'total'] as const)
				if (w[part] > w.budget[part])
					problems.push(`${w.path}: ${part} ${w[part]} B > ${w.budget[part]} B`);
			return problems;
		});
		expect(over).toEqual([]);
	});

	it('counts island JavaScript: the plan page with renderings loads its before/after island', () => {
		const plan = weights.find((w) => /^\/p\/[^/]+\/v\/\d+$/.test(w.path));
		expect(plan?.assets.some((a) => /\.js$/.test(a))).toBe(true);
		expect(plan!.js).toBeGreaterThan(1000);
	});
});
