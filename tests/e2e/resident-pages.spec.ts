import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInResident } from './fixtures.ts';

/**
 * Every resident page type at 360 px (issue 19, items 2 and 7), in Chinese and English, at
 * normal and large text: axe finds nothing serious or critical, nothing scrolls sideways —
 * neither the page nor a box inside it — and no table cell is squeezed narrower than two
 * characters (Chinese broken one character per line).
 */
test.skip(({ isMobile }) => !isMobile, 'the check runs on the phone profile');
test.setTimeout(600_000);

// d5 of 杜鹃新村, building 2 (db/seed/activity.ts); other journeys sign in other residents
// (codes are rate-limited per phone).
const D5 = '+8615805980005';

/** Public pages of the demo, one per page type. */
const PUBLIC = [
	'/',
	'/p/dujuan',
	'/p/dujuan/v/2',
	'/p/dujuan/v/2?stance=support#opinions',
	'/p/dujuan/v/2/notice',
	'/p/dujuan/v/2/answers',
	'/p/dujuan/diff?from=1&to=2',
	'/rounds/1',
	'/rounds/1/results',
	'/rounds/1/notice',
	'/rounds/1/call',
	'/rounds/2',
	'/rounds/2/results',
	'/surveys',
	'/surveys/1',
	'/surveys/1/results',
	'/p/hongyan/progress',
	'/p/hongyan/problems',
	'/p/baisha-fuxing/repairs',
	'/p/baisha-fuxing/money',
	'/dashboard',
	'/search?q=xincun',
	'/privacy',
	'/accessibility',
	'/login',
];

/** Pages only a signed-in resident reaches. */
const SIGNED_IN = ['/account', '/account/notifications', '/bind'];

type Layout = { scrollWidth: number; wide: string[]; scrolling: string[]; squeezed: string[] };

/** What sticks out at the current viewport: the page, boxes past its edge, squeezed cells. */
async function measureLayout(page: Page): Promise<Layout> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		const name = (el: Element) => {
			const cls = el.getAttribute('class')?.split(/\s+/).filter(Boolean).slice(0, 2).join('.');
			const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
			return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} "${text}"`;
		};
		const visible = (el: Element, r: DOMRect) => {
			if (r.width <= 1 || r.height <= 1) return false; // visually hidden (sr-only)
			if (el.closest('.visually-hidden')) return false; // inside a clipped, hidden box
			const style = getComputedStyle(el);
			return style.visibility !== 'hidden' && style.display !== 'none';
		};
		const wide: string[] = [];
		const scrolling: string[] = [];
		const squeezed: string[] = [];
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (!visible(el, r)) continue;
			// A skip link parked off-screen until focused is not content.
			if (r.right <= 0) continue;
			if (r.right > width + 1 || r.left < -1)
				wide.push(`${name(el)} ${Math.round(r.left)}…${Math.round(r.right)}`);
			const style = getComputedStyle(el);
			const form = /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
			if (!form && /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
				scrolling.push(`${name(el)} ${el.scrollWidth}>${el.clientWidth}`);
			}
			if ((el.tagName === 'TD' || el.tagName === 'TH') && (el.textContent ?? '').trim()) {
				const font = Number.parseFloat(style.fontSize);
				const inner =
					el.clientWidth -
					Number.parseFloat(style.paddingLeft) -
					Number.parseFloat(style.paddingRight);
				if (inner < 2 * font - 0.5) squeezed.push(`${name(el)} ${Math.round(inner)}px`);
			}
		}
		return { scrollWidth: document.documentElement.scrollWidth, wide, scrolling, squeezed };
	});
}

async function checkPages(page: Page, paths: string[], label: string, problems: string[]) {
	for (const path of paths) {
		const response = await page.goto(path);
		const where = `${label} ${path}`;
		if (!response || response.status() >= 400) {
			problems.push(`${where}: HTTP ${response?.status()}`);
			continue;
		}
		if (/results|dashboard|progress/.test(path)) {
			// Results and coverage in pictures (zh, en, large text), looked at for issue 19.
			const file = `${label}${path}`.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');
			await page.screenshot({ path: `/work/shots/residents-${file}.png`, fullPage: true });
		}
		const layout = await measureLayout(page);
		if (layout.scrollWidth > 360) problems.push(`${where}: page ${layout.scrollWidth} px wide`);
		for (const box of layout.wide.slice(0, 5)) problems.push(`${where}: beyond the edge: ${box}`);
		for (const box of layout.scrolling.slice(0, 5))
			problems.push(`${where}: scrolls sideways: ${box}`);
		for (const cell of layout.squeezed.slice(0, 5))
			problems.push(`${where}: squeezed cell: ${cell}`);
		try {
			await expectAccessible(page, where);
		} catch (error) {
			problems.push(`${where}: ${(error as Error).message.split('\n').slice(0, 12).join(' ')}`);
		}
	}
}

for (const size of ['normal', 'large'] as const) {
	for (const lang of ['zh', 'en'] as const) {
		test(`every resident page type at 360 px: ${lang}, ${size} text`, async ({ page, baseURL }) => {
			const prefix = lang === 'en' ? '/en' : '';
			const paths = (list: string[]) =>
				list.map((p) => (p === '/' && prefix ? '/en' : `${prefix}${p}`));
			await page.context().addCookies([{ name: 'gj_text', value: size, url: baseURL! }]);
			const problems: string[] = [];
			await checkPages(page, paths(PUBLIC), `${lang} ${size}`, problems);
			expect(problems, `${lang} ${size}`).toEqual([]);
		});
	}
}

test('signed-in resident pages at 360 px: zh and en, normal and large text', async ({
	page,
	baseURL,
}) => {
	await signInResident(page, D5);
	await expect(page).not.toHaveURL(/\/login/);
	// The resident's own ballot and survey forms, found from their pages.
	await page.goto('/rounds/1');
	const ballot = await page.locator('a[href*="/ballot/"]').first().getAttribute('href');
	const own = [...SIGNED_IN, '/rounds/1', '/rounds/1/results', '/surveys/1/results', '/'];
	if (ballot) own.push(ballot);
	const problems: string[] = [];
	for (const size of ['normal', 'large'] as const) {
		await page.context().addCookies([{ name: 'gj_text', value: size, url: baseURL! }]);
		await checkPages(page, own, `zh ${size}`, problems);
		await checkPages(
			page,
			own.map((p) => (p === '/' ? '/en' : `/en${p}`)),
			`en ${size}`,
			problems,
		);
	}
	expect(problems).toEqual([]);
});
