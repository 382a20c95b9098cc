import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * A satisfaction survey from the builder to the district dashboard: staff build a survey from
 * the post-completion template and publish it; a household answers on a phone in large-text
 * mode, changes an answer, and can no longer answer after close; staff enter paper forms,
 * close and publish; the public results page and the dashboard show the figures, checked
 * against counts computed here from the answers given.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

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

async function issueCode(staff: Page, baseURL: string, householdId: string): Promise<string> {
	const response = await staff.request.post(
		'/staff/households/slips?_action=households.issueCodes',
		{
			form: { householdId, relation: 'owner', maxMembers: '5' },
			headers: { origin: new URL(baseURL).origin },
		},
	);
	return /data-bind-url="[^"]*code=([A-Z0-9]+)"/.exec(await response.text())![1]!;
}

const percent = (num: number, den: number) =>
	`${(Math.floor((2 * num * 1000 + den) / (2 * den)) / 10).toFixed(1)}%`;

test('a survey from the builder to published results and the dashboard', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.setTimeout(180_000);
	const staff = page;
	await signInStaff(staff, 'admin');
	await staff.getByRole('link', { name: '满意度调查' }).click();
	await expectAccessible(staff, 'staff surveys');
	await staff
		.getByLabel('项目', { exact: true })
		.selectOption({ label: '白沙电厂宿舍、富兴堡二村连片改造 (长效管理)' });
	const title = `白沙富兴堡改造后满意度调查（${info.project.name}）`;
	await staff.getByLabel('标题', { exact: true }).fill(title);
	await staff.getByRole('button', { name: '创建草稿' }).click();
	await expect(staff).toHaveURL(/\/staff\/surveys\/\d+$/);
	const surveyId = /\/staff\/surveys\/(\d+)/.exec(staff.url())![1]!;
	await expect(staff.locator('.builder-questions > li')).toHaveCount(3);
	// The builder: a multiple choice question with limits, moved up one place.
	await staff.getByLabel('题型').selectOption('multiple');
	await staff.getByLabel('题目', { exact: true }).fill('改造后您最满意哪些方面？');
	await staff.getByLabel(/^选项/).fill('楼道 | Stairwells\n管网 | Pipes\n停车 | Parking');
	await staff.getByLabel('多选：最多选几项（可选）').fill('2');
	await staff.getByLabel('所在分组').selectOption({ label: '总体评价' });
	await expectAccessible(staff, 'builder');
	await staff.getByRole('button', { name: '添加题目' }).click();
	await expect(staff.locator('.builder-questions > li')).toHaveCount(4);
	await staff
		.locator('.builder-questions > li')
		.nth(3)
		.getByRole('button', { name: '上移' })
		.click();
	await expect(staff.getByRole('status')).toHaveText('顺序已更新。');
	await expect(staff.locator('.builder-questions > li').nth(2)).toContainText('最满意哪些方面');

	// Sections: add one, rename one, move a question into it, reorder, remove the empty one.
	const addSection = staff.locator('form', {
		has: staff.getByRole('button', { name: '添加分组' }),
	});
	await addSection.getByLabel('分组标题', { exact: true }).fill('补充问题');
	await addSection.getByRole('button', { name: '添加分组' }).click();
	const sections = staff.locator('.builder-section h3');
	await expect(sections).toHaveText(['改造项目满意度', '总体评价', '补充问题']);
	await staff.getByText('编辑分组“改造项目满意度”').click();
	const items = staff.locator('.builder-section').first();
	await items.getByLabel('分组标题', { exact: true }).fill('各项改造');
	await items.getByRole('button', { name: '保存分组' }).click();
	await expect(staff.getByRole('status')).toHaveText('分组已保存。');
	await expect(sections).toHaveText(['各项改造', '总体评价', '补充问题']);
	const multiple = staff.locator('.builder-questions > li', { hasText: '最满意哪些方面' });
	await multiple.getByLabel('第 3 题移到').selectOption({ label: '补充问题' });
	await multiple.getByRole('button', { name: '移动' }).click();
	await expect(staff.locator('[data-section] li', { hasText: '最满意哪些方面' })).toHaveCount(1);
	await expect(
		staff.locator('.builder-section').nth(2).locator('.builder-questions > li'),
	).toContainText(['最满意哪些方面']);
	await staff.locator('.builder-section').nth(2).getByRole('button', { name: '分组上移' }).click();
	await expect(sections).toHaveText(['各项改造', '补充问题', '总体评价']);
	await staff.getByText('编辑分组“各项改造”').click();
	await staff.locator('.builder-section').first().getByRole('button', { name: '删除分组' }).click();
	await expect(staff.getByRole('status')).toContainText('分组已删除');
	await expect(sections).toHaveText(['补充问题', '总体评价']);
	await expect(staff.locator('.builder-questions > li')).toHaveCount(4);
	await expectAccessible(staff, 'builder after section edits');
	await staff.getByRole('link', { name: /预览/ }).click();
	await expect(staff.getByRole('group', { name: /总体满意度/ })).toBeVisible();
	await expectAccessible(staff, 'preview');
	await staff.goto(`/staff/surveys/${surveyId}`);
	await staff.getByRole('button', { name: '发布问卷' }).click();
	await expect(staff.getByRole('status')).toContainText('问卷已发布');
	await expect(staff.getByText('问卷已发布，题目')).toBeVisible();

	// Households in scope; the paper page opens the first unit's rooms (building → unit → room).
	const figure = await staff.locator('[data-figure="responded"]').textContent();
	const households = Number(/0 \/ (\d+) 户已作答/.exec(figure ?? '')![1]);
	expect(households).toBeGreaterThan(10);
	await staff.goto(`/staff/surveys/${surveyId}/paper`);
	const options = await staff
		.locator('a[href*="household="]')
		.evaluateAll((els) =>
			els.map((el) => /household=(\d+)/.exec((el as HTMLAnchorElement).href)![1]!),
		);
	expect(options.length).toBeGreaterThan(6);
	await expectAccessible(staff, 'paper page');

	// A household answers on a phone, in large-text mode.
	const resident = await phone(browser, baseURL!);
	const code = await issueCode(staff, baseURL!, options[0]!);
	await signInResident(resident, testPhone(info.project.name, 7));
	await resident.goto(`/bind?code=${code}`);
	await resident.getByRole('button', { name: '绑定' }).click();
	await expect(resident).toHaveURL(/\/account\?bound=1$/);
	await resident.goto(`/surveys/${surveyId}`);
	await resident.getByRole('button', { name: '大字模式' }).click();
	await expect(resident.locator('html')).toHaveClass(/large-text/);
	expect(
		await resident.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)),
	).toBeGreaterThanOrEqual(20);
	await expectAccessible(resident, 'survey page (large text)');
	await resident.getByRole('link', { name: /去作答/ }).click();
	await expectAccessible(resident, 'answer form');
	// Rating pills form an even scale (one width, one left edge) and each legend sits inside its
	// box (issue 19).
	const layout = await resident.evaluate(() =>
		[...document.querySelectorAll('.rating-scale')].map((scale) => {
			const pills = [...scale.querySelectorAll('.choice')].map((el) => el.getBoundingClientRect());
			const box = scale.closest('fieldset')!.getBoundingClientRect();
			const legend = scale.closest('fieldset')!.querySelector('legend')!.getBoundingClientRect();
			return {
				widths: new Set(pills.map((r) => Math.round(r.width))).size,
				lefts: new Set(pills.map((r) => Math.round(r.left))).size,
				legendInside: legend.top >= box.top && legend.left >= box.left && legend.right <= box.right,
			};
		}),
	);
	expect(layout.length).toBeGreaterThan(0);
	expect(layout).toEqual(layout.map(() => ({ widths: 1, lefts: 1, legendInside: true })));
	await resident.screenshot({ path: '/work/shots/survey-form-large.png', fullPage: true });
	const overall = resident.getByRole('group', { name: /总体满意度/ });
	await overall.getByLabel('2 · 不满意').check();
	await resident.getByLabel('楼道').check();
	// The recommendation is required: without JavaScript's help the server says so and keeps answers.
	await resident.evaluate(() =>
		document.querySelectorAll('[required]').forEach((el) => el.removeAttribute('required')),
	);
	await resident.getByRole('button', { name: '提交回答' }).click();
	await expect(resident.getByRole('alert')).toContainText('道题需要修改');
	await expect(
		resident.getByRole('group', { name: /总体满意度/ }).getByLabel('2 · 不满意'),
	).toBeChecked();
	await expect(resident.getByLabel('楼道')).toBeChecked();
	await expectAccessible(resident, 'answer form with errors');
	await resident.getByRole('group', { name: /推荐/ }).getByLabel('会推荐', { exact: true }).check();
	await resident.getByRole('button', { name: '提交回答' }).click();
	await expect(resident.getByRole('status')).toContainText('第 1 次');
	// Changes the answer: satisfied after all.
	await resident
		.getByRole('group', { name: /总体满意度/ })
		.getByLabel('4 · 满意')
		.check();
	await resident.getByRole('button', { name: '保存修改' }).click();
	await expect(resident.getByRole('status')).toContainText('第 2 次');
	await expect(
		resident.getByRole('group', { name: /总体满意度/ }).getByLabel('4 · 满意'),
	).toBeChecked();

	// Staff enter five paper forms (overall ratings below) with a photo each.
	const photo = await sharp({
		create: { width: 400, height: 300, channels: 3, background: { r: 250, g: 248, b: 240 } },
	})
		.jpeg()
		.toBuffer();
	const paperRatings = [5, 5, 3, 2, 4];
	const labels: Record<number, string> = {
		1: '非常不满意',
		2: '不满意',
		3: '一般',
		4: '满意',
		5: '非常满意',
	};
	for (const [n, rating] of paperRatings.entries()) {
		await staff.goto(`/staff/surveys/${surveyId}/paper?household=${options[n + 1]}`);
		await staff
			.getByRole('group', { name: /总体满意度/ })
			.getByLabel(`${rating} · ${labels[rating]}`)
			.check();
		await staff.getByRole('group', { name: /推荐/ }).getByLabel('说不准').check();
		await staff
			.getByLabel('纸质问卷照片')
			.setInputFiles({ name: 'form.jpg', mimeType: 'image/jpeg', buffer: photo });
		if (n === 0) await expectAccessible(staff, 'paper form');
		await staff.getByRole('button', { name: '提交回答' }).click();
		await expect(staff.getByRole('status')).toContainText('的纸质问卷。');
	}
	await staff.goto(`/staff/surveys/${surveyId}`);
	await expect(staff.locator('[data-figure="responded"]')).toHaveText(`6 / ${households} 户已作答`);
	await expectAccessible(staff, 'staff survey (open)');

	// Close through the confirmation page (6 households are below target: a reason is
	// required): the household can no longer answer; the page no longer says it is published.
	await staff.getByRole('link', { name: '立即截止' }).click();
	await expect(staff.getByText(/目前 \d+ 户中已有 6 户作答/)).toBeVisible();
	await expectAccessible(staff, 'survey close confirmation');
	await staff.getByLabel('提前截止的原因（必填，将公开）').fill('入户已完成，议事会同意提前截止');
	await staff.getByLabel('我已核对参与情况，确认立即截止本问卷。').check();
	await staff.getByRole('button', { name: '确认立即截止' }).click();
	await expect(staff.getByRole('status')).toContainText('户中 6 户作答');
	await expect(staff.getByText('问卷已截止，不再收取答卷', { exact: false })).toBeVisible();
	await expect(staff.getByText('问卷已发布', { exact: false })).toHaveCount(0);
	await resident.reload();
	await expect(resident.getByRole('button', { name: /提交|保存/ })).toHaveCount(0);
	await expect(resident.getByText('问卷已经截止')).toBeVisible();
	await expectAccessible(resident, 'answer page (closed)');

	// Publish, then check the public figures against counts computed from the answers given.
	await staff.getByRole('link', { name: '公布结果' }).click();
	await expect(staff.getByText('关注本项目的居民会收到站内通知。')).toBeVisible();
	await staff.getByLabel('我已核对结果，确认公开第 1 版。').check();
	await staff.getByRole('button', { name: '公布结果' }).click();
	await expect(staff.getByRole('status')).toContainText('第 1 版结果已公布');
	const ratings = [4, ...paperRatings];
	const satisfied = ratings.filter((r) => r >= 4).length;
	const rate = percent(satisfied, ratings.length);
	const mean = (
		Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100
	).toFixed(2);
	const visitor = await phone(browser, baseURL!);
	await visitor.goto(`/surveys/${surveyId}/results`);
	await expect(visitor.locator('[data-figure="participation"]')).toContainText(
		`范围内 ${households} 户，6 户作答，参与率 ${percent(6, households)}`,
	);
	await expect(visitor.locator('[data-figure="satisfaction"]')).toContainText(`满意率 ${rate}`);
	await expect(visitor.locator('[data-figure="satisfaction"]')).toContainText(`平均分 ${mean}`);
	await expect(visitor.getByText('第 1 版，公布于')).toBeVisible();
	await expect(visitor.getByText('少于 5 份回答，不予显示。').first()).toBeVisible(); // the 1-answer multiple choice
	await expectAccessible(visitor, 'results');
	// By building: one folded card each; the compound filter is a GET form (issue 19).
	await expect(
		visitor.locator('.building-cards li', { hasText: '白沙电厂宿舍' }).first(),
	).toBeVisible();
	await visitor.getByLabel('查看小区').selectOption({ label: '富兴堡二村' });
	await visitor.getByRole('button', { name: '查看', exact: true }).click();
	await expect(visitor).toHaveURL(/[?&]compound=\d+/);
	await expect(visitor.getByText('正在查看：富兴堡二村')).toBeVisible();
	await expect(visitor.locator('.building-cards li').first()).toContainText('富兴堡二村');
	await expect(visitor.locator('.building-cards li', { hasText: '白沙电厂宿舍' })).toHaveCount(0);
	const csv = await visitor.request.get(`/surveys/${surveyId}/results.csv`);
	const bytes = await csv.body();
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3))).toContain(
		`满意率,${rate}`,
	);
	const xlsx = await visitor.request.get(`/surveys/${surveyId}/results.xlsx`);
	expect([...(await xlsx.body()).subarray(0, 2)]).toEqual([0x50, 0x4b]);

	// A correction is a new version; the history shows both.
	await staff.getByRole('link', { name: '发布更正版本' }).click();
	await expect(staff.getByText('原版本继续公开，更正版本和更正说明一并公开。')).toBeVisible();
	await staff.getByLabel('更正说明（必填）').fill('补充说明：纸质问卷已核对');
	await staff.getByLabel('我已核对结果，确认公开第 2 版。').check();
	await staff.getByRole('button', { name: '发布更正版本' }).click();
	await expect(staff.getByRole('status')).toContainText('第 2 版结果已公布');
	await visitor.reload();
	await expect(visitor.getByText('更正说明：补充说明：纸质问卷已核对')).toBeVisible();
	await expect(visitor.locator('.history li')).toHaveCount(2);

	await visitor.goto('/dashboard');
	const row = visitor.locator('li[data-project="baisha-fuxing"]');
	await expect(row.locator('[data-figure="satisfaction"]')).toHaveText(rate);
	await expect(row.locator('[data-figure="participation"]')).toHaveText(percent(6, households));
	await expect(row.locator('[data-figure="households"]')).toHaveText(String(households));
	await expectAccessible(visitor, 'dashboard');
	await visitor.getByRole('link', { name: '按参与率排序' }).click();
	await expect(visitor).toHaveURL(/sort=participation/);
	await visitor.goto('/en/dashboard?year=1999');
	await expect(visitor.getByText('No published results match.')).toBeVisible();
	await expectAccessible(visitor, 'dashboard (en, empty)');
});

