import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signInResident, testPhone } from './fixtures.ts';

const PLAN = '/p/chonggui/v/1';
const bait = '<script>alert("gj")</script><img src=x onerror=alert(1)>';

async function resident(browser: Browser, baseURL: string, phone: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 360, height: 740 },
		hasTouch: true,
		isMobile: true,
		locale: 'zh-CN',
	});
	const page = await context.newPage();
	page.on('dialog', () => {
		throw new Error('a dialog opened: injected script ran');
	});
	await signInResident(page, phone);
	return page;
}

test('residents comment, reply, say "me too" and report on an open plan', async ({
	browser,
	baseURL,
}, info) => {
	test.skip(info.project.name !== 'phone', 'one journey on the phone profile');
	const a = await resident(browser, baseURL!, testPhone(info.project.name, 1));
	await a.goto(PLAN);
	const section = a.locator('#opinions');
	await expect(section.getByRole('heading', { name: '居民意见' })).toBeVisible();
	await expectAccessible(a, 'plan page with the composer');
	await section.getByLabel('反对').check();
	await section.getByLabel('意见内容').fill(`充电棚太少。${bait}`);
	await section.getByRole('button', { name: '提交意见' }).click();
	await expect(a).toHaveURL(/#opinions$/);
	const mine = section.locator('article.opinion').first();
	await expect(mine.locator('.opinion-body')).toHaveText(`充电棚太少。${bait}`);
	await expect(mine.locator('.opinion-author')).toHaveText('居民');
	// The same text again: refused, and the form keeps what was typed.
	await section.getByLabel('支持').check();
	await section.getByLabel('意见内容').fill(`充电棚太少。${bait}`);
	await section.getByRole('button', { name: '提交意见' }).click();
	await expect(section.getByRole('alert')).toHaveText('您已经就这个方案提交过相同的内容。');
	await expect(section.getByLabel('意见内容')).toHaveValue(`充电棚太少。${bait}`);
	await expect(section.getByLabel('支持')).toBeChecked();
	await a.locator('#opinions').screenshot({ path: '/tmp/gj-opinions-error.png' });

	const b = await resident(browser, baseURL!, testPhone(info.project.name, 2));
	await b.goto(PLAN);
	const first = b.locator('#opinions article.opinion').first();
	await first.getByRole('button', { name: /我也这么想/ }).click();
	await expect(
		b
			.locator('#opinions article.opinion')
			.first()
			.getByRole('button', { name: /我也这么想/ }),
	).toHaveAttribute('aria-pressed', 'true');
	await expect(b.locator('#opinions article.opinion').first().locator('.me-too-count')).toHaveText(
		'1',
	);
	await b.locator('#opinions article.opinion').first().getByText('回复', { exact: true }).click();
	await b
		.locator('#opinions article.opinion')
		.first()
		.getByLabel('回复内容')
		.fill('同意，4 号楼也需要。');
	await b
		.locator('#opinions article.opinion')
		.first()
		.getByRole('button', { name: '提交回复' })
		.click();
	await expect(b).toHaveURL(/#opinion-\d+$/);
	// The demo's own opinions have replies too: this one's is under the first opinion.
	await expect(
		b.locator('#opinions article.opinion').first().locator('.opinion-replies .opinion-body'),
	).toHaveText('同意，4 号楼也需要。');
	await b
		.locator('#opinions article.opinion')
		.first()
		.getByText('举报', { exact: true })
		.first()
		.click();
	await b
		.locator('#opinions article.opinion')
		.first()
		.getByLabel('举报原因')
		.first()
		.selectOption('off_topic');
	await b
		.locator('#opinions article.opinion')
		.first()
		.getByRole('button', { name: '提交举报' })
		.first()
		.click();
	await expect(
		b.locator('#opinions article.opinion').first().getByText('您已举报这条意见'),
	).toBeVisible();
	await b.getByRole('link', { name: '赞同最多' }).click();
	await expect(b.getByRole('link', { name: '赞同最多' })).toHaveAttribute('aria-current', 'true');
	await expectAccessible(b, 'plan page with opinions');
	const small = await b.$$eval(
		'#opinions :is(a, button, summary, select, input[type=radio] + *)',
		(els) =>
			els
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
				.map(({ el, r }) => `${el.tagName} ${el.textContent?.trim()} ${r.width}x${r.height}`),
	);
	expect(small).toEqual([]);
	await b.locator('#opinions').screenshot({ path: '/tmp/gj-opinions-zh.png' });
	await b.goto(`/en${PLAN}`);
	await expect(b.getByRole('heading', { name: 'Residents’ opinions' })).toBeVisible();
	await expectAccessible(b, 'English plan page');
	await b.locator('#opinions').screenshot({ path: '/tmp/gj-opinions-en.png' });

	// Pre-moderated project: awaiting review, seen by its author only.
	await a.goto('/p/dujuan/v/2');
	await a.locator('#opinions').getByLabel('中立').check();
	await a.locator('#opinions').getByLabel('意见内容').fill('希望增加休息座椅。');
	await a.locator('#opinions').getByRole('button', { name: '提交意见' }).click();
	await expect(a.locator('#opinions .opinion-pending')).toHaveText('待审核：目前只有您自己能看到');
	await b.goto('/p/dujuan/v/2');
	await expect(b.locator('#opinions')).not.toContainText('希望增加休息座椅。');
	// A superseded version: no form at all.
	await b.goto('/p/dujuan/v/1');
	await expect(b.locator('#opinions textarea')).toHaveCount(0);
	await expect(b.locator('#opinions .notice')).toContainText('截止');
	await b.locator('#opinions').screenshot({ path: '/tmp/gj-opinions-closed.png' });
});
