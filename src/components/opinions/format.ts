import type { Locale } from '../../i18n/index.ts';

// Built once per locale (Intl formatters are costly to build and immutable once built).
const formats = new Map<Locale, Intl.DateTimeFormat>();

/** When an opinion was written, in China's time zone: 2026年11月22日 08:30 / 22 Nov 2026, 08:30. */
export function formatDateTime(locale: Locale, date: Date): string {
	let format = formats.get(locale);
	if (!format) {
		format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
			dateStyle: 'medium',
			timeStyle: 'short',
			timeZone: 'Asia/Shanghai',
		});
		formats.set(locale, format);
	}
	return format.format(date);
}

/**
 * A link or form target on the page: `returnPath` with the current query (other lists' order
 * and page, never `_action`) and the given changes (null removes a parameter).
 */
export function pageUrl(
	returnPath: string,
	current: URLSearchParams,
	changes: Record<string, string | null> = {},
): { path: string; params: Record<string, string>; href: string } {
	const base = new URL(returnPath, 'http://local');
	const params = new URLSearchParams(base.search);
	for (const [key, value] of current) if (!params.has(key)) params.set(key, value);
	params.delete('_action');
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) params.delete(key);
		else params.set(key, value);
	}
	const query = params.toString();
	return {
		path: base.pathname,
		params: Object.fromEntries(params),
		href: base.pathname + (query ? `?${query}` : ''),
	};
}
