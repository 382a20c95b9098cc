/**
 * Byte budgets of resident pages, gzip level 6 (what a phone on a slow network downloads on a
 * first visit): the HTML, the linked CSS, and all JavaScript including Astro islands and the
 * chunks they import. The 60 KB total is the product's promise for old phones and 3G in
 * villages (tests/bench/rows.ts WEIGHT_BUDGET_BYTES); per-part limits catch a regression in
 * one part hidden by room in another. A page type without a row gets the default.
 */
export type Budget = { html: number; css: number; js: number; total: number };

const KB = 1024;

export const defaultBudget: Budget = { html: 25 * KB, css: 12 * KB, js: 30 * KB, total: 60 * KB };

/** Page types (see site.ts pageKey) with their own budget. */
export const pageBudgets: Record<string, Budget> = {
	'/': { html: 20 * KB, css: 12 * KB, js: 5 * KB, total: 35 * KB },
	'/p/:slug': { html: 20 * KB, css: 12 * KB, js: 5 * KB, total: 35 * KB },
	'/p/:slug/v/:n': { html: 30 * KB, css: 12 * KB, js: 30 * KB, total: 60 * KB },
	'/login': { html: 10 * KB, css: 12 * KB, js: 5 * KB, total: 25 * KB },
};

export function budgetFor(key: string): Budget {
	return pageBudgets[key] ?? defaultBudget;
}
