/**
 * China time (UTC+8, no daylight saving), the time every notice, deadline and window is given
 * in. The database keeps UTC; staff type local times; residents read China time wherever they
 * are. Safe for server and islands.
 */
import type { Locale } from '../i18n/index.ts';

export const CHINA_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3_600_000;

// Intl formatters are costly to build and immutable once built: one per locale, shared.
const formats = new Map<Locale, Intl.DateTimeFormat>();

/** A moment in China time: "2026年5月1日 09:00" / "1 May 2026, 09:00". */
export function formatChinaTime(locale: Locale, value: Date | string): string {
	let format = formats.get(locale);
	if (!format) {
		format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
			dateStyle: 'medium',
			timeStyle: 'short',
			timeZone: 'Asia/Shanghai',
		});
		formats.set(locale, format);
	}
	return format.format(typeof value === 'string' ? new Date(value) : value);
}

/** The day in China, YYYY-MM-DD, as residents read it on a notice. */
export const chinaDay = (date: Date): string =>
	new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** A moment as a `datetime-local` value ("2026-05-01T09:00") in China time, for form defaults. */
export const toChinaLocalInput = (date: Date): string =>
	new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 16);

/**
 * A `datetime-local` value ("2026-05-01T09:00", seconds optional) read as China time. Throws
 * RangeError on anything else.
 */
export function parseChinaTime(value: string): Date {
	const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
	if (!match) throw new RangeError(`not a local date and time: ${value}`);
	const date = new Date(`${match[1]}${match[2] ?? ':00'}${CHINA_OFFSET}`);
	if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: ${value}`);
	return date;
}

/** A China-time clock time on a China day ("2026-05-01", "12:00:00"). */
export const chinaDateTime = (day: string, time: string): Date =>
	new Date(`${day}T${time}${CHINA_OFFSET}`);
