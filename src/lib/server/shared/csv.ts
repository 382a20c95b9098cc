/**
 * The one CSV writer and the one rule that keeps spreadsheet cells from running as formulas
 * (OWASP "CSV injection"). Every export goes through it: ballot results, survey results,
 * disclosures, the household roster (whose XLSX cells take the same `escapeCell`).
 */

export type CsvCell = string | number;

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_TRIGGER = /^[=+\-@\t\r']/;

/**
 * A text cell made safe for spreadsheets: text a spreadsheet would run as a formula (starting
 * with = + - @, tab or CR) gets a leading apostrophe, which Excel and WPS show as text; so does
 * text that itself starts with an apostrophe, so the roster import removes exactly one and every
 * value round-trips. Plain numbers such as "-1" stay as they are.
 */
export function escapeCell(value: string): string {
	return FORMULA_TRIGGER.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One CSV cell: escaped, then quoted (RFC 4180) when it holds a quote, comma or line break. */
export function csvCell(value: CsvCell): string {
	if (typeof value === 'number') return String(value);
	const safe = escapeCell(value);
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV file: a UTF-8 BOM (so Excel on Windows reads the Chinese correctly), CRLF lines. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
	return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
