import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * A consultation round from opening to published results: committee staff open a needs
 * questionnaire; two members of one household answer and revise from two phones; staff enter a
 * neighbour's paper form with a photo; coverage follows; after close the results show verdicts
 * and the open-data CSV opens with correct Chinese.
 */
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

async function phone(browser: Browser, baseURL: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		locale: 'zh-CN',
	});
	return context.newPage();
}

/** Household invitation code for one household (the slip page shows it once). */
async function issueCode(staff: Page, baseURL: string, householdId: string): Promise<string> {
	const response = await staff.request.post(
		'/staff/households/slips?_action=households.issueCodes',
		{
			form: { householdId, relation: 'owner', maxMembers: '5' },
			headers: { origin: new URL(baseURL).origin },
		},
	);
	const html = await response.text();
	return /data-bind-url="[^"]*code=([A-Z0-9]+)"/.exec(html)![1]!;
}

test('a round from opening to published results', async ({ browser, baseURL, page }, info) => {
	test.setTimeout(120_000);
	const staff = page;
	await signInStaff(staff, 'meiling');
	await staff.getByRole('link', { name: '征求意见与表决' }).click();
	await expectAccessible(staff, 'staff rounds');
	await staff.getByLabel('项目').selectOption({ label: '杜鹃新村老旧小区改造' });
	await staff.getByRole('button', { name: '新建一轮' }).click();
	const title = `杜鹃新村改造需求调查（${info.project.name}）`;
	await staff.getByLabel('标题', { exact: true }).fill(title);
	await staff.getByLabel('屋面渗漏修缮').check();
	await staff.getByLabel('楼道照明系统').check();
	await staff.getByLabel('计票范围').selectOption('building');
	await staff.getByLabel('开始时间（北京时间）').fill(local(Date.now() - 60_000));
	await expectAccessible(staff, 'new round');
	await staff.getByRole('button', { name: '创建' }).click();
	await expect(staff).toHaveURL(/\/staff\/rounds\/\d+\?created=1$/);
	const roundId = /\/staff\/rounds\/(\d+)/.exec(staff.url())![1]!;
	await staff.getByRole('button', { name: '启动本轮' }).click();
	await expect(staff.getByRole('status')).toHaveText('已完成。');
	await expect(staff.getByText('已回复 0 户 / 共')).toBeVisible();
	await expectAccessible(staff, 'staff round');

	// Two households: one answers online (two members), the other on paper.
	await staff.goto(`/staff/rounds/${roundId}/paper`);
	const options = await staff
		.locator('select[name="household"] option')
		.evaluateAll((els) =>
			els.map((el) => ({ value: (el as HTMLOptionElement).value, text: el.textContent ?? '' })),
		);
	const [online, paper] = [options[0]!, options[1]!];
	const code = await issueCode(staff, baseURL!, online.value);

	const first = await phone(browser, baseURL!);
	const second = await phone(browser, baseURL!);
	for (const [n, member] of [first, second].entries()) {
		await signInResident(member, testPhone(info.project.name, 5 + n));
		await member.goto(`/bind?code=${code}`);
		await member.getByRole('button', { name: '绑定' }).click();
		await expect(member).toHaveURL(/\/account\?bound=1$/);
	}
	await first.goto(`/rounds/${roundId}`);
	await expectAccessible(first, 'round page');
	await first.getByRole('link', { name: /填写意见/ }).click();
	await expectAccessible(first, 'ballot form');
	const items = first.locator('fieldset.choice-group');
	await expect(items).toHaveCount(2);
	await items.nth(0).getByLabel('需要', { exact: true }).check();
	await items.nth(1).getByLabel('不需要', { exact: true }).check();
	await first.getByLabel('其他需求和建议').fill('楼道灯经常坏，希望一起修');
	await first.getByRole('button', { name: '提交' }).click();
	await expect(first.getByRole('status')).toContainText('第 1 次');

	await second.goto(`/rounds/${roundId}/ballot/${online.value}`);
	await expect(second.getByText('家庭其他成员')).toBeVisible();
	await expect(
		second.locator('fieldset.choice-group').nth(0).getByLabel('需要', { exact: true }),
	).toBeChecked();
	await second.locator('fieldset.choice-group').nth(1).getByLabel('需要', { exact: true }).check();
	await second.getByRole('button', { name: '提交修改' }).click();
	await expect(second.getByRole('status')).toContainText('第 2 次');
	await first.reload();
	await expect(first.locator('.revisions li')).toHaveCount(2);
	await expect(
		first.locator('fieldset.choice-group').nth(1).getByLabel('需要', { exact: true }),
	).toBeChecked();

	// Staff enter the neighbour's paper form with a photo of it.
	const photo = await sharp({
		create: { width: 640, height: 480, channels: 3, background: { r: 250, g: 248, b: 240 } },
	})
		.jpeg()
		.toBuffer();
	await staff.goto(`/staff/rounds/${roundId}/paper?household=${paper.value}`);
	const paperItems = staff.locator('fieldset.choice-group');
	await paperItems.nth(0).getByLabel('需要', { exact: true }).check();
	await paperItems.nth(1).getByLabel('无所谓', { exact: true }).check();
	await staff.getByLabel('签字表决单照片').setInputFiles({
		name: 'form.jpg',
		mimeType: 'image/jpeg',
		buffer: photo,
	});
	await expectAccessible(staff, 'paper entry');
	await staff.getByRole('button', { name: '保存纸质意见' }).click();
	await expect(staff.getByRole('status')).toContainText('纸质意见已录入');

	// Coverage follows, for staff and for the public.
	await staff.goto(`/staff/rounds/${roundId}`);
	await expect(staff.getByText('已回复 2 户 / 共')).toBeVisible();
	const visitor = await phone(browser, baseURL!);
	await visitor.goto(`/rounds/${roundId}`);
	await expect(visitor.getByText('已回复 2 户 / 共')).toBeVisible();
	await expect(visitor.getByText('结果将在本轮截止并公示后公开。')).toBeVisible();
	await staff.goto(`/staff/rounds/${roundId}/visits`);
	await expect(staff.locator('table.visits tbody tr').first()).toBeVisible();
	await expectAccessible(staff, 'visit list');

	// Close, publish, and read the results as anyone.
	await staff.goto(`/staff/rounds/${roundId}`);
	await staff.getByRole('button', { name: '立即截止' }).click();
	await expect(staff.getByRole('status')).toHaveText('已完成。');
	await staff.getByRole('button', { name: '公示结果' }).click();
	await expect(staff.getByRole('link', { name: /第 1 版，公示于/ })).toBeVisible();
	await first.goto(`/rounds/${roundId}/ballot/${online.value}`);
	await expect(first.getByRole('button', { name: /提交/ })).toHaveCount(0);

	await visitor.goto(`/rounds/${roundId}/results`);
	await expect(visitor.getByRole('heading', { level: 1 })).toContainText('结果');
	await expect(visitor.locator('.badge.verdict-approved').first()).toBeVisible();
	await expect(visitor.getByText('第 1 版，公示于')).toBeVisible();
	await expectAccessible(visitor, 'results');
	await visitor.screenshot({
		path: `tests/.output/ballots-results-${info.project.name}.png`,
		fullPage: true,
	});
	const csv = await visitor.request.get(`/rounds/${roundId}/results.csv`);
	const bytes = await csv.body();
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const rows = new TextDecoder('utf-8', { fatal: true })
		.decode(bytes.subarray(3))
		.trim()
		.split('\r\n')
		.map((line) => line.split(','));
	expect(rows[0]!.slice(0, 3)).toEqual(['序号', '事项', '表决规则']);
	const roof = rows.filter((r) => r[1] === '屋面渗漏修缮' && r[5] === '是');
	expect(roof.length).toBeGreaterThan(0);
	expect(roof.map((r) => r.at(-1))).toContain('通过');
	await visitor.goto(`/rounds/${roundId}/notice`);
	await expect(visitor.getByRole('img', { name: /二维码/ })).toBeVisible();
	await expectAccessible(visitor, 'notice');
	await visitor.goto(`/en/rounds/${roundId}/results`);
	await expect(visitor.getByRole('heading', { level: 1 })).toContainText('results');
	await expectAccessible(visitor, 'results (en)');
});
