import { z } from 'zod';

/**
 * Plain values from the outside (route params, form fields) checked against what the database
 * column can hold, so bad input is refused here with a 4xx instead of failing in PostgreSQL.
 */

/** The largest PostgreSQL `integer` (int4): every serial id column. */
export const INT4_MAX = 2_147_483_647;

/** A positive int4 from a string of digits, or NaN (also above the int4 range or malformed). */
export function intParam(raw: string | null | undefined): number {
	if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return Number.NaN;
	const value = Number(raw);
	return value >= 1 && value <= INT4_MAX ? value : Number.NaN;
}

/** A form's id field: a positive int4 (zod's messages: "too big" above the column's range). */
export const dbId = () => z.coerce.number().int().positive().max(INT4_MAX);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DD` naming a real calendar day (no 2026-02-30, no month 13, years 1000–9999). */
export function isCalendarDate(value: string): boolean {
	const match = DATE.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DDTHH:MM[:SS]` (a datetime-local value) naming a real day and time. */
export function isLocalDateTime(value: string): boolean {
	const match = DATE_TIME.exec(value);
	if (!match || !isCalendarDate(match[1]!)) return false;
	return Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4] ?? 0) < 60;
}
