import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInResident } from './fixtures.ts';

/**
 * A resident knows what to do next (issue 19): the home cards say what is open and until when
 * with a direct link; after signing in, "我的" lists the household's open ballot with its
 * deadline and one button, the resident's opinions with their moderation state and answer, and
 * their problem reports with their state — in Chinese, in English and in large text.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

const SHOTS = '/work/shots';
// Demo residents (db/seed/activity.ts): d7 of 杜鹃新村 has not voted in the open round and has an
// opinion awaiting review; d1 voted and had an opinion adopted; h1 lives in 红岩新村 (works).
const D7 = '+8615805980007';
const D1 = '+8615805980001';
const H1 = '+8615805980013';

async function shot(page: Page, name: string) {
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('home cards say what is open now, with the deadline and a direct link', async ({ page }) => {
	await page.goto('/');
	const dujuan = page.locator('li.card', { hasText: '杜鹃新村' }).first();
	await expect(dujuan.getByText('表决中')).toBeVisible();
	await expect(dujuan.getByText('可提意见')).toBeVisible();
	await expect(dujuan.getByText(/至 \d{4}年/).first()).toBeVisible();
	await expect(page.getByRole('link', { name: '我有住户邀请码' })).toHaveAttribute('href', '/bind');
	await expect(page.getByRole('link', { name: '满意度调查' })).toHaveAttribute('href', '/surveys');
	await expect(page.getByRole('link', { name: '区改造成效看板' })).toHaveAttribute(
		'href',
		'/dashboard',
	);
	await expectAccessible(page, 'home');
	await shot(page, 'todo-home-zh');
	await dujuan.getByRole('link', { name: '去表决' }).click();
	await expect(page).toHaveURL(/\/rounds\/\d+$/);

	await page.goto('/en/');
	const en = page.locator('li.card', { hasText: 'Dujuan' }).first();
	await expect(en.getByText('Voting open')).toBeVisible();
	await expect(en.getByText(/until \d+ \w+ \d{4}/).first()).toBeVisible();
	await expectAccessible(page, 'home en');
	await page.goto('/p/dujuan');
	await expect(page.getByRole('heading', { name: '正在进行' })).toBeVisible();
	await expect(page.getByRole('link', { name: '提意见' })).toHaveAttribute(
		'href',
		/\/p\/dujuan\/v\/\d+$/,
	);
});

test('after sign-in, 我的 lists the open ballot, my opinions and my reports', async ({
	page,
	browser,
	baseURL,
}) => {
	await signInResident(page, D7);
	await expect(page).toHaveURL(/\/account$/);
	const todo = page.locator('section.todo');
	await expect(todo.getByText('您家有 1 项待办。')).toBeVisible();
	const task = todo.locator('li.todo-task').first();
	await expect(task).toContainText('杜鹃新村');
	await expect(task).toContainText(/截止 \d{4}年/);
	await expect(todo.getByText('待审核').first()).toBeVisible();
	await expectAccessible(page, 'account to-do');
	await shot(page, 'todo-account-zh');
	await task.getByRole('link', { name: '去表决' }).click();
	await expect(page).toHaveURL(/\/rounds\/\d+$/);

	await page.goto('/en/account');
	await expect(page.locator('section.todo').getByText('Awaiting review').first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'Vote now' })).toBeVisible();
	await expectAccessible(page, 'account to-do en');
	await shot(page, 'todo-account-en');

	// d1 voted already and had an opinion answered: the button changes, the answer shows.
	const d1 = await browser.newContext({ baseURL: baseURL!, viewport: { width: 360, height: 740 } });
	await d1.addCookies([{ name: 'gj_text', value: 'large', url: baseURL! }]);
	const other = await d1.newPage();
	await signInResident(other, D1);
	await expect(other.getByRole('link', { name: '已表决，可修改' })).toBeVisible();
	await expect(other.getByText('答复：采纳').first()).toBeVisible();
	await expect(other.getByText('目前没有', { exact: false })).toHaveCount(0);
	await expectAccessible(other, 'account large text');
	await shot(other, 'todo-account-large');
	await d1.close();
});

test('a problem report shows on 我的 with its state', async ({ page }) => {
	await signInResident(page, H1);
	await expect(page.getByText('您还没有反映过问题。')).toBeVisible();
	await page.goto('/p/hongyan/problems');
	await page.getByLabel('问题描述').fill('2号楼北侧脚手架的防护网破了一个洞');
	await page.getByRole('button', { name: '提交' }).click();
	await page.goto('/account');
	const mine = page.locator('section.todo');
	await expect(mine.getByText('2号楼北侧脚手架的防护网破了一个洞')).toBeVisible();
	await expect(mine.getByText('待派单')).toBeVisible();
	await mine.getByRole('link', { name: '查看' }).last().click();
	await expect(page).toHaveURL(/\/p\/hongyan\/problems\/\d+$/);
});
