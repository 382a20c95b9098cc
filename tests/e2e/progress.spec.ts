import { expect, test } from '@playwright/test';
import { buildImage, buildPhoneJpeg } from '../factories/images.ts';
import { decodeQr } from '../helpers/qr.ts';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

const phoneView = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * A resident follows a project and hears of a milestone; reports a construction problem with a
 * photo; the committee dispatches and closes it; the resident reads the answer.
 */
test('follow, milestone notification, problem report dispatched and answered', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'one journey on the phone is enough');
	await signInResident(page, testPhone(info.project.name, 7));
	await page.goto('/p/hongyan');
	await page.getByRole('button', { name: '关注这个项目' }).click();
	await expect(page).toHaveURL(/\/p\/hongyan$/);
	await expect(page.getByText('您正在关注这个项目')).toBeVisible();
	await expectAccessible(page, 'project page (resident)');

	// The officer posts progress with a site photo and records the end of works (the demo's
	// 红岩新村 started two weeks ago; that milestone was announced then).
	const staffContext = await browser.newContext({ baseURL: baseURL!, ...phoneView });
	const staff = await staffContext.newPage();
	await signInStaff(staff, 'officer');
	await staff.goto('/staff/progress/hongyan');
	await expectAccessible(staff, 'staff progress');
	await staff.getByLabel('进展说明').fill('1号楼屋面防水开始施工。<script>alert(1)</script>');
	await staff.getByLabel('屋面渗漏修缮 状态').selectOption({ label: '施工中' });
	await staff.getByLabel('屋面渗漏修缮 完成比例（%）').fill('40');
	await staff.getByLabel('现场照片（最多 6 张）').setInputFiles({
		name: 'site.jpg',
		mimeType: 'image/jpeg',
		buffer: await buildPhoneJpeg({ width: 1200, height: 900 }),
	});
	await staff.getByRole('button', { name: '发布进展' }).first().click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');
	const completed = staff.locator('fieldset', { has: staff.getByText('完工', { exact: true }) });
	await completed.getByLabel('实际日期').fill(today());
	await completed.getByRole('button', { name: '保存节点' }).click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');
	await staffContext.close();

	// The follower sees the unread badge and the notification, and the progress bar.
	await page.goto('/p/hongyan');
	const badge = page.getByRole('link', { name: /通知，1 条未读/ });
	await expect(badge).toBeVisible();
	await badge.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('通知');
	const note = page.getByRole('link', { name: /「红岩新村老旧小区改造」完工：/ });
	await expect(note).toBeVisible();
	await expectAccessible(page, 'notification centre');
	await note.click();
	await expect(page).toHaveURL(/\/p\/hongyan\/progress$/);
	await expect(page.locator('progress').first()).toHaveAttribute('value', '40');
	await expect(page.getByText('1号楼屋面防水开始施工。<script>alert(1)</script>')).toBeVisible();
	await expectAccessible(page, 'progress page');
	await page.screenshot({ path: 'tests/.output/progress-phone.png', fullPage: true });

	// The resident reports a problem with a photo.
	await page.goto('/p/hongyan/problems');
	await page.getByLabel('问题描述').fill('3单元楼道的水管被挖破了，一直漏水。');
	await page.getByLabel('具体位置（如：3单元楼道）').fill('3单元楼道');
	await page.getByLabel('照片（最多 3 张）').setInputFiles({
		name: 'leak.png',
		mimeType: 'image/png',
		buffer: await buildImage('png', { width: 800, height: 600 }),
	});
	await page.getByRole('button', { name: '提交' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/问题 #\d+/);
	await expect(page.getByText('待派单')).toBeVisible();
	await expect(page.locator('.problem-photos img[src^="/images/"]')).toHaveCount(1);
	await expectAccessible(page, 'problem report');
	const reportUrl = page.url();

	// The committee dispatches it to the pipeline unit, then closes it with an answer and a photo.
	const committeeContext = await browser.newContext({ baseURL: baseURL!, ...phoneView });
	const committee = await committeeContext.newPage();
	await signInStaff(committee, 'meiling');
	await committee.goto('/staff/problems');
	await expectAccessible(committee, 'problem queue');
	await committee
		.getByRole('link', { name: /问题 #\d+ · 待派单/ })
		.first()
		.click();
	await committee.getByLabel('责任单位').selectOption({ label: '管线单位' });
	await committee.getByLabel('处理期限').fill(today());
	await committee.getByRole('button', { name: '派单' }).click();
	await expect(committee.getByRole('status')).toHaveText('已保存。');
	await committee.getByLabel('处理答复').fill('管线单位已更换破损水管，恢复供水。');
	await committee.getByLabel('处理后的照片（可选）').setInputFiles({
		name: 'fixed.webp',
		mimeType: 'image/webp',
		buffer: await buildImage('webp', { width: 800, height: 600 }),
	});
	await committee.getByRole('button', { name: '办结并答复' }).click();
	await expect(committee.getByRole('status')).toHaveText('已保存。');
	await expectAccessible(committee, 'problem closed (staff)');
	await committeeContext.close();

	// The reporter is told and reads the answer.
	await page.goto('/account/notifications');
	await page.getByRole('link', { name: /反映的问题已办结/ }).click();
	await expect(page).toHaveURL(reportUrl);
	await expect(page.getByText('管线单位已更换破损水管，恢复供水。')).toBeVisible();
	await expect(page.getByText(/已派给管线单位/)).toBeVisible();
	await page.goto('/p/hongyan');
	await expect(page.getByText(/已办结 1 件/)).toBeVisible();
});

test('the printable notice of a plan version: A4 print view with a QR code to the page', async ({
	page,
	baseURL,
}, info) => {
	await page.goto('/p/dujuan');
	await page.getByRole('link', { name: '打印公示：方案第 2 版' }).click();
	await expect(page.getByText('改造方案公示')).toBeVisible();
	await expectAccessible(page, 'notice');
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.site-header')).toBeHidden();
	const shot = await page.screenshot({
		path: `tests/.output/notice-print-${info.project.name}.png`,
		fullPage: true,
	});
	const svg = await page.locator('.notice-code svg').evaluate((el) => el.outerHTML);
	expect(await decodeQr(svg)).toBe(`${baseURL}/p/dujuan/v/2`);
	const code = await page.locator('.notice-code').screenshot();
	expect(await decodeQr(code)).toBe(`${baseURL}/p/dujuan/v/2`);
	expect(shot.byteLength).toBeGreaterThan(10_000);
	await page
		.pdf({ path: `tests/.output/notice-${info.project.name}.pdf`, format: 'A4' })
		.catch(() => {});
	await page.emulateMedia({ media: 'screen' });
	await page.goto('/en/p/dujuan/v/2/notice');
	await expect(page.getByText('Public notice: renovation plan')).toBeVisible();
	expect(await decodeQr(await page.locator('.notice-code').screenshot())).toBe(
		`${baseURL}/en/p/dujuan/v/2`,
	);
	await expectAccessible(page, 'notice en');
});
