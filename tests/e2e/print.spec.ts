import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInStaff } from './fixtures.ts';

/**
 * Notices print well (issue 19): the plan notice renders its Markdown and fits one A4 page with
 * the committee's phone, address and office hours (set by the committee); an open round has a
 * call to take part; no printed notice carries the site header.
 */
test.skip(({ isMobile }) => !isMobile, 'the journey runs on the phone profile');

const SHOTS = '/work/shots';

/** Pages of the A4 PDF Chromium prints for the current page. */
async function pdfPages(page: Page): Promise<number> {
	await page.emulateMedia({ media: 'print' });
	const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
	await page.emulateMedia({ media: 'screen' });
	return (pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

async function expectNoHeaderInPrint(page: Page) {
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('header.site-header')).toBeHidden();
	await expect(page.locator('footer.site-footer')).toBeHidden();
	await page.emulateMedia({ media: 'screen' });
}

test('the plan notice renders Markdown, names the committee and fits one A4 page', async ({
	page,
}) => {
	await page.goto('/p/dujuan/v/2/notice');
	const notice = page.locator('article.public-notice');
	await expect(notice.locator('.notice-body li').first()).toBeVisible();
	await expect(notice).not.toContainText('- 分两期施工');
	await expect(notice).not.toContainText('**');
	await expect(notice.getByText(/^电话：0598-\d{8}$/)).toBeVisible();
	await expect(notice.getByText(/^地址：梅岭社区居委会/)).toBeVisible();
	await expect(notice.getByText(/^办公时间：周一至周五/)).toBeVisible();
	await expectAccessible(page, 'plan notice');
	await expectNoHeaderInPrint(page);
	expect(await pdfPages(page)).toBe(1);
	await page.emulateMedia({ media: 'print' });
	await page.screenshot({ path: `${SHOTS}/print-plan-notice-zh.png`, fullPage: true });
	await page.emulateMedia({ media: 'screen' });

	await page.goto('/en/p/dujuan/v/2/notice');
	await expect(page.getByText(/^Office hours: Mon–Fri/)).toBeVisible();
	await page.emulateMedia({ media: 'print' });
	await page.screenshot({ path: `${SHOTS}/print-plan-notice-en.png`, fullPage: true });
	await page.emulateMedia({ media: 'screen' });
	expect(await pdfPages(page)).toBe(1);
	await expectAccessible(page, 'plan notice en');
});

test('an open round has a call to take part; results notices print without the header', async ({
	page,
}) => {
	await page.goto('/p/dujuan');
	const vote = page.locator('ul.open-now').getByRole('link', { name: '去表决' });
	const roundPath = (await vote.getAttribute('href'))!;
	await page.goto(roundPath);
	await page.getByRole('link', { name: '打印参与通知（张贴用）' }).click();
	await expect(page).toHaveURL(new RegExp(`${roundPath}/notice$`));
	const notice = page.locator('article.public-notice');
	await expect(notice.locator('.notice-heading')).toHaveText('参与通知');
	await expect(notice).toContainText(/请在 \d{4}年.* 前参与/);
	await expect(notice).toContainText('纸质：到居委会领取纸质表决单');
	await expect(notice).toContainText(/电话：0598-\d{8}/);
	await expect(notice.locator('.notice-code svg')).toBeVisible();
	await expectAccessible(page, 'call notice');
	await expectNoHeaderInPrint(page);
	expect(await pdfPages(page)).toBe(1);
	await page.emulateMedia({ media: 'print' });
	await page.screenshot({ path: `${SHOTS}/print-call-notice-zh.png`, fullPage: true });
	await page.emulateMedia({ media: 'screen' });
	await page.goto(`/en${roundPath}/notice`);
	await expect(page.locator('.notice-heading')).toHaveText('Call to take part');
	await expectAccessible(page, 'call notice en');

	// 红岩新村's closed and published round: its results notice prints without the site header.
	await page.goto('/p/hongyan');
	await page
		.locator('section', { has: page.getByRole('heading', { name: '征求意见与表决' }) })
		.getByRole('link')
		.first()
		.click();
	await page.getByRole('link', { name: '打印公示' }).click();
	await expectNoHeaderInPrint(page);
});

test('the committee sets its phone, address and hours; notices print them', async ({ page }) => {
	await signInStaff(page, 'meiling');
	await page.getByRole('link', { name: '居委会联系方式' }).click();
	await expectAccessible(page, 'community contact');
	const form = page.getByRole('form', { name: '梅岭社区' });
	await form.getByLabel('联系电话').fill('0598-1234567 x');
	await form.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('电话只能包含数字、空格和 + - ( )。')).toBeVisible();
	await expect(page.getByRole('form', { name: '梅岭社区' }).getByLabel('联系电话')).toHaveValue(
		'0598-1234567 x',
	);
	await page.getByRole('form', { name: '梅岭社区' }).getByLabel('联系电话').fill('0598-8888 1234');
	await page
		.getByRole('form', { name: '梅岭社区' })
		.getByLabel('办公时间', { exact: true })
		.fill('每天 9:00–17:00');
	await page.getByRole('form', { name: '梅岭社区' }).getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('status')).toHaveText('已保存。');
	await page.goto('/p/dujuan/v/2/notice');
	await expect(page.getByText('电话：0598-8888 1234')).toBeVisible();
	await expect(page.getByText('办公时间：每天 9:00–17:00')).toBeVisible();
	// Another community's committee is not this one's to edit.
	const other = await page.request.post('/staff/community?_action=communities.updateContact', {
		form: {
			communityId: '3',
			contactPhone: '1',
			contactAddress: '',
			contactAddressEn: '',
			officeHours: '',
			officeHoursEn: '',
		},
		headers: { origin: new URL(page.url()).origin },
	});
	expect(other.status(), await other.text()).toBe(404);
});
