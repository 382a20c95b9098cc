/** Formatting helpers safe for server and islands. Numbers stay exact strings until display. */
import type { Locale } from '../i18n/index.ts';

const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'zh-CN');

export function formatInteger(locale: Locale, value: number): string {
	return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

/** A decimal string such as "98933.01" with grouping, without going through a float for digits. */
export function formatDecimal(locale: Locale, value: string, fractionDigits = 2): string {
	const [whole = '0', fraction = ''] = value.split('.');
	const grouped = new Intl.NumberFormat(intlLocale(locale)).format(BigInt(whole));
	if (fractionDigits === 0) return grouped;
	return `${grouped}.${fraction.padEnd(fractionDigits, '0').slice(0, fractionDigits)}`;
}

/** Yuan (exact decimal string) → 万元 with two decimals, rounded half up on the exact digits. */
export function yuanToWan(yuan: string): string {
	const [whole = '0', fraction = ''] = yuan.split('.');
	const cents = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
	// 1 万元 = 1,000,000 cents; keep two decimals of 万 → divide by 10,000 with half-up rounding.
	const hundredthsOfWan = (cents + 5000n) / 10000n;
	const wan = hundredthsOfWan / 100n;
	const rest = hundredthsOfWan % 100n;
	return `${wan}.${rest.toString().padStart(2, '0')}`;
}

/** An ISO date (YYYY-MM-DD) for display: 2026年3月5日 / 5 Mar 2026. */
export function formatDate(locale: Locale, isoDate: string): string {
	const [year, month, day] = isoDate.split('-').map(Number);
	if (!year || !month || !day) return isoDate;
	const date = new Date(Date.UTC(year, month - 1, day));
	return new Intl.DateTimeFormat(intlLocale(locale), {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		timeZone: 'UTC',
	}).format(date);
}
