import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * A consultation round from opening to published results: committee staff open a needs
 * questionnaire; two members of one household answer and revise from two phones; staff enter a
 * neighbour's paper form with a photo; coverage follows; after close the results say honestly
 * that two households are too few for a result (参与不足，结果不成立), and the open-data CSV opens
 * with correct Chinese.
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

/** The room links of the paper-entry page's open unit: household id and room. */
async function roomLinks(staff: Page) {
	return staff.locator('a[href*="household="]').evaluateAll((els) =>
		els.map((el) => ({
			value: /household=(\d+)/.exec((el as HTMLAnchorElement).href)![1]!,
			text: el.textContent ?? '',
		})),
	);
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

/**
 * Closing early and publishing, each through its confirmation page: participation and what
 * will happen, a reason (participation is below target), the ticked box, then a sentence
 * saying what happened.
 */
async function closeAndPublish(staff: Page, roundId: string) {
	await staff.goto(`/staff/rounds/${roundId}`);
	await staff.getByRole('link', { name: '立即截止' }).click();
	await expect(staff.getByRole('heading', { level: 1 })).toContainText('确认提前截止');
	await expect(staff.getByText('未达到目标。')).toBeVisible();
	await expect(staff.getByText('不会通知住户。')).toBeVisible();
	await expectAccessible(staff, 'close confirmation');
	await staff.getByLabel('提前截止的原因（必填，将公开）').fill('居民议事会同意提前截止');
	await staff.getByLabel('我已核对参与情况，确认立即截止本轮。').check();
	await staff.getByRole('button', { name: '确认立即截止' }).click();
	await expect(staff.getByRole('status')).toContainText('本轮已于');
	await expect(staff.getByRole('status')).toContainText('结果尚未公开');
	await staff.getByRole('link', { name: '公示结果' }).click();
	await expect(staff.getByText(/第 1 版结果向所有人公开/)).toBeVisible();
	await expect(staff.getByText(/户的成员会收到站内通知/)).toBeVisible();
	await expectAccessible(staff, 'publish confirmation');
	await staff.getByLabel('我已核对结果，确认公开第 1 版。').check();
	await staff.getByRole('button', { name: '公示结果' }).click();
	await expect(staff.getByRole('status')).toContainText('第 1 版结果已公示');
	await expect(staff.getByRole('link', { name: /第 1 版，公示于/ })).toBeVisible();
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
	await expect(staff.getByRole('status')).toContainText('本轮已启动：范围内');
	await expect(staff.getByText('已回复 0 户 / 共')).toBeVisible();
	await expectAccessible(staff, 'staff round');

	// Two households: one answers online (two members), the other on paper.
	await staff.goto(`/staff/rounds/${roundId}/paper`);
	// The first unit's rooms are offered straight away (building → unit → room).
	const options = await roomLinks(staff);
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
	await expect(staff.getByRole('status')).toContainText('下面接着录入同一单元的下一户');

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
	await closeAndPublish(staff, roundId);
	await first.goto(`/rounds/${roundId}/ballot/${online.value}`);
	await expect(first.getByRole('button', { name: /提交/ })).toHaveCount(0);

	await visitor.goto(`/rounds/${roundId}/results`);
	await expect(visitor.getByRole('heading', { level: 1 })).toContainText('结果');
	// 2 households of a building are far under two thirds: no verdict stands, none says 通过.
	await expect(visitor.locator('.badge.verdict-not_quorate').first()).toHaveText(
		'参与不足，结果不成立',
	);
	await expect(visitor.locator('.badge.verdict-approved')).toHaveCount(0);
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
	expect(new Set(roof.map((r) => r.at(-1)))).toEqual(new Set(['参与不足，结果不成立']));
	await visitor.goto(`/rounds/${roundId}/notice`);
	await expect(visitor.getByRole('img', { name: /二维码/ })).toBeVisible();
	await expectAccessible(visitor, 'notice');
	await visitor.goto(`/en/rounds/${roundId}/results`);
	await expect(visitor.getByRole('heading', { level: 1 })).toContainText('results');
	await expectAccessible(visitor, 'results (en)');
});

/**
 * Double entry of paper forms (双人录入) in a special decision on the property-management model:
 * a committee member enters two households' forms; another member enters them again without
 * seeing the first entries — one matches and counts, the other differs and is reviewed against
 * the photo; coverage follows only once a form counts; two households choosing a model are too
 * few for a result, and the published result says so.
 */
