import { DomainError } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';
import type { SheetRow } from './sheet.ts';

/**
 * Guesses the delimiter from the first lines: Excel writes commas ("CSV"), tabs ("Unicode
 * text") and, in some locales, semicolons. Counts outside quotes; commas win ties.
 */
export function detectDelimiter(text: string): ',' | '\t' | ';' {
	const sample = text.slice(0, 8192);
	const counts = { ',': 0, '\t': 0, ';': 0 };
	let quoted = false;
	let lines = 0;
	for (const char of sample) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === ',' || char === '\t' || char === ';')) counts[char]++;
		else if (!quoted && char === '\n' && ++lines >= 10) break;
	}
	if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
	if (counts[';'] > counts[','] && counts[';'] > counts['\t']) return ';';
	return ',';
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF/LF/CR line ends) into rows
 * numbered as a spreadsheet numbers them (record 1 is row 1). Blank records are skipped but
 * counted. Cells are cut to one character over the cell limit (validation then reports them as
 * too long) and columns past the column limit are dropped, so a hostile file costs bounded
 * memory. Throws DomainError('invalid', 'roster.file.tooManyRows') past the row limit.
 */
export function parseCsv(
	text: string,
	maxRecords = rosterLimits.rows + rosterLimits.headerSearchRows,
): SheetRow[] {
	const delimiter = detectDelimiter(text);
	const maxCell = rosterLimits.cellChars + 1;
	const rows: SheetRow[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let record = 1;
	const pushCell = () => {
		if (cells.length < rosterLimits.columns)
			cells.push(cell.length > maxCell ? cell.slice(0, maxCell) : cell);
		cell = '';
	};
	const pushRecord = () => {
		pushCell();
		if (cells.some((c) => c.trim() !== '')) {
			if (rows.length >= maxRecords) {
				throw new DomainError('invalid', 'roster.file.tooManyRows', {
					params: { max: rosterLimits.rows },
				});
			}
			rows.push({ row: record, cells });
		}
		cells = [];
		record++;
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (quoted) {
			if (char !== '"') {
				if (cell.length <= maxCell) cell += char;
			} else if (text[i + 1] === '"') {
				if (cell.length <= maxCell) cell += '"';
				i++;
			} else quoted = false;
		} else if (char === '"' && cell === '') quoted = true;
		else if (char === delimiter) pushCell();
		else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[i + 1] === '\n') i++;
			pushRecord();
		} else if (cell.length <= maxCell) cell += char;
	}
	if (cell !== '' || cells.length > 0) pushRecord();
	return rows;
}
