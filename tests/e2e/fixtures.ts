import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Fails on any serious or critical axe violation on the current page (WCAG 2.2 AA rules). */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const serious = results.violations.filter(
		(v) => v.impact === 'serious' || v.impact === 'critical',
	);
	expect(
		serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
		`axe violations on ${label}`,
	).toEqual([]);
}

/** Clickable things on a resident page are at least `min` px in both directions. */
export async function expectTouchTargets(page: Page, min: number): Promise<void> {
	const small = await page.$$eval(
		'main a, main button, main select, header a, header button',
		(elements, minimum) =>
			elements
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r }) => r.width > 0 && (r.height < minimum || r.width < minimum))
				.map(
					({ el, r }) =>
						`${el.tagName} "${el.textContent?.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
				),
		min,
	);
	expect(small, `targets smaller than ${min}px`).toEqual([]);
}
