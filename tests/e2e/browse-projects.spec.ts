import { expect, test } from '@playwright/test';
import { expectAccessible, expectTouchTargets } from './fixtures.ts';

/** A resident opens the portal from a WeChat link, finds their compound's project and reads it. */
test('a resident browses projects in Chinese, filters by stage and opens a project', async ({
	page,
}) => {
	await page.goto('/');
	await expect(page).toHaveTitle(/共建/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1, name: '改造项目' })).toBeVisible();
	await expectAccessible(page, 'home zh');

	await page.getByLabel('按阶段筛选').selectOption('construction');
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/stage=construction/);
	await expect(page.locator('main ul.cards > li')).toHaveCount(1);

	await page.getByRole('link', { name: '红岩新村老旧小区改造' }).click();
	await expect(page).toHaveURL(/\/p\/hongyan$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('红岩新村老旧小区改造');
	await expect(page.getByText('总投资')).toBeVisible();
	await expect(page.locator('[aria-current="step"]')).toContainText('施工');
	await expectAccessible(page, 'project zh');
});

test('a resident switches to English and back, staying on the same project', async ({ page }) => {
	await page.goto('/p/dujuan');
	await page.getByRole('link', { name: /English/ }).click();
	await expect(page).toHaveURL(/\/en\/p\/dujuan$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dujuan New Village renovation');
	await expect(page.getByText('Consultation').first()).toBeVisible();
	await expectAccessible(page, 'project en');
	await page.getByRole('link', { name: '中文' }).click();
	await expect(page).toHaveURL(/\/p\/dujuan$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('large-text mode gives ≥ 20 px text and ≥ 48 px targets, and is remembered', async ({
	page,
}) => {
	await page.goto('/en');
	await page.getByRole('button', { name: 'Large text' }).click();
	await expect(page).toHaveURL(/\/en$/);
	await expect(page.locator('html')).toHaveClass(/large-text/);
	const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
	expect(fontSize).toBeGreaterThanOrEqual(20);
	await expectTouchTargets(page, 48);
	await expectAccessible(page, 'home en large text');
	await page.goto('/p/hongyan');
	await expect(page.locator('html')).toHaveClass(/large-text/);
	await expectAccessible(page, 'project zh large text');
	await page.getByRole('button', { name: '大字模式' }).click();
	await expect(page.locator('html')).not.toHaveClass(/large-text/);
});

test('an unknown address shows a translated 404 page', async ({ page }) => {
	const response = await page.goto('/en/p/no-such-project');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expectAccessible(page, '404 en');
	await page.getByRole('link', { name: 'Back to the home page' }).click();
	await expect(page).toHaveURL(/\/en$/);
});

test.describe('without JavaScript (old phones, WeChat with scripts blocked)', () => {
	test.use({ javaScriptEnabled: false });
	test('filtering, language and large text all work', async ({ page }) => {
		await page.goto('/');
		await page.getByLabel('按阶段筛选').selectOption('evaluation');
		await page.getByRole('button', { name: '筛选' }).click();
		await expect(page.getByRole('link', { name: '城关新苑老旧小区改造' })).toBeVisible();
		await page.getByRole('button', { name: '大字模式' }).click();
		await expect(page.locator('html')).toHaveClass(/large-text/);
		await page.getByRole('link', { name: /English/ }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
