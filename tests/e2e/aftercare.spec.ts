import { expect, test } from '@playwright/test';
import { buildPhoneJpeg } from '../factories/images.ts';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

const phoneView = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

/**
 * 长效管理 after the works (issue 23): the public sees what is under warranty and the repair
 * figures; a resident reports a leak with a photo, it goes to the contractor under warranty;
 * the staff record the contractor's answer and close it; the resident sees it closed.
 */
test('warranty on the project page, a repair reported, answered and closed', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'one journey on the phone is enough');

	await page.goto('/p/baisha-fuxing');
	const warranty = page.locator('section', {
		has: page.getByRole('heading', { name: '长效管理', level: 2 }),
	});
	await expect(warranty.getByRole('heading', { name: '仍在保修期内（2 项）' })).toBeVisible();
	await expect(warranty.getByRole('heading', { name: '保修已到期（1 项）' })).toBeVisible();
	await expect(warranty.getByText(/^福建三明建工集团有限公司 保修，至 /).first()).toBeVisible();
	await expect(warranty.getByText('共报修 4 件，按期办结 1 件，逾期 1 件。')).toBeVisible();
	await expect(
		warranty.getByText('物业服务企业：三明市城发物业服务有限公司').first(),
	).toBeVisible();
	await expect(warranty.getByText('物业费：每月每平方米 0.75 元')).toBeVisible();
	await expect(warranty.getByText('历次变更（2 个版本）')).toBeVisible();
	await expectAccessible(page, 'project page with warranty');

	await page.getByRole('link', { name: '收支公示（1 条）' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/：收支公示$/);
	await expect(page.getByText(/^公共收益（停车、广告等） · /)).toBeVisible();
	await expect(page.getByText('18650.00 元')).toBeVisible();
	await expectAccessible(page, 'money disclosures');
	const csv = await page.request.get('/p/baisha-fuxing/money.csv');
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toContain('text/csv');
	expect(await csv.text()).toMatch(
		/^\uFEFF小区,类别,期间开始,期间结束,金额（元）,说明\r\n白沙电厂宿舍,公共收益/,
	);

	await page.goto('/en/p/baisha-fuxing');
	await expect(page.getByRole('heading', { name: 'Still under warranty (2)' })).toBeVisible();
	await expect(
		page.getByText('Property company: 三明市城发物业服务有限公司').first(),
	).toBeVisible();
	await expect(
		page.getByText('4 repairs reported, 1 closed in time, 1 overdue.', { exact: false }),
	).toBeVisible();

	// A resident reports a leaking roof with a photo.
	await signInResident(page, testPhone(info.project.name, 3));
	await page.goto('/p/baisha-fuxing/repairs');
	await expectAccessible(page, 'repairs page (resident)');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page.getByLabel('哪项改造内容').selectOption({ label: '屋面渗漏修缮' });
	await page.getByLabel('渗漏（3 天内）').check();
	await page.getByLabel('哪里坏了').fill('顶楼 601 室天花板渗水。<script>alert(1)</script>');
	await page.getByLabel('单元', { exact: true }).fill('1单元');
	await page.getByLabel('照片（最多 3 张，选填）').setInputFiles({
		name: 'leak.jpg',
		mimeType: 'image/jpeg',
		buffer: await buildPhoneJpeg({ width: 1200, height: 900 }),
	});
	await page.getByRole('button', { name: '提交报修' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/报修 #\d+/);
	const requestUrl = page.url();
	const id = /\/repairs\/(\d+)$/.exec(requestUrl)?.[1];
	expect(id).toBeTruthy();
	await expect(page.getByText('待处理')).toBeVisible();
	await expect(page.getByText('顶楼 601 室天花板渗水。<script>alert(1)</script>')).toBeVisible();
	await expect(
		page.getByText(/^保修期内，转施工单位 福建三明建工集团有限公司 处理，.+前办结$/),
	).toBeVisible();
	await expect(page.locator('.repair-photos img[src^="/images/"]')).toHaveCount(1);
	await expectAccessible(page, 'repair request (resident)');

	// The staff record the contractor's answer and close the request.
	const staffContext = await browser.newContext({ baseURL: baseURL!, ...phoneView });
	const staff = await staffContext.newPage();
	await signInStaff(staff, 'admin');
	await staff.goto('/staff/repairs');
	await expect(staff.getByRole('link', { name: new RegExp(`报修 #${id} · 待处理`) })).toBeVisible();
	await expect(staff.getByText('已逾期').first()).toBeVisible();
	await expectAccessible(staff, 'repair queue');
	await staff.getByRole('link', { name: new RegExp(`报修 #${id} · 待处理`) }).click();
	await staff
		.getByLabel('答复', { exact: true })
		.fill('施工单位已上门重做防水层，雨后复查无渗漏。');
	await staff.getByLabel('已修好，办结这件报修').check();
	await staff.getByRole('button', { name: '保存答复' }).click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');
	await expect(staff.getByText('已办结')).toBeVisible();
	await expectAccessible(staff, 'repair closed (staff)');
	await staffContext.close();

	// The resident sees it closed, in both languages.
	await page.goto(requestUrl);
	await expect(page.getByText('已办结')).toBeVisible();
	await expect(page.getByText('施工单位已上门重做防水层，雨后复查无渗漏。')).toBeVisible();
	await expectAccessible(page, 'repair closed (resident)');
	await page.goto(requestUrl.replace(/\/p\//, '/en/p/'));
	await expect(page.getByText('Closed', { exact: true })).toBeVisible();
	await expect(
		page.getByText(/^Under warranty: sent to the contractor 福建三明建工集团有限公司/),
	).toBeVisible();
	await page.goto('/p/baisha-fuxing/repairs');
	await expect(page.getByText('共报修 5 件，按期办结 2 件，逾期 1 件。')).toBeVisible();
});
