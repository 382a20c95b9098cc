import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * A committee member (梅岭社区) downloads the roster template, exports the current households of
 * 杜鹃新村, adds five flats of a new building with three mistakes, reads the errors, fixes them,
 * uploads again and imports; the project page then counts five more households.
 */
async function download(page: Page, click: () => Promise<void>): Promise<string> {
	const [file] = await Promise.all([page.waitForEvent('download'), click()]);
	return new TextDecoder().decode(await readFile((await file.path())!));
}

async function projectHouseholds(page: Page): Promise<number> {
	await page.goto('/p/dujuan');
	const figure = page.locator('dt', { hasText: '户数' }).locator('xpath=following-sibling::dd[1]');
	return Number((await figure.textContent())!.replace(/[^\d]/g, ''));
}

async function upload(page: Page, csv: string) {
	await page.getByLabel('花名册文件（.xlsx 或 .csv）').setInputFiles({
		name: '杜鹃新村花名册.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csv),
	});
	await page.getByRole('button', { name: '检查花名册' }).click();
	await expect(page.getByRole('heading', { name: '检查结果' })).toBeVisible();
}

test('a committee member imports a roster: template, errors, fix, apply', async ({
	page,
}, info) => {
	const building = info.project.name === 'phone' ? '80' : '81';
	const before = await projectHouseholds(page);

	await signInStaff(page, 'meiling');
	await page.getByRole('link', { name: /住户花名册/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('住户花名册');
	await expectAccessible(page, 'roster');

	const template = await download(page, () =>
		page.getByRole('link', { name: 'CSV 模板（中文表头）' }).click(),
	);
	const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
	expect(header).toBe('街道,社区,小区,楼栋,单元,房号,楼层,建筑面积(m²),使用状态,业主标识,联系备注');

	await page.getByLabel('范围').selectOption({ label: '杜鹃新村（梅岭社区）' });
	await page.getByLabel('CSV（UTF-8）').check();
	const exported = await download(page, () => page.getByRole('button', { name: '导出' }).click());
	const current = exported
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.slice(1)
		.filter(Boolean);
	expect(current.length).toBe(before);

	const flat = (room: string, area: string) =>
		`列东街道,梅岭社区,杜鹃新村,${building}号楼,1单元,${room},,${area},自住,E2E-${building}-${room},`;
	const bad = [
		flat('101', '78.5'),
		flat('102', '八十'), // area not a number
		flat('201', '0'), // area not above 0
		flat('202', '80'),
		flat('202', '81'), // the same room twice in the unit
	];
	const badRows = [current.length + 3, current.length + 4, current.length + 6];
	await upload(page, [header, ...current, ...bad].join('\r\n'));
	const errors = page.getByRole('alert');
	await expect(errors).toContainText('有 3 处错误');
	for (const row of badRows) await expect(page.locator(`tr[data-row="${row}"]`)).toBeVisible();
	await expect(page.locator(`tr[data-row="${badRows[0]}"]`)).toContainText('面积不是数字');
	await expect(page.locator(`tr[data-row="${badRows[1]}"]`)).toContainText('面积必须大于 0');
	await expect(page.locator(`tr[data-row="${badRows[2]}"]`)).toContainText('房号重复');
	await expect(page.getByRole('button', { name: '确认导入' })).toHaveCount(0);
	await expectAccessible(page, 'roster errors');

	const fixed = [
		flat('101', '78.5'),
		flat('102', '80'),
		flat('201', '66.25'),
		flat('202', '80'),
		flat('301', '81'),
	];
	await upload(page, [header, ...current, ...fixed].join('\r\n'));
	await expect(page.getByText('没有错误，可以导入。')).toBeVisible();
	await expect(page.locator('[data-summary="roster.summaryCreated"]')).toHaveText('5');
	await expect(page.locator('[data-summary="roster.summaryUnchanged"]')).toHaveText(String(before));
	await expectAccessible(page, 'roster clean');
	await page.getByRole('button', { name: '确认导入' }).click();
	await expect(page.getByRole('status').first()).toContainText('已导入：新增 5 户');

	// The tree shows the new building; the project page counts it.
	await page.goto(`/staff/roster/tree?compound=2&building=${building}`);
	await expect(page.getByRole('heading', { name: '找到 5 户' })).toBeVisible();
	await expectAccessible(page, 'roster tree');
	expect(await projectHouseholds(page)).toBe(before + 5);
});
