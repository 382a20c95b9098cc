import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * A door visit (入户) on a phone: a committee member opens the visit list of the demo's open
 * round, records "not at home" for a household — the form is sent twice, as after a dropped
 * connection, and recorded once — sees it on the list and in the planner, then records
 * "visited, opinion taken" and lands on that household's paper entry.
 */
const ROUND = 1;

/** The form's controls and links are at least 44 px tall (WCAG 2.5.8, committee phones). */
async function expectMainTargets(page: Page, min = 44) {
	const small = await page.$$eval(
		'main a, main button, main label.choice, main input:not([type=hidden]):not([type=radio])',
		(els, minimum) =>
			els
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r }) => r.width > 0 && r.height < minimum)
				.map(({ el, r }) => `${el.tagName} "${el.textContent?.trim()}" ${Math.round(r.height)}`),
		min,
	);
	expect(small).toEqual([]);
}

async function noSidewaysScroll(page: Page) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(wide, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(
		page.viewportSize()?.width ?? 360,
	);
}

test('door visit: not at home (sent twice, recorded once), then visited → paper entry', async ({
	page,
}) => {
	await signInStaff(page, 'meiling');
	await page.goto(`/staff/rounds/${ROUND}/visits`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('未回复住户（入户名单）');
	await noSidewaysScroll(page);
	await expectAccessible(page, 'visit list');
	// A household nobody has visited yet (the list keeps earlier runs' visits).
	const row = page
		.locator('table.visits tbody tr')
		.filter({ has: page.locator('td.visit-status:empty') })
		.first();
	const rowId = (await row.getAttribute('id')) ?? '';
	const householdId = rowId.replace(/^h-/, '');
	expect(householdId).toMatch(/^\d+$/);
	await row.getByRole('link', { name: /记录入户/ }).click();
	await expect(page).toHaveURL(new RegExp(`/staff/rounds/${ROUND}/visits/${householdId}$`));
	await expect(page.getByText('本轮还没有入户记录。')).toBeVisible();
	await noSidewaysScroll(page);
	await expectMainTargets(page);
	await expectAccessible(page, 'record a visit');

	await page.getByLabel('不在家').check();
	await page.getByLabel('备注（选填，不要写住户姓名或电话）').fill('敲门无人，晚上再来');
	// The connection drops after the form was sent: the same form goes out once more.
	const firstSend = await page.evaluate(async () => {
		const form = document.querySelector<HTMLFormElement>('form.visit-form')!;
		const response = await fetch(form.action, { method: 'POST', body: new FormData(form) });
		return response.status;
	});
	expect(firstSend).toBe(200);
	await page.getByRole('button', { name: '保存入户记录' }).click();
	await expect(page).toHaveURL(
		new RegExp(`/staff/rounds/${ROUND}/visits\\?recorded=${householdId}`),
	);
	const notice = page.getByRole('status');
	await expect(notice).toContainText('不在家');
	await expect(notice).toContainText('这份记录之前已经保存过，没有重复记录。');
	await expect(page.locator(`#h-${householdId} .visit-status`)).toContainText('不在家（');
	await noSidewaysScroll(page);

	// The planner lists the household as someone to try again.
	await page.getByRole('link', { name: '入户计划' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('入户计划');
	await expect(page.locator(`a[href$="/visits/${householdId}"]`)).toContainText('已入户 1 次');
	await noSidewaysScroll(page);
	await expectAccessible(page, 'visit planner');

	// One visit in the household's record, not two.
	await page.goto(`/staff/rounds/${ROUND}/visits/${householdId}`);
	await expect(page.locator('.visit-history li')).toHaveCount(1);
	await expect(page.locator('.visit-history')).toContainText('不在家');

	await page.getByLabel('已入户，收到意见').check();
	await page.getByRole('button', { name: '保存入户记录' }).click();
	await expect(page).toHaveURL(
		new RegExp(`/staff/rounds/${ROUND}/paper\\?household=${householdId}$`),
	);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('录入纸质意见');
	await expect(page.locator('form.ballot-form')).toBeVisible();
	await noSidewaysScroll(page);

	// The round's page counts the latest outcomes.
	await page.goto(`/staff/rounds/${ROUND}`);
	await expect(page.getByText(/已入户，收到意见：\d+ 户/)).toBeVisible();
});

test('door visit pages in English', async ({ page }) => {
	await signInStaff(page, 'meiling');
	await page.goto(`/en/staff/rounds/${ROUND}/visits`);
	await expect(page.getByRole('columnheader', { name: 'Record' }).first()).toBeVisible();
	await noSidewaysScroll(page);
	await page.goto(`/en/staff/rounds/${ROUND}/planner`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Visit planner');
	await noSidewaysScroll(page);
});

test('door visit pages in large-text mode: 48 px targets, nothing sideways', async ({ page }) => {
	await signInStaff(page, 'meiling');
	await page.goto(`/staff/rounds/${ROUND}/visits`);
	await page.getByRole('button', { name: '大字模式' }).click();
	await expect(page.locator('html')).toHaveClass(/large-text/);
	await noSidewaysScroll(page);
	const href = await page.locator('table.visits tbody tr a').first().getAttribute('href');
	await page.goto(href!);
	await noSidewaysScroll(page);
	await expectMainTargets(page, 48);
	await page.goto(`/staff/rounds/${ROUND}/planner`);
	await noSidewaysScroll(page);
	await expectMainTargets(page, 48);
});