test('a named survey: the committee reads each household’s answers; an anonymous one refuses', async ({
	browser,
	baseURL,
	page,
}, info) => {
	test.setTimeout(120_000);
	const staff = page;
	await signInStaff(staff, 'admin');
	await staff.goto('/staff/surveys');
	await staff
		.getByLabel('项目', { exact: true })
		.selectOption({ label: '白沙电厂宿舍、富兴堡二村连片改造 (长效管理)' });
	await staff.getByLabel('标题', { exact: true }).fill(`实名回访调查（${info.project.name}）`);
	await staff.getByLabel('匿名设置（发布后不能更改）').selectOption('false');
	await staff.getByRole('button', { name: '创建草稿' }).click();
	await expect(staff).toHaveURL(/\/staff\/surveys\/\d+$/);
	const surveyId = /\/staff\/surveys\/(\d+)/.exec(staff.url())![1]!;
	await staff.getByRole('button', { name: '发布问卷' }).click();
	await expect(staff.getByRole('status')).toContainText('问卷已发布');

	await staff.goto(`/staff/surveys/${surveyId}/paper`);
	const householdId = /household=(\d+)/.exec(
		(await staff.locator('a[href*="household="]').nth(5).getAttribute('href'))!,
	)![1]!;
	await staff.goto(`/staff/surveys/${surveyId}/paper?household=${householdId}`);
	const address = (await staff
		.getByRole('heading', { level: 2, name: /号楼\d+单元\d+室/ })
		.textContent())!.trim();
	const resident = await phone(browser, baseURL!);
	const code = await issueCode(staff, baseURL!, householdId!);
	await signInResident(resident, testPhone(info.project.name, 8));
	await resident.goto(`/bind?code=${code}`);
	await resident.getByRole('button', { name: '绑定' }).click();
	await expect(resident).toHaveURL(/\/account\?bound=1$/);
	await resident.goto(`/surveys/${surveyId}/answer/${householdId}`);
	await expect(resident.getByText('本调查为实名调查')).toBeVisible();
	await resident
		.getByRole('group', { name: /总体满意度/ })
		.getByLabel('4 · 满意')
		.check();
	await resident.getByRole('group', { name: /推荐/ }).getByLabel('会推荐', { exact: true }).check();
	await resident.getByLabel(/建议/).fill('希望楼道灯早点修好');
	await resident.getByRole('button', { name: '提交回答' }).click();
	await expect(resident.getByRole('status')).toContainText('第 1 次');

	// The committee: the link, the household, who answered, and every answer.
	await staff.goto(`/staff/surveys/${surveyId}`);
	await staff.getByRole('link', { name: '查看各户回答（实名调查）' }).click();
	await expect(staff).toHaveURL(new RegExp(`/staff/surveys/${surveyId}/answers$`));
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText('各户回答（实名调查）');
	const entry = staff.locator(`li[data-household="${householdId}"]`);
	await expect(entry.getByRole('heading', { level: 2 })).toContainText(
		/\d+号楼\d+单元\S+室/.exec(address)![0],
	);
	await expect(entry).toContainText('产权人（业主） · 网上');
	await expect(entry).toContainText('4 · 满意');
	await expect(entry).toContainText('会推荐');
	await expect(entry).toContainText('希望楼道灯早点修好');
	await expectAccessible(staff, 'named answers');
	const csv = await staff.request.get(`/staff/surveys/${surveyId}/answers.csv`);
	const bytes = await csv.body();
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(new TextDecoder().decode(bytes.subarray(3))).toContain('希望楼道灯早点修好');
	await staff.goto(`/en/staff/surveys/${surveyId}/answers`);
	await expect(entry).toContainText('4 · Satisfied');
	await expectAccessible(staff, 'named answers (en)');

	// An anonymous survey (the demo's published one) refuses, with the reason.
	await staff.goto('/staff/surveys');
	await staff.getByRole('link', { name: '城关新苑改造后满意度调查' }).click();
	const anonymousId = /\/staff\/surveys\/(\d+)/.exec(staff.url())![1]!;
	await expect(staff.getByRole('link', { name: '查看各户回答（实名调查）' })).toHaveCount(0);
	const refused = await staff.goto(`/staff/surveys/${anonymousId}/answers`);
	expect(refused!.status()).toBe(403);
	await expect(staff.getByText('匿名问卷不显示任何一户的回答。')).toBeVisible();
	await expectAccessible(staff, 'named answers refused');
	const csvRefused = await staff.request.get(`/staff/surveys/${anonymousId}/answers.csv`);
	expect(csvRefused.status()).toBe(403);
});
