import { expect, test } from '@playwright/test';
import { expectAccessible, signInResident } from './fixtures.ts';

/**
 * 居民公约 (issue 23, item 4) on a phone: the project page links the convention with its count;
 * an owner of the compound who has not confirmed yet (the demo's second repair reporter) reads
 * version 2 and confirms it for the household; the count per building goes up by one.
 */
test('an owner confirms the residents’ convention on a phone', async ({ page }, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');

	await page.goto('/p/baisha-fuxing');
	await page.getByRole('link', { name: '居民公约：已有 2 户确认（共 ', exact: false }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/居民公约$/);
	await expect(page.getByRole('heading', { name: '三、垃圾分类' })).toBeVisible();
	await expect(page.getByText(/^第 2 版，.+公布$/)).toBeVisible();
	await expect(page.getByText(/^已有 2 户确认（共 \d+ 户）$/)).toBeVisible();
	await expect(page.getByRole('link', { name: '登录后可以为您家确认居民公约' })).toBeVisible();
	await expectAccessible(page, 'convention (visitor)');

	await signInResident(page, '15805980092');
	await page.goto('/p/baisha-fuxing/convention');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	const confirm = page.getByRole('button', { name: '我家已阅读并遵守第 2 版居民公约' });
	await expect(confirm).toBeVisible();
	const box = await confirm.boundingBox();
	expect(box!.height).toBeGreaterThanOrEqual(44);
	await expectAccessible(page, 'convention (owner, before)');
	await page.screenshot({
		path: '/work/shots/failclosed-convention-phone-before.png',
		fullPage: true,
	});
	await confirm.click();
	await expect(page.getByRole('status')).toHaveText('已确认，谢谢！');
	await expect(page.getByText(/：已确认。$/)).toBeVisible();
	await expect(page.getByText(/^已有 3 户确认（共 \d+ 户）$/)).toBeVisible();
	await expect(confirm).toHaveCount(0);
	await expectAccessible(page, 'convention (owner, confirmed)');

	await page.goto('/en/p/baisha-fuxing/convention');
	await expect(page.getByRole('heading', { name: '3. Rubbish sorting' })).toBeVisible();
	await expect(page.getByText(/^3 of \d+ households have confirmed$/)).toBeVisible();
	await expect(page.getByText(/: confirmed\.$/)).toBeVisible();
	await page.screenshot({ path: '/work/shots/failclosed-convention-phone-en.png', fullPage: true });
});