test('paper forms entered twice: a blind second entry, a difference reviewed, too few for a result', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.setTimeout(120_000);
	const staff = page;
	await signInStaff(staff, 'meiling');
	await staff.goto('/staff/rounds');
	await staff.getByLabel('项目').selectOption({ label: '杜鹃新村老旧小区改造' });
	await staff.getByRole('button', { name: '新建一轮' }).click();
	await staff.getByRole('link', { name: '从“物业管理模式选择”模板开始' }).click();
	await expect(staff.getByLabel('选项', { exact: true })).toHaveValue(/社区托管/);
	await staff.getByLabel('标题', { exact: true }).fill(`物业管理模式选择（${info.project.name}）`);
	await staff.getByLabel('开始时间（北京时间）').fill(local(Date.now() - 120_000));
	await staff.getByLabel(/纸质意见双人录入/).check();
	await expectAccessible(staff, 'new round from the template');
	await staff.getByRole('button', { name: '创建' }).click();
	await expect(staff).toHaveURL(/\/staff\/rounds\/\d+\?created=1$/);
	const roundId = /\/staff\/rounds\/(\d+)/.exec(staff.url())![1]!;
	await expect(staff.getByText('本轮纸质意见实行双人录入', { exact: false }).first()).toBeVisible();
	await staff.getByRole('button', { name: '启动本轮' }).click();
	await expect(staff.getByRole('status')).toContainText('本轮已启动：范围内');

	const photo = await sharp({
		create: { width: 640, height: 480, channels: 3, background: { r: 250, g: 246, b: 236 } },
	})
		.jpeg()
		.toBuffer();
	await staff.goto(`/staff/rounds/${roundId}/paper`);
	const households = (await roomLinks(staff)).map((h) => h.value);
	const [matching, differing] = [households[0]!, households[1]!];
	// Both members type the time written on the paper form (the field's default is the time of
	// entry, which differs when the two entries fall in different minutes).
	const writtenOnForm = local(Date.now() - 60_000);
	const enter = async (who: Page, household: string, option: string, first: boolean) => {
		await who.goto(`/staff/rounds/${roundId}/paper?household=${household}`);
		await who.getByLabel(option, { exact: true }).check();
		await who.getByLabel('住户填写时间（北京时间）').fill(writtenOnForm);
		if (first) {
			await who.getByLabel('签字表决单照片').setInputFiles({
				name: 'form.jpg',
				mimeType: 'image/jpeg',
				buffer: photo,
			});
		}
		await who.getByRole('button', { name: first ? '保存纸质意见' : '保存复核录入' }).click();
	};

	// First entries: they await a second member and count nowhere.
	await enter(staff, matching, '居民自治', true);
	await expect(staff.getByRole('status')).toContainText('等待另一位工作人员再录入一次复核');
	await enter(staff, differing, '居民自治', true);
	await expect(staff.getByRole('status')).toContainText('复核一致前不计入');
	await staff.goto(`/staff/rounds/${roundId}/paper?household=${matching}`);
	await expect(staff.getByText('须由另一位工作人员再录入一次复核')).toBeVisible();
	await expect(staff.getByRole('button', { name: /保存/ })).toHaveCount(0);
	await expectAccessible(staff, 'paper entry awaiting confirmation');
	await staff.goto(`/staff/rounds/${roundId}`);
	await expect(staff.getByText('已回复 0 户 / 共')).toBeVisible();
	await expect(staff.locator('.entry-review')).toHaveCount(2);

	// The second member enters both forms again, blind.
	const second = await phone(browser, baseURL!);
	await signInStaff(second, 'admin');
	await second.goto(`/staff/rounds/${roundId}/paper?household=${matching}`);
	await expect(second.getByText('请不要参考第一次录入')).toBeVisible();
	await expect(second.getByLabel('居民自治', { exact: true })).not.toBeChecked();
	await expectAccessible(second, 'second entry');
	await enter(second, matching, '居民自治', false);
	await expect(second.getByRole('status')).toContainText('两次录入一致，纸质意见已计入');
	await enter(second, differing, '社区托管', false);
	await expect(second.getByRole('status')).toContainText('两次录入不一致');

	// The difference is reviewed: the second member counts the first member's entry.
	await second.goto(`/staff/rounds/${roundId}#entries`);
	const review = second.locator('.entry-review');
	await expect(review).toHaveCount(1);
	await expect(review.locator('.entry')).toHaveCount(2);
	await expect(review.locator('.entry').nth(0)).toContainText('居民自治');
	await expect(review.locator('.entry').nth(1)).toContainText('社区托管');
	await expect(review.locator('.entry').nth(1)).toContainText('这份是您录入的');
	await expect(review.getByRole('link', { name: '查看表单照片' }).first()).toBeVisible();
	await expectAccessible(second, 'entries to review');
	await second.screenshot({
		path: `tests/.output/ballots-double-entry-review-${info.project.name}.png`,
		fullPage: true,
	});
	await review.locator('.entry').nth(0).getByRole('button', { name: '以这份为准并计入' }).click();
	await expect(second.getByRole('status')).toHaveText('已处理这份纸质意见。');
	await expect(second.locator('.entry-review')).toHaveCount(0);
	await expect(second.getByText('已回复 2 户 / 共')).toBeVisible();

	// The public sees the coverage by compound, building and unit.
	const visitor = await phone(browser, baseURL!);
	await visitor.goto(`/rounds/${roundId}`);
	await expect(visitor.getByText('已回复 2 户 / 共')).toBeVisible();
	await expect(visitor.locator('details.coverage > summary', { hasText: '按单元' })).toBeVisible();
	await expectAccessible(visitor, 'round page with unit coverage');
	await staff.goto(`/staff/rounds/${roundId}/visits`);
	await expect(staff.locator('.visit-group').first()).toBeVisible();
	await expectAccessible(staff, 'visit list by building and unit');

	// Close, publish: the question's result with its chart.
	await closeAndPublish(staff, roundId);
	await visitor.goto(`/rounds/${roundId}/results`);
	const result = visitor.locator('.question-result');
	await expect(result).toContainText('改造完成后，本小区采用哪种物业管理模式？');
	await expect(result).toContainText('参与不足，结果不成立');
	await expect(result).not.toContainText('选定');
	await expect(result.locator('.option-bars svg').first()).toBeAttached();
	await expect(result.locator('.option-bars li')).not.toHaveCount(0);
	await expectAccessible(visitor, 'question results');
	await visitor.screenshot({
		path: `tests/.output/ballots-question-results-${info.project.name}.png`,
		fullPage: true,
	});
	const json = await (await visitor.request.get(`/rounds/${roundId}/results.json`)).json();
	expect(json.results.questions[0].options.map((o: { title: string }) => o.title)).toEqual([
		'物业服务企业',
		'居民自治',
		'社区托管',
	]);
});
