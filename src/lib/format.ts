/** Formatting helpers safe for server and islands. Numbers stay exact strings until display. */
import type { Locale } from '../i18n/index.ts';

const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'zh-CN');

// Intl formatters are costly to build and immutable once built: one per locale, shared.
const numberFormats = new Map<Locale, Intl.NumberFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function numberFormat(locale: Locale): Intl.NumberFormat {
	let format = numberFormats.get(locale);
	if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(intlLocale(locale))));
	return format;
}

function dateFormat(locale: Locale): Intl.DateTimeFormat {
	let format = dateFormats.get(locale);
	if (!format) {
		format = new Intl.DateTimeFormat(intlLocale(locale), {
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			timeZone: 'UTC',
		});
		dateFormats.set(locale, format);
	}
	return format;
}

export function formatInteger(locale: Locale, value: number): string {
	return numberFormat(locale).format(value);
}

/** A decimal string such as "98933.01" with grouping, without going through a float for digits. */
export function formatDecimal(locale: Locale, value: string, fractionDigits = 2): string {
	const [whole = '0', fraction = ''] = value.split('.');
	const grouped = numberFormat(locale).format(BigInt(whole));
	if (fractionDigits === 0) return grouped;
	return `${grouped}.${fraction.padEnd(fractionDigits, '0').slice(0, fractionDigits)}`;
}

/**
 * An exact decimal amount divided by 10^exponent, rounded half up to two decimals, as a string:
 * scaleDecimal('8650000.00', 4) → '865.00' (万元); scaleDecimal('8650000.00', 6) → '8.65' (million).
 */
export function scaleDecimal(amount: string, exponent: number): string {
	const [whole = '0', fraction = ''] = amount.split('.');
	const cents = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
	const divisor = 10n ** BigInt(exponent);
	const hundredths = (cents * 2n + divisor) / (divisor * 2n);
	return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/** Yuan → 万元 (ten thousands), two decimals. */
export const yuanToWan = (yuan: string) => scaleDecimal(yuan, 4);

/** The number shown for an investment: in 万元 for Chinese, in millions for English. */
export function investmentAmount(locale: Locale, yuan: string): string {
	return formatDecimal(locale, scaleDecimal(yuan, locale === 'en' ? 6 : 4));
}

/** An ISO date (YYYY-MM-DD) for display: 2026年3月5日 / 5 Mar 2026. */
export function formatDate(locale: Locale, isoDate: string): string {
	const [year, month, day] = isoDate.split('-').map(Number);
	if (!year || !month || !day) return isoDate;
	const date = new Date(Date.UTC(year, month - 1, day));
	return dateFormat(locale).format(date);
}
