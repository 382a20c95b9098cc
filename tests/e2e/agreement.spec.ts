import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * Issue 22 on the phone: a household confirms its 改造协议 (the elevator its building pays for
 * and its share), and a resident volunteers for the 监督小组, is confirmed by the committee and
 * posts an inspection note on the progress page.
 */
const phoneView = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function phone(browser: Browser, baseURL: string): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...phoneView, locale: 'zh-CN' });
	return context.newPage();
}

/** A household still without an agreement, from the staff agreement page's room list. */
async function pendingHousehold(staff: Page, slug: string, building: string, nth: number) {
	await staff.goto(`/staff/agreements/${slug}`);
	const options = await staff
		.locator('#f-household option')
		.evaluateAll((els) =>
			els.map((el) => ({ value: (el as HTMLOptionElement).value, text: el.textContent ?? '' })),
		);
	return options.filter((o) => o.text.startsWith(`${building}号楼`))[nth]!;
}

/** An owner's invitation code for the household (the slip shows it once). */
async function issueCode(staff: Page, baseURL: string, householdId: string): Promise<string> {
	const response = await staff.request.post(
		'/staff/households/slips?_action=households.issueCodes',
		{
			form: { householdId, relation: 'owner', maxMembers: '5' },
			headers: { origin: new URL(baseURL).origin },
		},
	);
	return /data-bind-url="[^"]*code=([A-Z0-9]+)"/.exec(await response.text())![1]!;
}

async function bind(resident: Page, code: string) {
	await resident.goto(`/bind?code=${code}`);
	await resident.getByRole('button', { name: '绑定' }).click();
	await expect(resident).toHaveURL(/\/account\?bound=1$/);
}

test('a household confirms its renovation agreement on the phone', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'the phone journey');
	test.setTimeout(120_000);
	await signInStaff(page, 'jiangbin');
	const household = await pendingHousehold(page, 'jiangbin', '1', 3);
	await expectAccessible(page, 'staff agreements');
	const code = await issueCode(page, baseURL!, household.value);

	const resident = await phone(browser, baseURL!);
	await signInResident(resident, testPhone(info.project.name, 3));
	await bind(resident, code);
	await resident.goto('/p/jiangbin');
	await resident.getByRole('link', { name: /改造协议：已确认 2 户/ }).click();
	await expect(resident.getByRole('heading', { level: 1 })).toHaveText(
		'江滨花园老旧小区改造 · 改造协议',
	);
	const card = resident.locator('section.card', { hasText: household.text });
	await expect(card.getByText('多层住宅楼房增设电梯')).toBeVisible();
	await expect(card.getByText(/本户合计出资：\d+\.\d{2} 元/)).toBeVisible();
	await expect(
		resident.getByText(/1号楼“多层住宅楼房增设电梯”：\d+ 户出资住户中还有 \d+ 户未确认/),
	).toBeVisible();
	await expectAccessible(resident, 'agreement page');
	await card.getByRole('button', { name: '确认改造协议' }).click();
	await expect(resident.getByRole('status')).toHaveText('已确认。感谢您的支持！');
	await expect(
		resident.getByText(/本户已于 .+ 在线确认改造协议（出资 \d+\.\d{2} 元）。/),
	).toBeVisible();
	await expect(resident.getByText('已确认 3 户 / 共')).toBeVisible();
	await expect(resident.getByRole('button', { name: '确认改造协议' })).toHaveCount(0);

	// In English too.
	await resident.goto('/en/p/jiangbin/agreement');
	await expect(
		resident.getByText(/This household confirmed the agreement online on/),
	).toBeVisible();
	await resident.context().close();
});

test('a resident volunteers for the supervision group and, once confirmed, posts an inspection note', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'the phone journey');
	test.setTimeout(120_000);
	await signInStaff(page, 'meiling');
	const household = await pendingHousehold(page, 'hongyan', '3', 0);
	const code = await issueCode(page, baseURL!, household.value);

	const resident = await phone(browser, baseURL!);
	await signInResident(resident, testPhone(info.project.name, 4));
	await bind(resident, code);
	await resident.goto('/p/hongyan');
	await resident.getByRole('link', { name: '居民监督小组：报名和成员名单' }).click();
	await expect(resident.getByText('种子：')).toBeVisible();
	await expect(resident.getByText(/抽签方法：每位报名者的签号 = SHA-256/)).toBeVisible();
	await expectAccessible(resident, 'supervision page');
	await resident.getByLabel('公开显示的称呼').fill('3号楼 张阿姨 <b>x</b>');
	await resident.getByRole('button', { name: '报名加入监督小组' }).click();
	await expect(resident.getByRole('status')).toHaveText('报名成功，请等待社区确认或抽签。');
	await expect(resident.getByText('您已报名，等待社区确认或抽签。')).toBeVisible();

	await page.goto('/staff/supervision/hongyan');
	await expectAccessible(page, 'staff supervision');
	await page.getByRole('button', { name: '确认为成员：3号楼 张阿姨 <b>x</b>' }).click();
	await expect(page.getByRole('status')).toHaveText('已保存。');

	await resident.goto('/p/hongyan/supervision');
	await expect(
		resident.getByRole('listitem').filter({ hasText: '3号楼 张阿姨 <b>x</b> (社区确认)' }),
	).toBeVisible();
	await resident.goto('/p/hongyan/progress');
	await resident.getByRole('textbox', { name: '巡查记录' }).fill('3号楼楼道扶手已装好，牢固。');
	await resident.getByRole('button', { name: '发布巡查记录' }).click();
	await expect(resident).toHaveURL(/\/p\/hongyan\/progress#inspection$/);
	await expect(resident.getByText('3号楼楼道扶手已装好，牢固。')).toBeVisible();
	await expectAccessible(resident, 'progress page with notes');
	await resident.context().close();
});
