import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signInResident, signInStaff, testPhone } from './fixtures.ts';

/**
 * Moderation and official answers on phones: a resident posts in a pre-moderated project and
 * sees "awaiting review"; the committee of that community approves it; a committee of another
 * community gets a 404 for the same item and changes nothing; the committee answers "not
 * adopted" with a reason, which the public "you said, we did" page shows; three residents report
 * the opinion and it disappears from the plan page.
 */
const PLAN = '/p/dujuan/v/2';

async function phone(browser: Browser, baseURL: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		locale: 'zh-CN',
	});
	const page = await context.newPage();
	page.on('dialog', () => {
		throw new Error('a dialog opened: injected script ran');
	});
	return page;
}

async function resident(browser: Browser, baseURL: string, phoneNumber: string): Promise<Page> {
	const page = await phone(browser, baseURL);
	await signInResident(page, phoneNumber);
	return page;
}

test('pre-moderation, scopes, an answer on the you-said-we-did page, and reports', async ({
	browser,
	baseURL,
}, info) => {
	test.skip(info.project.name !== 'phone', 'one journey on the phone profile');
	test.setTimeout(180_000);
	const text = `希望在杜鹃新村增设休息座椅 ${Date.now()} <b>请</b>`;

	// A resident posts in a pre-moderated project and sees "awaiting review".
	const author = await resident(browser, baseURL!, testPhone(info.project.name, 1));
	await author.goto(PLAN);
	const section = author.locator('#opinions');
	await section.getByLabel('中立').check();
	await section.getByLabel('意见内容').fill(text);
	await section.getByRole('button', { name: '提交意见' }).click();
	const mine = section.locator('article.opinion', { hasText: text });
	await expect(mine.locator('.opinion-pending')).toHaveText('待审核：目前只有您自己能看到');
	await expectAccessible(author, 'plan page with a pending opinion');

	// The committee of 梅岭社区 finds it in its queue and approves it, on a phone.
	const meiling = await phone(browser, baseURL!);
	await signInStaff(meiling, 'meiling');
	await meiling.getByRole('link', { name: '意见审核与答复' }).click();
	await expect(meiling.getByRole('heading', { name: '意见审核', level: 1 })).toBeVisible();
	const card = meiling.locator('li.queue-item', { hasText: text });
	await expect(card.getByText('先审后发')).toBeVisible();
	await expectAccessible(meiling, 'moderation queue');
	await card.getByRole('link', { name: /处理意见/ }).click();
	await expect(meiling).toHaveURL(/\/staff\/moderation\/\d+$/);
	const itemPath = new URL(meiling.url()).pathname;
	const opinionId = /(\d+)$/.exec(itemPath)![1]!;
	await expectAccessible(meiling, 'moderation item');
	await meiling.getByRole('button', { name: '通过', exact: true }).click();
	await expect(meiling.getByRole('status')).toHaveText('已处理。');
	await expect(meiling.getByText('当前状态：已公开')).toBeVisible();

	// A moderator of 江滨社区: the same item does not exist for them, and they change nothing.
	const jiangbin = await phone(browser, baseURL!);
	await signInStaff(jiangbin, 'jiangbin');
	const foreign = await jiangbin.goto(itemPath);
	expect(foreign?.status()).toBe(404);
	await expect(jiangbin.locator('main')).not.toContainText(text);
	await expectAccessible(jiangbin, '404 for another community');
	const attempt = await jiangbin.request.post(`${itemPath}?_action=moderation.moderate`, {
		form: { opinionId, op: 'hide', reason: '越权测试' },
		headers: { origin: new URL(baseURL!).origin },
	});
	expect([403, 404]).toContain(attempt.status());
	const direct = await jiangbin.request.post('/_actions/moderation.answer', {
		form: { opinionId, disposition: 'adopted', body: '越权答复' },
		headers: { origin: new URL(baseURL!).origin },
	});
	expect([403, 404]).toContain(direct.status());
	await jiangbin.goto('/staff/moderation');
	await expect(jiangbin.locator('main')).not.toContainText(text);

	// Everyone sees it now.
	const visitor = await phone(browser, baseURL!);
	await visitor.goto(PLAN);
	await expect(visitor.locator('#opinions')).toContainText(text);

	// The committee answers "not adopted" with the reason; it shows under the opinion and on
	// the "you said, we did" page.
	await meiling.goto(itemPath);
	await meiling.getByLabel('不予采纳').check();
	await meiling.getByRole('button', { name: '发布答复' }).click();
	await expect(meiling.getByRole('alert')).toContainText('请检查');
	await expect(meiling.locator('#answer-body-error')).toHaveText('不予采纳时必须说明理由。');
	const reason = '座椅位置在消防通道上，改为在北侧绿地增设。';
	await meiling.getByLabel('不予采纳').check();
	await meiling.getByLabel('答复内容').fill(reason);
	await meiling.getByRole('button', { name: '发布答复' }).click();
	await expect(meiling.getByRole('status')).toHaveText('答复已发布。');
	await expect(meiling.getByText('第 1 版 ·')).toBeVisible();
	await visitor.goto(PLAN);
	const answered = visitor.locator('#opinions article.opinion', { hasText: text });
	await expect(answered.locator('.opinion-answer')).toContainText('不予采纳');
	await expect(answered.locator('.opinion-answer')).toContainText(reason);
	await visitor.goto(`${PLAN}/answers`);
	await expect(visitor.getByRole('heading', { name: '意见采纳情况', level: 1 })).toBeVisible();
	const notAdopted = visitor.locator('section', {
		has: visitor.getByRole('heading', { name: '不予采纳的意见及理由' }),
	});
	await expect(notAdopted).toContainText(text);
	await expect(notAdopted).toContainText(`理由：${reason}`);
	await expectAccessible(visitor, 'you said, we did');
	await visitor.emulateMedia({ media: 'print' });
	await expect(visitor.getByRole('link', { name: /返回方案第 2 版/ })).toBeHidden();
	await visitor.screenshot({ path: '/tmp/gj-answers-print.png', fullPage: true });
	await visitor.emulateMedia({ media: 'screen' });
	await visitor.goto(`/en${PLAN}/answers`);
	await expect(visitor.getByRole('heading', { name: 'You said, we did', level: 1 })).toBeVisible();
	await expectAccessible(visitor, 'you said, we did (English)');

	// Three residents report it: hidden pending review, gone from the plan page.
	for (const n of [2, 3, 4]) {
		const reporter = await resident(browser, baseURL!, testPhone(info.project.name, n));
		await reporter.goto(PLAN);
		const item = reporter.locator('#opinions article.opinion', { hasText: text });
		await item.getByText('举报', { exact: true }).click();
		await item.getByLabel('举报原因').selectOption('abusive');
		await item.getByRole('button', { name: '提交举报' }).click();
		if (n < 4) await expect(item.getByText('您已举报这条意见')).toBeVisible();
		await reporter.context().close();
	}
	await visitor.goto(PLAN);
	await expect(visitor.locator('#opinions')).not.toContainText(text);
	await author.goto(PLAN);
	await expect(author.locator('#opinions article.opinion', { hasText: text })).toContainText(
		'已暂时隐藏，等待社区审核',
	);
	await meiling.goto('/staff/moderation?reason=reports');
	await expect(meiling.locator('li.queue-item', { hasText: text })).toContainText('举报后暂时隐藏');
	await meiling.screenshot({ path: '/tmp/gj-moderation-queue.png', fullPage: true });
	await expectAccessible(meiling, 'queue with a held opinion');
	for (const path of ['/staff/moderation/unanswered', '/staff/moderation/blocks']) {
		await meiling.goto(path);
		await expectAccessible(meiling, path);
	}
	// An opinion heard at a residents' meeting, recorded for a household.
	await meiling.goto('/staff/moderation/offline');
	await meiling.getByLabel('方案版本').selectOption({ label: '杜鹃新村老旧小区改造 · 第 2 版' });
	await meiling.getByRole('button', { name: '选择' }).click();
	await meiling.getByLabel('收集渠道').selectOption('meeting');
	await meiling.getByLabel('反对').check();
	await meiling.getByLabel('意见内容').fill('夜谈会：停车位不够，反对占用绿地。');
	await expectAccessible(meiling, 'offline opinion form');
	await meiling.getByRole('button', { name: '录入意见' }).click();
	await expect(meiling.getByRole('status')).toContainText('已录入，意见已公开。');
	await visitor.goto(PLAN);
	await expect(
		visitor.locator('#opinions article.opinion', { hasText: '夜谈会：停车位不够' }),
	).toContainText('居民会议记录');

	// The district admin keeps the sensitive-word list; a match is held for review.
	const admin = await phone(browser, baseURL!);
	await signInStaff(admin, 'admin');
	await admin.goto('/staff/moderation/words');
	await admin.getByLabel('词语或模式').fill('骗 子');
	await admin.getByRole('button', { name: '添加' }).click();
	await expect(admin.getByRole('button', { name: '删除“骗 子”' })).toBeVisible();
	await expectAccessible(admin, 'sensitive words');
	await author.goto(PLAN);
	await author.locator('#opinions').getByLabel('反对').check();
	await author.locator('#opinions').getByLabel('意见内容').fill('施工队是ＰＩＡＮ骗．子');
	await author.locator('#opinions').getByRole('button', { name: '提交意见' }).click();
	await expect(
		author
			.locator('#opinions article.opinion', { hasText: '施工队是' })
			.locator('.opinion-pending'),
	).toHaveText('待审核：目前只有您自己能看到');
	await meiling.goto('/staff/moderation?reason=words');
	await expect(meiling.locator('li.queue-item', { hasText: '施工队是' })).toContainText(
		'命中：骗 子',
	);
});
