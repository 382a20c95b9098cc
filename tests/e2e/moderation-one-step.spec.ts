import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * Issue 21 on a phone: the committee approves and answers an opinion in one form; gives one
 * answer to two opinions that ask the same thing (each author is told); the resident reads the
 * answer, and the public 意见采纳情况 page says what carries the adopted one.
 */
const PLAN = '/p/dujuan/v/2';

async function phone(browser: Browser, baseURL: string, locale = 'zh-CN'): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		locale,
	});
	const page = await context.newPage();
	page.on('dialog', () => {
		throw new Error('a dialog opened: injected script ran');
	});
	return page;
}

async function post(page: Page, text: string, stance: string) {
	await page.goto(PLAN);
	const section = page.locator('#opinions');
	await section.getByLabel(stance).check();
	await section.getByLabel('意见内容').fill(text);
	await section.getByRole('button', { name: '提交意见' }).click();
	await expect(section.locator('article.opinion', { hasText: text })).toBeVisible();
}

async function noSidewaysScroll(page: Page) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);
}

test('approve-and-answer in one step, one answer to two opinions, the resident reads it', async ({
	browser,
	baseURL,
}, info) => {
	test.skip(info.project.name !== 'phone', 'one journey on the phone profile');
	test.setTimeout(240_000);
	const stamp = Date.now();
	const single = `希望在3号楼前增设无障碍坡道 ${stamp} <b>坡道</b>`;
	const same1 = `停车位太少，请增加车位 ${stamp}-a`;
	const same2 = `晚上停车难，希望多划车位 ${stamp}-b`;

	const author = await phone(browser, baseURL!);
	await signInResident(author, testPhone(info.project.name, 4));
	await post(author, single, '支持');
	const second = await phone(browser, baseURL!);
	await signInResident(second, testPhone(info.project.name, 5));
	await post(second, same1, '反对');
	await post(second, same2, '中立');

	// The queue shows stance, item (or the whole plan), the excerpt and the days waited.
	const meiling = await phone(browser, baseURL!);
	await signInStaff(meiling, 'meiling');
	await meiling.goto('/staff/moderation');
	const card = meiling.locator('li.queue-item', { hasText: single });
	await expect(card.getByText('立场：支持')).toBeVisible();
	await expect(card.getByText('针对整体方案')).toBeVisible();
	await expect(card.getByText('已等待 0 天')).toBeVisible();
	await expect(card.locator('.queue-body')).toContainText('<b>坡道</b>');
	await noSidewaysScroll(meiling);
	await expectAccessible(meiling, 'queue with the grouped answer');
	await meiling.screenshot({ path: '/work/shots/moderation-queue.png', fullPage: true });

	// Approve and answer in one form.
	await card.getByRole('link', { name: /处理意见/ }).click();
	await expect(meiling.getByText('这条意见尚未公开')).toBeVisible();
	await meiling.getByLabel('部分采纳').check();
	await meiling.getByRole('button', { name: '审核通过并发布答复' }).click();
	await expect(meiling.locator('#answer-carrier-error')).toHaveText(
		'采纳或部分采纳时，请选择体现这条意见的方案内容，或选择“在下一版方案中体现”。',
	);
	await meiling.getByLabel('部分采纳').check();
	await meiling.getByLabel('由哪项方案内容体现').selectOption('next');
	await meiling.getByLabel('答复内容').fill('下一版方案在3号楼前增设坡道，台阶保留。');
	await noSidewaysScroll(meiling);
	await meiling.screenshot({ path: '/work/shots/moderation-approve-answer.png', fullPage: true });
	await meiling.getByRole('button', { name: '审核通过并发布答复' }).click();
	await expect(meiling.getByRole('status')).toHaveText('答复已发布。');
	await expect(meiling.getByText('当前状态：已公开')).toBeVisible();
	await expectAccessible(meiling, 'item after approve-and-answer');

	// One answer to the two opinions about parking, approving both.
	await meiling.goto('/staff/moderation');
	for (const text of [same1, same2])
		await meiling.locator('li.queue-item', { hasText: text }).getByRole('checkbox').check();
	const group = meiling.locator('#group-answer');
	await group.getByLabel('已知悉').check();
	await group.getByLabel('答复内容').fill('已转交物业，停车方案在下次议事会讨论。');
	await group.getByRole('button', { name: '审核通过并答复所选意见' }).click();
	await expect(meiling.getByRole('status')).toHaveText(
		'已答复 2 条意见（其中审核通过 2 条），提出人都会收到通知。',
	);
	await meiling.screenshot({ path: '/work/shots/moderation-grouped-done.png', fullPage: true });

	// The residents read their answers.
	await author.goto('/account/notifications');
	await expect(author.locator('main')).toContainText('有了答复：部分采纳。');
	await second.goto('/account/notifications');
	await expect(
		second.locator('main').getByText('有了答复：已知悉。', { exact: false }),
	).toHaveCount(2);
	await author.goto(`${PLAN}/answers`);
	const entry = author.locator('li', { hasText: single });
	await expect(entry).toContainText('部分采纳');
	await expect(entry).toContainText('下一版方案在3号楼前增设坡道');
	await expect(entry).toContainText('将在下一版方案中体现');
	await noSidewaysScroll(author);
	await expectAccessible(author, 'answer sheet with the carrier');
	await author.screenshot({ path: '/work/shots/moderation-answers-zh.png', fullPage: true });

	// The same in English, and the unanswered page with its digest switch.
	await author.goto(`/en${PLAN}/answers`);
	await expect(author.locator('li', { hasText: single })).toContainText(
		'To be carried in the next version',
	);
	await author.screenshot({ path: '/work/shots/moderation-answers-en.png', fullPage: true });
	await meiling.goto('/en/staff/moderation/unanswered');
	await expect(meiling.getByRole('heading', { name: 'Daily SMS digest' })).toBeVisible();
	await meiling.getByRole('button', { name: 'Turn the daily SMS digest on' }).click();
	await expect(meiling.getByText('Daily SMS digest: on.')).toBeVisible();
	await noSidewaysScroll(meiling);
	await expectAccessible(meiling, 'unanswered in English');
	await meiling.screenshot({ path: '/work/shots/moderation-unanswered-en.png', fullPage: true });
});
