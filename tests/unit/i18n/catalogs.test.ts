import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/en.ts';
import { htmlLang, localizePath, splitLocale, translate } from '../../../src/i18n/index.ts';
import { zhCN } from '../../../src/i18n/zh-CN.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
	it('have the same keys in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
	});

	it.each(Object.keys(zhCN))('%s is non-empty and has the same placeholders in both', (key) => {
		const zh = zhCN[key as keyof typeof zhCN];
		const english = en[key as keyof typeof en];
		expect(zh.trim()).not.toBe('');
		expect(english.trim()).not.toBe('');
		expect(placeholders(english)).toEqual(placeholders(zh));
	});

	it('fills placeholders and leaves unknown ones visible', () => {
		expect(translate('zh-CN', 'home.count', { count: 3 })).toBe('共 3 个项目');
		expect(translate('en', 'home.count', { count: 3 })).toBe('3 projects');
		expect(translate('en', 'home.count', {})).toBe('{count} projects');
	});
});

describe('locale routing', () => {
	it.each([
		['/', 'zh-CN', '/'],
		['/p/x', 'zh-CN', '/p/x'],
		['/en', 'en', '/'],
		['/en/', 'en', '/'],
		['/en/p/x', 'en', '/p/x'],
		['/english', 'zh-CN', '/english'],
	] as const)('%s → %s %s', (pathname, locale, path) => {
		expect(splitLocale(pathname)).toEqual({ locale, path });
	});

	it('round-trips paths through localizePath', () => {
		for (const path of ['/', '/p/hongyan', '/a/b?c']) {
			for (const locale of ['zh-CN', 'en'] as const) {
				expect(splitLocale(localizePath(locale, path).split('?')[0]!).locale).toBe(locale);
			}
		}
		expect(localizePath('en', '/')).toBe('/en');
		expect(localizePath('zh-CN', '/')).toBe('/');
		expect(htmlLang('zh-CN')).toBe('zh-CN');
	});
});
