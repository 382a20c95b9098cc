import { expect, test } from '@playwright/test';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * 三入户、三公示 on 杜鹃新村's project page as a resident reads it on a phone, and the staff
 * checklist of what the next steps need.
 */
test('the project page tracks the three consultations and the final notice', async ({
	page,
}, info) => {
	test.skip(info.project.name !== 'phone', 'a phone journey');
	await page.goto('/p/dujuan');
	const process = page.getByRole('region', { name: '三入户、三公示' });
	await expect(process).toBeVisible();
	const steps = process.locator('ol.process > li');
	await expect(steps).toHaveCount(4);
	await expect(steps.nth(0)).toContainText('第一次入户：改造前征求意见（问需）');
	// The demo's plan-opinion round on the revised plan is open, short of two thirds.
	await expect(steps.nth(2)).toContainText('第三次入户：方案调整后征求意见（进行中）');
	await expect(steps.nth(2)).toContainText(/已回复 \d+ \/ 180 户/);
	await expect(steps.nth(3)).toContainText('最终方案上墙公示（尚未开始）');
	await expectAccessible(page, 'project page with the process');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await process.screenshot({ path: 'tests/.output/process-zh.png' });

	await page.goto('/en/p/dujuan');
	await expect(
		page.getByRole('region', { name: 'Three household visits, three public notices' }),
	).toContainText('Third visit: opinions on the revised plan (in progress)');

	await signInStaff(page, 'admin');
	await page.goto('/staff/projects/dujuan');
	const staffView = page.getByRole('region', { name: '三入户、三公示' });
	await expect(staffView.getByRole('heading', { name: '下一步还需要' })).toBeVisible();
	await expect(staffView).toContainText(
		/第三次入户：方案调整后征求意见：正在进行，已回复 \d+ \/ 180 户，须达到三分之二。/,
	);
	await expectAccessible(page, 'staff project page with the checklist');
});
