import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * Committee staff issue household codes for a building and print them; residents sign in by
 * phone and code, then join their household by typing the code and by the QR link.
 */
test('staff issue codes, residents sign in and join by typed code and by QR link', async ({
	browser,
	baseURL,
	page,
}, info) => {
	const staffContext = await browser.newContext({
		baseURL: baseURL!,
		viewport: { width: 360, height: 740 },
	});
	const staff = await staffContext.newPage();
	await signInStaff(staff, 'meiling');
	await expectAccessible(staff, 'staff home');
	await staff.getByRole('link', { name: '住户与邀请码' }).click();
	await expectAccessible(staff, 'staff compounds');
	await staff
		.getByRole('link', { name: /^3号楼/ })
		.first()
		.click();
	await expect(staff.getByRole('heading', { level: 1 })).toContainText('3号楼');
	await expectAccessible(staff, 'staff building');
	await staff.getByRole('button', { name: '生成并打印' }).click();
	await expect(staff.getByRole('status')).toContainText('只显示这一次');
	await expectAccessible(staff, 'slips');
	const slips = staff.locator('li.slip');
	expect(await slips.count()).toBeGreaterThan(4);
	const typedCode = (await slips.nth(0).locator('.slip-code').textContent())!.trim();
	const qrUrl = (await slips.nth(1).getAttribute('data-bind-url'))!;
	expect(qrUrl).toMatch(/\/bind\?code=[2-9A-Z]{12}$/);
	await staff.emulateMedia({ media: 'print' });
	await staff.screenshot({ path: `tests/.output/slips-print-${info.project.name}.png` });
	await staff
		.pdf({ path: `tests/.output/slips-${info.project.name}.pdf`, format: 'A4' })
		.catch(() => {});
	await staffContext.close();

	// A resident types the code by hand.
	await signInResident(page, testPhone(info.project.name, 1));
	await expect(page).toHaveURL(/\/account$/);
	await expectAccessible(page, 'account');
	await page.goto('/bind');
	await page.getByLabel('住户邀请码').fill(typedCode.toLowerCase().replaceAll('-', ' '));
	await page.getByRole('button', { name: '绑定' }).click();
	await expect(page).toHaveURL(/\/account\?bound=1$/);
	await expect(page.getByRole('status')).toContainText('绑定成功。下一步');
	await expect(page.getByText('公开显示为：3号楼住户')).toBeVisible();
	await page.getByRole('button', { name: '退出', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('link', { name: '登录', exact: true })).toBeVisible();

	// Another resident follows the QR link: signs in first, comes back with the code filled in.
	const secondContext = await browser.newContext({ baseURL: baseURL! });
	const second = await secondContext.newPage();
	await second.goto(new URL(qrUrl).pathname + new URL(qrUrl).search);
	await expectAccessible(second, 'bind (signed out)');
	await second.getByRole('link', { name: '登录' }).last().click();
	await signInResidentHere(second, testPhone(info.project.name, 2));
	await expect(second).toHaveURL(/\/bind\?code=/);
	await expect(second.getByLabel('住户邀请码')).not.toHaveValue('');
	await second.getByRole('button', { name: '绑定' }).click();
	await expect(second).toHaveURL(/\/account\?bound=1$/);
	await secondContext.close();
});

/** The sign-in form is already open (we came from a "sign in" link carrying next=…). */
async function signInResidentHere(page: Page, phone: string) {
	await page.getByLabel('手机号').fill(phone);
	await page.getByRole('button', { name: '获取验证码' }).click();
	const outbox = await page.context().newPage();
	await outbox.goto('/dev/outbox');
	const text = await outbox.locator(`li[data-phone="+86${phone}"] p`).first().textContent();
	await outbox.close();
	await page.getByLabel('验证码').fill(/\d{6}/.exec(text ?? '')![0]);
	await page.getByLabel('我已阅读并同意《个人信息保护说明》').check();
	await page.getByRole('button', { name: '登录' }).click();
}

test('a wrong code is refused with a translated message and the form keeps working', async ({
	page,
}, info) => {
	await page.goto('/en/login');
	await page.getByLabel('Mobile number').fill(testPhone(info.project.name, 3));
	await page.getByRole('button', { name: 'Send code' }).click();
	await page.getByLabel('Code').fill('000000');
	await page.getByLabel('I have read and agree to the privacy notice').check();
	await page.getByRole('button', { name: 'Sign in' }).last().click();
	await expect(page.getByRole('alert')).toContainText(/not correct|no longer valid/);
	await expectAccessible(page, 'verify error en');
});

test("a moderator cannot open another community's building", async ({ page }) => {
	await signInStaff(page, 'jiangbin');
	await page.goto('/staff/households');
	await expect(page.getByRole('heading', { level: 2 }).first()).toContainText('江滨花园');
	await expect(page.getByText('红岩新村')).toHaveCount(0);
	const response = await page.goto('/staff/households/building/1');
	expect(response?.status()).toBe(404);
});
