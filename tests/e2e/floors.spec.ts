import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInResident, signInStaff } from './fixtures.ts';

/**
 * 红岩新村 building 2's elevator round (closed, published), on a phone: each unit drawn floor by
 * floor as an SVG with text labels in every box (not colour alone), an accessible summary and a
 * hidden table; no sideways scroll at 360 px; axe clean, in Chinese and in English.
 */
async function openElevatorResults(page: Page): Promise<string> {
	await page.goto('/p/hongyan');
	await page
		.locator('section', { has: page.getByRole('heading', { name: '征求意见与表决' }) })
		.getByRole('link', { name: /加装电梯/ })
		.first()
		.click();
	const results = page.getByRole('link', { name: /结果/ }).first();
	await results.click();
	await expect(page).toHaveURL(/\/rounds\/\d+\/results/);
	return new URL(page.url()).pathname;
}

test('the elevator results show every unit floor by floor, in words', async ({ page }, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');
	const path = await openElevatorResults(page);
	const main = page.locator('main');
	await expect(main.getByRole('heading', { name: /各楼层意见/ })).toBeVisible();
	const fronts = main.locator('figure.floor-front');
	expect(await fronts.count()).toBeGreaterThan(1);
	const first = fronts.first();
	const svg = first.locator('svg[role="img"]');
	await expect(svg).toBeVisible();
	// The accessible name summarises every floor in words.
	await expect(svg.locator('title')).toContainText(/\d+楼：\d+ 户(同意|反对|弃权|未表决)/);
	// Each box carries its answer as text.
	const labels = await main.locator('figure.floor-front svg text').allTextContents();
	expect(labels).toContain('同意');
	expect(labels.some((l) => l === '反对' || l === '未表决' || l === '弃权')).toBe(true);
	expect(labels).toContain('6楼');
	// The same numbers as a table for screen readers.
	await expect(first.locator('table caption')).toContainText('单元各楼层户数');
	// Rows stay at least 28 px tall on a 360 px screen, and nothing scrolls sideways.
	const box = await svg.boundingBox();
	const floors = await first.locator('tbody tr').count();
	expect(box!.width).toBeLessThanOrEqual(360);
	expect(box!.height / floors).toBeGreaterThanOrEqual(28);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await expectAccessible(page, 'elevator results by floor');
	await first.scrollIntoViewIfNeeded();
	await page.screenshot({ path: '/work/shots/floors-results-zh.png', fullPage: true });
	await main.locator('section.floor-views').screenshot({ path: '/work/shots/floors-svg-zh.png' });

	await page.goto(`/en${path}`);
	const en = page.locator('main');
	await expect(en.getByRole('heading', { name: /By floor/ })).toBeVisible();
	const enLabels = await en.locator('figure.floor-front svg text').allTextContents();
	expect(enLabels).toContain('agree');
	expect(enLabels).toContain('F6');
	await expect(en.locator('figure.floor-front svg title').first()).toContainText(
		/Floor \d+: \d+ (agree|against|abstain|no vote)/,
	);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await expectAccessible(page, 'elevator results by floor (en)');
	await page.screenshot({ path: '/work/shots/floors-results-en.png', fullPage: true });
	await en.locator('section.floor-views').screenshot({ path: '/work/shots/floors-svg-en.png' });

	// Large-text mode: the drawing still fits; its words are in the page's table and title too.
	await page
		.context()
		.addCookies([{ name: 'gj_text', value: 'large', url: new URL(page.url()).origin }]);
	await page.goto(path);
	await expect(page.locator('html')).toHaveClass(/large-text/);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page
		.locator('section.floor-views')
		.screenshot({ path: '/work/shots/floors-svg-large.png' });
});

test('staff see the floor coefficients and the floors on the round page', async ({
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');
	const path = await openElevatorResults(page);
	const id = /\/rounds\/(\d+)\//.exec(path)![1];
	await signInStaff(page, 'meiling');
	await page.goto(`/staff/rounds/${id}`);
	const main = page.locator('main');
	await expect(main.getByRole('heading', { name: '楼层系数' })).toBeVisible();
	await expect(main.getByRole('row', { name: '2楼 0.3', exact: true })).toBeVisible();
	await expect(main.getByRole('row', { name: '1楼 0', exact: true })).toBeVisible();
	// Opened rounds keep their coefficients: no form to change them.
	await expect(main.getByRole('button', { name: '保存楼层系数' })).toHaveCount(0);
	await expect(main.locator('figure.floor-front svg[role="img"]').first()).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await expectAccessible(page, 'staff elevator round');
	await page.screenshot({ path: '/work/shots/floors-staff-zh.png', fullPage: true });
});

test('a resident sees the floor coefficients on the elevator ballot', async ({ page }, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');
	const path = await openElevatorResults(page);
	const round = path.replace(/\/results$/, '');
	await signInResident(page, '+8615805980013');
	await page.goto(round);
	await page.locator(`main a[href*="${round}/ballot/"]`).first().click();
	const main = page.locator('main');
	await expect(main.getByRole('heading', { name: '楼层系数' })).toBeVisible();
	await expect(main).toContainText('系数为 0 的楼层不分摊');
	await expect(main).toContainText('您家在1楼，楼层系数为 0。');
	await expect(main.getByRole('row', { name: '7楼 1.5', exact: true })).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await expectAccessible(page, 'elevator ballot');
	await page.screenshot({ path: '/work/shots/floors-ballot-zh.png', fullPage: true });
	await page.goto(`/en${new URL(page.url()).pathname}`);
	await expect(
		page.locator('main').getByRole('heading', { name: 'Floor coefficients' }),
	).toBeVisible();
	await expect(
		page.locator('main').getByRole('row', { name: 'F2 0.3', exact: true }),
	).toBeVisible();
	await expectAccessible(page, 'elevator ballot (en)');
});
