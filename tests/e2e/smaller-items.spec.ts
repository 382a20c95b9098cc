import { expect, test } from '@playwright/test';
import { expectAccessible } from './fixtures.ts';

/**
 * Smaller items of issue 19: the before/after slider follows a drag or a tap anywhere on the
 * picture, and progress photos open full size.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

test('the before/after divider follows a tap and a drag on the picture', async ({ page }) => {
	await page.goto('/p/dujuan/v/2');
	// The island hydrates when it comes into view.
	await page.locator('.compare-static, .compare').first().scrollIntoViewIfNeeded();
	const stage = page.locator('.compare-stage').first();
	await expect(stage).toBeVisible();
	const slider = page.getByRole('slider', { name: '拖动查看改造前后对比' }).first();
	await expect(slider).toHaveValue('50');
	const box = (await stage.boundingBox())!;
	const y = box.y + box.height / 2;
	await page.mouse.click(box.x + box.width * 0.2, y);
	await expect.poll(async () => Number(await slider.inputValue())).toBeLessThan(25);
	await page.mouse.move(box.x + box.width * 0.3, y);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
	await page.mouse.move(box.x + box.width * 0.8, y, { steps: 4 });
	await page.mouse.up();
	await expect.poll(async () => Number(await slider.inputValue())).toBeGreaterThan(75);
	await expectAccessible(page, 'plan with slider');
});

test('progress photos open full size', async ({ page, request }) => {
	await page.goto('/p/hongyan/progress');
	const photo = page.getByRole('link', { name: /查看大图/ }).first();
	const href = (await photo.getAttribute('href'))!;
	expect(href).toMatch(/^\/images\/[0-9a-f]{64}\.jpg$/);
	const image = await request.get(href);
	expect(image.headers()['content-type']).toBe('image/jpeg');
	// The thumbnail is shown about 150 px wide; the opened photo is much larger.
	await photo.scrollIntoViewIfNeeded();
	const thumbnail = (await photo.locator('img[src^="/images/"]').boundingBox())!.width;
	await photo.click();
	await expect(page).toHaveURL(new RegExp(`${href}$`));
	const full = await page.evaluate(
		() => (document.querySelector('img') as HTMLImageElement).naturalWidth,
	);
	expect(full).toBeGreaterThan(thumbnail * 3);
});
