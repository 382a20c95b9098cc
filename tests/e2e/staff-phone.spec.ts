import { expect, test, type Page } from '@playwright/test';
import { signInStaff } from './fixtures.ts';

/**
 * Committee members use phones (issue 21): every type of staff page fits 360 px — nothing
 * scrolls sideways. The admin of the demo sees every page; pages with an id are reached by the
 * first link of their list, as a person would. (The demo has no problem report, so a problem's
 * own page is not reached here.)
 */
const fixed = [
	'/staff',
	'/staff/community',
	'/staff/projects',
	'/staff/rounds',
	'/staff/rounds/1',
	'/staff/rounds/1/visits',
	'/staff/rounds/1/planner',
	'/staff/rounds/1/paper',
	'/staff/rounds/1/close',
	'/staff/surveys',
	'/staff/moderation',
	'/staff/moderation/unanswered',
	'/staff/moderation/offline',
	'/staff/moderation/blocks',
	'/staff/moderation/words',
	'/staff/households',
	'/staff/households/slips',
	'/staff/roster',
	'/staff/roster/tree',
	'/staff/problems',
	'/staff/progress',
	'/staff/repairs',
	'/staff/admin/staff',
	'/staff/admin/audit',
];

/** From a list page, the first link to a page of that type (a pattern of its path). */
const followed: [string, RegExp][] = [
	['/staff/rounds/1/visits', /^\/staff\/rounds\/1\/visits\/\d+$/],
	['/staff/surveys', /^\/staff\/surveys\/\d+$/],
	['/staff/projects', /^\/staff\/projects\/[^/]+$/],
	['/staff/moderation', /^\/staff\/moderation\/\d+$/],
	['/staff/households', /^\/staff\/households\/building\/\d+$/],
	['/staff/roster/tree', /^\/staff\/roster\/household\/\d+$/],
	['/staff/progress', /^\/staff\/progress\/[^/]+$/],
	['/staff/repairs', /^\/staff\/repairs\/\d+$/],
	['/staff/admin/staff', /^\/staff\/admin\/staff\/[^/]+$/],
];

/** What sticks out of a 360 px page: the widest elements past the right edge. */
async function overflow(page: Page): Promise<string | null> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= width) return null;
		const culprits = [...document.querySelectorAll('body *')]
			.filter((el) => el.getBoundingClientRect().right > width + 1)
			.filter(
				(el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1,
			)
			.slice(0, 3)
			.map(
				(el) =>
					`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}px`,
			);
		return `${document.documentElement.scrollWidth}px wide: ${culprits.join(', ')}`;
	});
}

async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
	const hrefs = await page.locator('main a[href]').evaluateAll((els) =>
		els.map((el) => {
			const url = new URL((el as HTMLAnchorElement).href);
			return `${url.pathname}${url.search}`;
		}),
	);
	return hrefs.find((href) => pattern.test(href)) ?? null;
}

test('every staff page type fits a 360 px phone without sideways scroll', async ({ page }) => {
	test.setTimeout(240_000);
	await signInStaff(page, 'admin');
	const problems: string[] = [];
	const visited: string[] = [];
	const check = async (path: string) => {
		const response = await page.goto(path);
		visited.push(path);
		if ((response?.status() ?? 500) >= 400) {
			problems.push(`${path}: HTTP ${response?.status()}`);
			return;
		}
		const wide = await overflow(page);
		if (wide) problems.push(`${path}: ${wide}`);
	};
	// The fixed pages in both languages (English labels run longer).
	for (const path of fixed) await check(path);
	for (const path of fixed) await check(`/en${path}`);
	for (const [list, pattern] of followed) {
		await page.goto(list);
		const target = await firstLink(page, pattern);
		if (target) await check(target);
		else problems.push(`${list}: no link to ${pattern}`);
	}
	// Pages below a survey and a project, reached from them.
	for (const [list, pattern] of [
		['/staff/surveys', /^\/staff\/surveys\/\d+\/(answers|paper|preview)$/],
	] as const) {
		await page.goto(list);
		const survey = await firstLink(page, /^\/staff\/surveys\/\d+$/);
		if (!survey) continue;
		await page.goto(survey);
		const hrefs = await page
			.locator('main a[href]')
			.evaluateAll((els) => els.map((el) => new URL((el as HTMLAnchorElement).href).pathname));
		for (const href of new Set(hrefs.filter((h) => pattern.test(h)))) await check(href);
	}
	// Every round's page, and its steps (closing early, publishing) where the round offers them.
	await page.goto('/staff/rounds');
	await page.getByRole('button', { name: '新建一轮' }).first().click();
	await check(new URL(page.url()).pathname + new URL(page.url()).search);
	await page.goto('/staff/rounds');
	const rounds = await page
		.locator('main a[href]')
		.evaluateAll((els) => els.map((el) => new URL((el as HTMLAnchorElement).href).pathname));
	for (const round of new Set(rounds.filter((h) => /^\/staff\/rounds\/\d+$/.test(h)))) {
		await check(round);
		const steps = await page
			.locator('main a[href]')
			.evaluateAll((els) => els.map((el) => new URL((el as HTMLAnchorElement).href).pathname));
		for (const step of steps.filter((h) => /\/(close|publish)$/.test(h))) await check(step);
	}
	await page.goto('/staff/projects');
	const project = await firstLink(page, /^\/staff\/projects\/[^/]+$/);
	if (project) {
		await page.goto(project);
		const version = await firstLink(page, /^\/staff\/projects\/[^/]+\/v\/\d+$/);
		if (version) await check(version);
	}
	expect(visited.length).toBeGreaterThan(55);
	expect(problems).toEqual([]);
});
