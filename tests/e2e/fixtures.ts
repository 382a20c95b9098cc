import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Fails on any serious or critical axe violation on the current page (WCAG 2.2 AA rules). */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const serious = results.violations.filter(
		(v) => v.impact === 'serious' || v.impact === 'critical',
	);
	expect(
		serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
		`axe violations on ${label}`,
	).toEqual([]);
}

/** Clickable things on a resident page are at least `min` px in both directions. */
export async function expectTouchTargets(page: Page, min: number): Promise<void> {
	const small = await page.$$eval(
		'main a, main button, main select, header a, header button',
		(elements, minimum) =>
			elements
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r }) => r.width > 0 && (r.height < minimum || r.width < minimum))
				.map(
					({ el, r }) =>
						`${el.tagName} "${el.textContent?.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
				),
		min,
	);
	expect(small, `targets smaller than ${min}px`).toEqual([]);
}

export const STAFF_PASSWORD = 'demo-staff-password';

/** Signs a staff member of the demo in (accounts exist when DEMO_STAFF_PASSWORD is set). */
export async function signInStaff(page: Page, username: string): Promise<void> {
	await page.goto('/staff/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(STAFF_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/staff$/);
}

/** Signs a resident in by phone and the code from the development outbox. */
export async function signInResident(page: Page, phone: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('手机号').fill(phone);
	await page.getByRole('button', { name: '获取验证码' }).click();
	await expect(page).toHaveURL(/\/login\/verify/);
	const outbox = await page.context().newPage();
	await outbox.goto('/dev/outbox');
	const digits = phone.replace(/\D/g, '').slice(-11);
	const text = await outbox.locator(`li[data-phone="+86${digits}"] p`).first().textContent();
	await outbox.close();
	const code = /\d{6}/.exec(text ?? '')?.[0] ?? '';
	await page.getByLabel('验证码').fill(code);
	await page.getByLabel('我已阅读并同意《个人信息保护说明》').check();
	await page.getByRole('button', { name: '登录' }).click();
}

/** A phone number unique to this test run and project. */
export function testPhone(projectName: string, n: number): string {
	const project = projectName === 'phone' ? 1 : 2;
	return `137${project}${String(Date.now() % 100000).padStart(5, '0')}${n}${Math.floor(Math.random() * 10)}`;
}
