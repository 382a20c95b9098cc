import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
export const locales: readonly Locale[] = ['zh-CN', 'en'];
export const defaultLocale: Locale = 'zh-CN';

const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

/**
 * Translates a key, filling {placeholders}. In English a param `x` with a non-empty sibling `xEn`
 * (a name or title stored in both languages) shows `xEn`. Unknown placeholders stay visible,
 * never crash.
 */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = catalogs[locale][key];
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (match, name: string) => {
		const english = locale === 'en' ? params[`${name}En`] : undefined;
		if (english !== undefined && String(english) !== '') return String(english);
		return name in params ? String(params[name]) : match;
	});
}

export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translator {
	return (key, params) => translate(locale, key, params);
}

/** URL prefix per locale: zh-CN has none (the default), English lives under /en. */
export function localePrefix(locale: Locale): string {
	return locale === 'en' ? '/en' : '';
}

/** Splits a request path into its locale and the path without the prefix. */
export function splitLocale(pathname: string): { locale: Locale; path: string } {
	if (pathname === '/en' || pathname.startsWith('/en/')) {
		return { locale: 'en', path: pathname.slice(3) || '/' };
	}
	return { locale: defaultLocale, path: pathname };
}

/** A site path for a locale: localizePath('en', '/p/x') → '/en/p/x'. */
export function localizePath(locale: Locale, path: string): string {
	const prefix = localePrefix(locale);
	if (path === '/') return prefix || '/';
	return `${prefix}${path}`;
}

/** BCP 47 tag for <html lang> and Intl. */
export function htmlLang(locale: Locale): string {
	return locale === 'en' ? 'en' : 'zh-CN';
}
