import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInResident, testPhone } from './fixtures.ts';

/**
 * A resident can trust what they read (issue 19): a privacy notice (what, why, how long, rights,
 * with the export and delete links), consent to it recorded at sign-in with its version (or
 * asked for on 我的 when missing), an accessibility statement, both linked from every page.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

const SHOTS = '/work/shots';

async function requestCode(page: Page, phone: string): Promise<string> {
	await page.goto('/login');
	await page.getByLabel('手机号').fill(phone);
	await page.getByRole('button', { name: '获取验证码' }).click();
	const outbox = await page.context().newPage();
	await outbox.goto('/dev/outbox');
	const text = await outbox.locator(`li[data-phone="+86${phone}"] p`).first().textContent();
	await outbox.close();
	return /\d{6}/.exec(text ?? '')![0];
}

test('privacy notice and accessibility statement, linked from the footer', async ({
	page,
	baseURL,
}) => {
	await page.goto('/');
	const footer = page.getByRole('navigation', { name: '网站信息' });
	await footer.getByRole('link', { name: '个人信息保护' }).click();
	await expect(page).toHaveURL(/\/privacy$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('个人信息保护说明');
	for (const heading of ['我们收集什么', '为什么收集', '保存多久', '您的权利'])
		await expect(page.getByRole('heading', { name: heading })).toBeVisible();
	await expect(page.getByText(/版本 \d{4}-\d{2}/)).toBeVisible();
	await expect(page.getByRole('link', { name: '下载我的数据' })).toHaveAttribute(
		'href',
		'/account/export.json',
	);
	await expect(page.getByRole('link', { name: '注销账号' })).toHaveAttribute(
		'href',
		'/account#delete',
	);
	await expectAccessible(page, 'privacy');
	await page.screenshot({ path: `${SHOTS}/privacy-zh.png`, fullPage: true });

	await page.goto('/en/privacy');
	await expect(page.getByRole('heading', { name: 'How long we keep it' })).toBeVisible();
	await expectAccessible(page, 'privacy en');
	await page.screenshot({ path: `${SHOTS}/privacy-en.png`, fullPage: true });

	await page
		.getByRole('navigation', { name: 'About this site' })
		.getByRole('link', { name: 'Accessibility' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement');
	await expectAccessible(page, 'accessibility en');
	await page.context().addCookies([{ name: 'gj_text', value: 'large', url: baseURL! }]);
	await page.goto('/accessibility');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('无障碍说明');
	await expectAccessible(page, 'accessibility large text');
	await page.screenshot({ path: `${SHOTS}/accessibility-large.png`, fullPage: true });
});

test('consent is recorded at sign-in with the notice version', async ({ page }, info) => {
	await signInResident(page, testPhone(info.project.name, 1));
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText(/您已同意《个人信息保护说明》（版本 \d{4}-\d{2}）/)).toBeVisible();
	await expect(page.getByRole('button', { name: '我已阅读并同意' })).toHaveCount(0);
	const exported = await (await page.request.get('/account/export.json')).json();
	expect(exported.privacyConsents).toEqual([
		expect.objectContaining({ version: expect.stringMatching(/^\d{4}-\d{2}$/), via: 'sign_in' }),
	]);
});

test('without consent at sign-in, 我的 asks for it and records it', async ({ page }, info) => {
	const phone = testPhone(info.project.name, 2);
	const code = await requestCode(page, phone);
	await page.getByLabel('验证码').fill(code);
	const box = page.getByLabel('我已阅读并同意《个人信息保护说明》');
	await expect(box).toHaveAttribute('required', '');
	// A client that sends no consent (an old form, a script) still signs in, and is asked after.
	await box.evaluate((el) => el.removeAttribute('required'));
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText(/请阅读并同意《个人信息保护说明》/)).toBeVisible();
	await expectAccessible(page, 'account consent needed');
	await page.getByRole('button', { name: '我已阅读并同意' }).click();
	await expect(page.getByText(/您已同意《个人信息保护说明》/)).toBeVisible();
	const exported = await (await page.request.get('/account/export.json')).json();
	expect(exported.privacyConsents).toEqual([expect.objectContaining({ via: 'account' })]);
});

test('share a project: copy link with JavaScript, a plain link without; its own OG image', async ({
	page,
	browser,
	baseURL,
	request,
}) => {
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.goto('/p/dujuan');
	const og = await page.locator('meta[property="og:image"]').getAttribute('content');
	expect(og).toBe(`${new URL(baseURL!).origin}/p/dujuan/og.png`);
	const image = await request.get('/p/dujuan/og.png');
	expect(image.status()).toBe(200);
	expect(image.headers()['content-type']).toBe('image/png');
	const bytes = await image.body();
	expect(bytes.readUInt32BE(16)).toBe(1200); // PNG IHDR width
	expect(bytes.readUInt32BE(20)).toBe(630);
	expect((await request.get('/p/no-such-project/og.png')).status()).toBe(404);
	// The project page ships no JavaScript: the control is the address as a plain link.
	await expect(page.getByRole('link', { name: '复制链接' })).toHaveAttribute(
		'href',
		`${new URL(baseURL!).origin}/p/dujuan`,
	);
	await expect(
		page.getByText(`${new URL(baseURL!).origin}/p/dujuan`, { exact: true }),
	).toBeVisible();
	// The plan page loads islands anyway: there a tap copies the address.
	await page.goto('/p/dujuan/v/2');
	// The island hydrates once visible (client:visible): a tap before that follows the link.
	const share = page.getByRole('link', { name: '复制链接' });
	await share.scrollIntoViewIfNeeded();
	await page.waitForFunction(
		() => !document.querySelector('astro-island[component-url*="ShareLink"]')?.hasAttribute('ssr'),
	);
	await share.click();
	await expect(page.getByRole('status').filter({ hasText: '链接已复制' })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
		`${new URL(baseURL!).origin}/p/dujuan/v/2`,
	);
	await expectAccessible(page, 'project with share control');

	const noJs = await browser.newContext({ baseURL: baseURL!, javaScriptEnabled: false });
	const plain = await noJs.newPage();
	await plain.goto('/en/p/dujuan/v/2');
	const link = plain.getByRole('link', { name: 'Copy link' });
	await expect(link).toHaveAttribute('href', `${new URL(baseURL!).origin}/en/p/dujuan/v/2`);
	await expect(plain.getByText(`${new URL(baseURL!).origin}/en/p/dujuan/v/2`)).toBeVisible();
	await noJs.close();
});

test('Chinese content on English pages carries lang="zh-CN"', async ({ page }) => {
	await page.goto('/en/p/dujuan/v/2');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	const bodies = page.locator('.opinion-body');
	expect(await bodies.count()).toBeGreaterThan(0);
	for (const body of await bodies.all()) {
		const text = (await body.textContent()) ?? '';
		if (/\p{Script=Han}/u.test(text)) await expect(body).toHaveAttribute('lang', 'zh-CN');
	}
	await page.goto('/p/dujuan/v/2');
	await expect(page.locator('.opinion-body[lang]')).toHaveCount(0);
});
