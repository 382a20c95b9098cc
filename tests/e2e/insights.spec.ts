import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * What the committee learns (issue 24 item 4): the committee of the demo opens the district
 * view of the renovation menu and a project's opinions grouped by item, on a 360 px phone, in
 * Chinese and English; nothing scrolls sideways. Another community's committee gets 404.
 */
const fits = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test('the committee reads opinions by item and the district menu on a phone', async ({ page }) => {
	test.setTimeout(120_000);
	await signInStaff(page, 'meiling');
	await page.goto('/staff');
	await page.getByRole('link', { name: '改造菜单：全区情况' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('改造菜单：全区情况');
	await expect(page.locator('.menu > li')).toHaveCount(36);
	await expect(page.locator('.menu > li').first()).toContainText(/还没有项目表决过|表决不同意/);
	expect(await fits(page)).toBe(true);
	await expectAccessible(page);
	await page.screenshot({ path: '/work/shots/learns-district-zh.png', fullPage: false });

	await page.getByRole('link', { name: '杜鹃新村' }).first().click();
	await expect(page).toHaveURL(/\/staff\/projects\/dujuan\/insights$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('意见归类');
	await expect(page.locator('main')).toContainText(/共 \d+ 条意见，\d+ 条未答复/);
	await expect(page.locator('.groups > li').first()).toContainText(/\d+ 条意见，\d+ 条未答复/);
	expect(await fits(page)).toBe(true);
	await expectAccessible(page);
	await page.screenshot({ path: '/work/shots/learns-project-zh.png', fullPage: true });

	// An answer link opens the opinion's answer form.
	const answer = page.locator('.answer-links a').first();
	if ((await answer.count()) > 0) {
		await answer.click();
		await expect(page).toHaveURL(/\/staff\/moderation\/\d+#answer$/);
	}

	await page.goto('/en/staff/projects/dujuan/insights');
	await expect(page.locator('main')).toContainText(/Opinions: \d+, unanswered: \d+/);
	expect(await fits(page)).toBe(true);
	await page.screenshot({ path: '/work/shots/learns-project-en.png', fullPage: true });
	await page.goto('/en/staff/insights');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renovation menu: the district');
	expect(await fits(page)).toBe(true);
	await page.screenshot({ path: '/work/shots/learns-district-en.png', fullPage: true });

	// Large-text mode: still no sideways scroll.
	await page.goto('/staff/projects/dujuan/insights');
	await page.getByRole('button', { name: '大字模式' }).click();
	await expect(page.locator('html')).toHaveClass(/large/);
	expect(await fits(page)).toBe(true);
	await page.goto('/staff/insights');
	expect(await fits(page)).toBe(true);
	await page.screenshot({ path: '/work/shots/learns-district-large.png' });
});

test('another community’s committee does not see the project', async ({ page }) => {
	await signInStaff(page, 'jiangbin');
	const response = await page.goto('/staff/projects/dujuan/insights');
	expect(response?.status()).toBe(404);
	expect((await page.goto('/staff/projects/no-such-project/insights'))?.status()).toBe(404);
});

test('a project officer reads the grouped opinions of their own project only', async ({ page }) => {
	await signInStaff(page, 'officer');
	await page.goto('/staff/projects/hongyan');
	await page.getByRole('link', { name: '意见归类与常见词' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('红岩新村');
	await expect(page.locator('main')).toContainText(/共 \d+ 条意见/);
	expect((await page.goto('/staff/projects/dujuan/insights'))?.status()).toBe(404);
});
