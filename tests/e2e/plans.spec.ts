import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { buildImage, buildPhoneJpeg } from '../factories/images.ts';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * An officer drafts a plan, uploads a before/after pair (a phone photo with GPS in its EXIF) and
 * publishes it for comment; a resident compares the renderings by touch and keyboard.
 */
test('an officer publishes a plan with renderings; a resident compares them by touch and keyboard', async ({
	browser,
	baseURL,
}, info) => {
	test.skip(
		info.project.name !== 'phone',
		'one officer journey is enough; the desktop profile reads it below',
	);
	const staffContext = await browser.newContext({
		baseURL: baseURL!,
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true,
	});
	const staff = await staffContext.newPage();
	await signInStaff(staff, 'admin');
	await staff.getByRole('link', { name: '项目与方案' }).click();
	await staff.getByRole('link', { name: /列西机关宿舍改造/ }).click();
	await staff.getByRole('button', { name: '新建方案版本' }).click();
	await expect(staff.getByRole('heading', { level: 1 })).toContainText('方案第 1 版');
	await expectAccessible(staff, 'plan editor');
	await staff.getByLabel('标题', { exact: true }).fill('列西机关宿舍改造方案（初稿）');
	await staff
		.getByLabel('方案说明')
		.fill('## 改造内容\n\n屋面防水、楼道整修。<script>alert(1)</script>');
	await staff.getByRole('button', { name: '保存' }).click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');

	await staff.getByLabel('项目（改造菜单）').selectOption({ label: 'B01 屋面渗漏修缮' });
	await staff.getByLabel('总费用（元）').fill('300000');
	await staff.getByLabel('政府出资（元）').fill('240000');
	await staff.getByLabel('居民出资（元）').fill('60000');
	await staff.getByRole('button', { name: '添加改造项目' }).click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');

	const photo = await buildPhoneJpeg({ width: 1600, height: 1200 });
	expect((await sharp(photo).metadata()).exif).toBeDefined();
	await staff
		.getByLabel('改造前')
		.setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: photo });
	await staff.getByLabel('改造后').setInputFiles({
		name: 'after.png',
		mimeType: 'image/png',
		buffer: await buildImage('png', { width: 1600, height: 1200 }),
	});
	// The rendering's caption (an item's alternative designs have a 说明 field too).
	await staff
		.getByRole('group', { name: '上传改造前后效果图' })
		.getByLabel('说明', { exact: true })
		.fill('1号楼屋面');
	await staff
		.getByRole('group', { name: '上传改造前后效果图' })
		.getByRole('button', { name: '上传' })
		.click();
	await expect(staff.getByRole('status')).toHaveText('已保存。');

	await staff.getByRole('button', { name: '发布' }).click();
	await expect(staff.getByRole('heading', { level: 1 })).toContainText('征求意见中');
	await staffContext.close();

	const resident = await browser.newContext({
		baseURL: baseURL!,
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
	});
	const page = await resident.newPage();
	await page.goto('/p/liexi');
	await page
		.getByRole('link', { name: /第 1 版/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('列西机关宿舍改造方案（初稿）');
	await expect(page.locator('.plan-body')).toContainText('<script>alert(1)</script>');
	const slider = page.getByRole('slider', { name: '拖动查看改造前后对比' });
	await expect(slider).toBeVisible();
	await expectAccessible(page, 'plan page zh');
	await slider.focus();
	for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
	await expect(slider).toHaveValue('55');
	const box = (await slider.boundingBox())!;
	await page.touchscreen.tap(box.x + box.width * 0.2, box.y + box.height / 2);
	await expect.poll(async () => Number(await slider.inputValue())).toBeLessThan(40);
	await page.screenshot({ path: 'tests/.output/plan-phone-zh.png', fullPage: true });

	const jpeg = await page.locator('.compare img[src^="/images/"]').first().getAttribute('src');
	const served = Buffer.from(await (await page.request.get(jpeg!)).body());
	expect((await sharp(served).metadata()).exif).toBeUndefined();
	expect(served.includes(Buffer.from('GongjianTestPhoneMaker'))).toBe(false);

	await page.goto('/en/p/liexi/v/1');
	await expect(
		page.getByRole('slider', { name: 'Slide to compare before and after' }),
	).toBeVisible();
	await expect(page.getByText('Open for comment').first()).toBeVisible();
	await expectAccessible(page, 'plan page en');
	await page.screenshot({ path: 'tests/.output/plan-phone-en.png', fullPage: true });
	await resident.close();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the renderings show side by side with captions', async ({ page }) => {
		await page.goto('/p/dujuan/v/2');
		await expect(page.getByRole('slider')).toHaveCount(0);
		await expect(page.locator('.compare-static figure')).toHaveCount(4);
		await expect(page.locator('.compare-static figcaption').first()).toContainText('改造前');
	});
});
