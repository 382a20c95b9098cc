import { expect, test } from '@playwright/test';
import { expectAccessible, signInResident } from './fixtures.ts';

/**
 * A resident finds things (issue 19): a compound by name, pinyin initials or street address,
 * with links to its projects; their own compound first once bound; the opinions on a plan
 * filtered by position, item and whether the committee answered — without JavaScript too.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

const SHOTS = '/work/shots';
// d3, bound to 杜鹃新村 (db/seed/activity.ts); each journey signs in its own demo resident
// (codes are rate-limited per phone).
const D3 = '+8615805980003';

test('search by name, pinyin initials and street address', async ({ page }) => {
	await page.goto('/');
	await page.getByLabel('搜索小区或项目').fill('djxc');
	await page.getByRole('button', { name: '搜索' }).click();
	await expect(page).toHaveURL(/\/search\?q=djxc$/);
	await expect(page.getByRole('status')).toHaveText('找到 1 个小区。');
	await expect(page.getByRole('heading', { name: '杜鹃新村' })).toBeVisible();
	await expectAccessible(page, 'search zh');
	await page.screenshot({ path: `${SHOTS}/search-zh.png`, fullPage: true });
	await page.getByRole('link', { name: '杜鹃新村老旧小区改造' }).click();
	await expect(page).toHaveURL(/\/p\/dujuan$/);

	await page.goto('/search?q=' + encodeURIComponent('新市中路'));
	await expect(page.getByRole('heading', { name: '红岩新村' })).toBeVisible();
	await page.goto('/search?q=' + encodeURIComponent('不存在的小区'));
	await expect(page.getByRole('status')).toHaveText(
		'没有找到“不存在的小区”。请换个写法，或只输入拼音首字母。',
	);
	await page.goto('/en/search?q=chonggui');
	await expect(page.getByRole('heading', { name: 'Chonggui New Village' })).toBeVisible();
	await expectAccessible(page, 'search en');
	await page.screenshot({ path: `${SHOTS}/search-en.png`, fullPage: true });
});

test('a bound resident sees their compound first', async ({ page }) => {
	await signInResident(page, D3);
	await page.goto('/');
	const mine = page.locator('section', { has: page.getByRole('heading', { name: '我的小区' }) });
	await expect(mine.getByRole('heading', { name: /杜鹃新村/ })).toBeVisible();
	await page.goto('/search?q=xincun');
	const first = page.locator('li.compound-hit').first();
	await expect(first).toContainText('杜鹃新村');
	await expect(first).toContainText('我的小区');
});

test('opinions filter by position, item and answer, without JavaScript', async ({
	browser,
	baseURL,
	page: withJs,
}) => {
	const context = await browser.newContext({
		baseURL: baseURL!,
		javaScriptEnabled: false,
		viewport: { width: 360, height: 740 },
	});
	const page = await context.newPage();
	await page.goto('/p/dujuan/v/2');
	const filter = page.getByRole('form', { name: '筛选意见' });
	await filter.getByLabel('立场').selectOption({ label: '反对' });
	await filter.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/stance=object/);
	const badges = page.locator('ol.opinion-list > li > article > .opinion-meta .badge.alignment');
	expect(await badges.count()).toBeGreaterThan(0);
	for (const text of await badges.allTextContents()) expect(text.trim()).toBe('反对');
	await expect(page.getByRole('status').filter({ hasText: '符合条件的意见' })).toBeVisible();
	// axe needs JavaScript: the same filtered page in a normal context.
	await withJs.goto(page.url());
	await expectAccessible(withJs, 'opinions filtered');
	await withJs.screenshot({ path: `${SHOTS}/opinions-filter-zh.png` });

	await page.goto('/p/dujuan/v/2?answered=yes#opinions');
	const answered = page.locator('ol.opinion-list > li');
	expect(await answered.count()).toBeGreaterThan(0);
	for (const item of await answered.all())
		await expect(item.locator('.opinion-answer')).toHaveCount(1);
	await page.goto('/p/dujuan/v/2?answered=no#opinions');
	await expect(page.locator('ol.opinion-list .opinion-answer')).toHaveCount(0);

	// By item: the list shows only opinions about the chosen item.
	const about = page.getByRole('form', { name: '筛选意见' }).getByLabel('针对');
	const option = about.locator('option[value^="i"]').first();
	const itemName = (await option.textContent())!.trim();
	await about.selectOption({ label: itemName });
	await page.getByRole('form', { name: '筛选意见' }).getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/about=i\d+/);
	await expect(page.getByText(`正在查看：${itemName}`, { exact: false })).toBeVisible();
	await withJs.goto('/en/p/dujuan/v/2?stance=support#opinions');
	await expect(
		withJs.getByRole('form', { name: 'Filter opinions' }).getByLabel('Position'),
	).toHaveValue('support');
	await expectAccessible(withJs, 'opinions filtered en');
	await context.close();
});

test('a finished project links its survey and results; the survey list links the dashboard', async ({
	page,
}) => {
	await page.goto('/p/chengguan');
	const surveys = page.locator('section', {
		has: page.getByRole('heading', { name: '满意度调查' }),
	});
	await surveys.getByRole('link', { name: '查看公布的结果' }).first().click();
	await expect(page).toHaveURL(/\/surveys\/\d+\/results$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('调查结果');
	await page.goto('/surveys');
	await expect(page.getByRole('link', { name: '查看公布的结果' }).first()).toBeVisible();
	await page.getByRole('link', { name: '区改造成效看板' }).click();
	await expect(page).toHaveURL(/\/dashboard$/);
	await page.goto('/en/p/chengguan');
	await expect(page.getByRole('link', { name: 'See the published results' }).first()).toBeVisible();
	await expectAccessible(page, 'project with survey links, en');
});
