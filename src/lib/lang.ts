/**
 * The `lang` of a text shown on a page of another language (WCAG 3.1.2 Language of Parts): staff
 * and residents write Chinese, and an English page that falls back to it must say so, or a
 * screen reader reads 杜鹃 with English rules. Safe for islands (no server code).
 */
import type { Locale } from '../i18n/index.ts';

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;

/** 'zh-CN' for Chinese text on an English page, 'en' for English-only text on a Chinese page. */
export function langOf(locale: Locale, text: string | null | undefined): string | undefined {
	if (!text) return undefined;
	if (locale === 'en') return HAN.test(text) ? 'zh-CN' : undefined;
	return !HAN.test(text) && LATIN.test(text) ? 'en' : undefined;
}
