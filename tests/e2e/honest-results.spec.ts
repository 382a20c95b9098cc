import { expect, test } from '@playwright/test';
import { expectAccessible } from './fixtures.ts';

/**
 * The demo's open round (杜鹃新村's plan opinions, coverage still short of two thirds) as a
 * resident reads it on a phone: nothing says 通过, every verdict is provisional and says that
 * too few took part, and the page explains the rule — in Chinese, in English and in large text.
 */
test('the results of an open round below target claim nothing', async ({ page }, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');
	await page.goto('/rounds/1/results');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('杜鹃新村');
	const main = page.locator('main');
	await expect(main).toContainText('仅供参考');
	await expect(main).toContainText('表决仍在进行中');
	const badges = main.locator('.badge[class*="verdict-"]');
	expect(await badges.count()).toBeGreaterThan(0);
	for (const text of await badges.allTextContents()) {
		expect(text).toBe('参与不足，结果不成立（临时统计，仅供参考）');
	}
	await expect(main.locator('.badge.verdict-approved')).toHaveCount(0);
	await expect(main.getByRole('heading', { name: '怎样算通过' })).toBeVisible();
	await expect(main).toContainText('须有三分之二以上住户参与');
	await expectAccessible(page, 'open round results');
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(wide).toBeLessThanOrEqual(360);
	await page.screenshot({ path: 'tests/.output/honest-results-zh.png', fullPage: true });

	await page.goto('/en/rounds/1/results');
	await expect(page.locator('main')).toContainText('provisional');
	for (const text of await page.locator('main .badge[class*="verdict-"]').allTextContents()) {
		expect(text).toBe('Too few took part: no valid result (provisional count)');
	}
	await expectAccessible(page, 'open round results (en)');

	await page
		.context()
		.addCookies([{ name: 'gj_text', value: 'large', url: new URL(page.url()).origin }]);
	await page.goto('/rounds/1/results');
	await expect(page.locator('html')).toHaveClass(/large-text/);
	await expect(page.locator('main .badge.verdict-approved')).toHaveCount(0);
	await expectAccessible(page, 'open round results (large text)');
	await page.screenshot({ path: 'tests/.output/honest-results-large.png', fullPage: true });
});
