import { DomainError } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';
import type { SheetRow } from './sheet.ts';
import { inflateBudget, listZip, readZipEntry, writeZip, type InflateBudget } from './zip.ts';

/**
 * Reads the first worksheet of an XLSX file and writes simple workbooks. Our own code on
 * node:zlib rather than a library: the popular readers are either stale on npm (xlsx 0.18) or
 * pull in old zip stacks (exceljs), and none caps inflation the way a public upload needs.
 * A roster needs values only: no styles, dates or formulas. Formula cells are flagged (never
 * evaluated, never trusted), a DOCTYPE is refused (no entity expansion: billion laughs, XXE).
 */
const invalid = () => new DomainError('invalid', 'roster.file.xlsxInvalid');
const utf8 = new TextDecoder('utf-8');

function readXml(
	bytes: Uint8Array,
	entries: ReturnType<typeof listZip>,
	name: string,
	budget: InflateBudget,
): string | null {
	const entry = entries.get(name);
	if (!entry) return null;
	const text = utf8.decode(readZipEntry(bytes, entry, budget));
	if (/<!DOCTYPE|<!ENTITY/i.test(text.slice(0, 4096))) throw invalid();
	return text;
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and character references; anything else is left as is. */
export function decodeXml(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, name: string) => {
		if (name[0] === '#') {
			const code =
				name[1] === 'x' || name[1] === 'X'
					? parseInt(name.slice(2), 16)
					: parseInt(name.slice(1), 10);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
		}
		return entities[name] ?? match;
	});
}

const attributePatterns = new Map<string, RegExp>();

function attribute(attrs: string, name: string): string | null {
	let pattern = attributePatterns.get(name);
	if (!pattern) {
		pattern = new RegExp(`(?:^|\\s)${name}="([^"]*)"`);
		attributePatterns.set(name, pattern);
	}
	const match = pattern.exec(attrs);
	return match ? decodeXml(match[1]!) : null;
}

/** The concatenated <t> texts of a rich or plain string, without phonetic runs (<rPh>). */
function stringText(xml: string): string {
	const plain = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
	let text = '';
	for (const match of plain.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) text += decodeXml(match[1]!);
	return text;
}

function sharedStrings(xml: string | null): string[] {
	if (!xml) return [];
	const strings: string[] = [];
	for (const match of xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>|<si\b[^>]*\/>/g)) {
		strings.push(
			match[1] === undefined ? '' : stringText(match[1]).slice(0, rosterLimits.cellChars + 1),
		);
	}
	return strings;
}

/** "C" → 2, "AA" → 26; null when the reference has no letters. */
export function columnIndex(reference: string): number | null {
	const letters = /^[A-Z]+/.exec(reference)?.[0];
	if (!letters) return null;
	let index = 0;
	for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
	return index - 1;
}

/** A number as Excel meant it: 85.49999999999999 (binary noise) → "85.5". */
function numberText(value: string): string {
	const number = Number(value);
	return Number.isFinite(number) ? String(Number(number.toPrecision(15))) : value;
}

function firstSheetPath(
	bytes: Uint8Array,
	entries: ReturnType<typeof listZip>,
	budget: InflateBudget,
): string {
	const workbook = readXml(bytes, entries, 'xl/workbook.xml', budget);
	if (!workbook) throw invalid();
	const sheet = /<sheet\b([^>]*)\/?>/.exec(workbook)?.[1] ?? '';
	const relId = /\b[\w]+:id="([^"]+)"/.exec(sheet)?.[1];
	const rels = readXml(bytes, entries, 'xl/_rels/workbook.xml.rels', budget) ?? '';
	for (const match of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
		if (attribute(match[1]!, 'Id') !== relId) continue;
		const target = attribute(match[1]!, 'Target') ?? '';
		return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
	}
	return 'xl/worksheets/sheet1.xml';
}

/**
 * The rows of the first worksheet (blank rows skipped). Throws DomainError('invalid') with
 * 'roster.file.xlsxInvalid', 'roster.file.xlsxTooLarge' or 'roster.file.tooManyRows'.
 */
export function readXlsx(
	bytes: Uint8Array,
	maxRows = rosterLimits.rows + rosterLimits.headerSearchRows,
): SheetRow[] {
	const entries = listZip(bytes);
	const budget = inflateBudget();
	const sheetXml = readXml(bytes, entries, firstSheetPath(bytes, entries, budget), budget);
	if (!sheetXml) throw invalid();
	const strings = sharedStrings(readXml(bytes, entries, 'xl/sharedStrings.xml', budget));
	const data = /<sheetData\b[^>]*>([\s\S]*)<\/sheetData>/.exec(sheetXml)?.[1] ?? '';
	const rows: SheetRow[] = [];
	let rowNumber = 0;
	for (const match of data.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
		rowNumber = Number(attribute(match[1]!, 'r') ?? rowNumber + 1);
		if (!Number.isSafeInteger(rowNumber) || rowNumber < 1) throw invalid();
		const row = readRow(match[2] ?? '', strings);
		if (!row.cells.some((cell) => cell.trim() !== '') && !row.formulaColumns.length) continue;
		if (rows.length >= maxRows) {
			throw new DomainError('invalid', 'roster.file.tooManyRows', {
				params: { max: rosterLimits.rows },
			});
		}
		rows.push({
			row: rowNumber,
			cells: row.cells,
			...(row.formulaColumns.length ? { formulaColumns: row.formulaColumns } : {}),
		});
	}
	return rows;
}

function readRow(xml: string, strings: string[]): { cells: string[]; formulaColumns: number[] } {
	const cells: string[] = [];
	const formulaColumns: number[] = [];
	let column = -1;
	for (const match of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
		const attrs = match[1]!;
		const inner = match[2] ?? '';
		column = columnIndex(attribute(attrs, 'r') ?? '') ?? column + 1;
		if (column >= rosterLimits.columns) continue;
		const type = attribute(attrs, 't') ?? 'n';
		const raw = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(inner)?.[1];
		let value = '';
		if (type === 's') {
			const index = Number(raw);
			if (raw === undefined || !Number.isInteger(index) || index < 0 || index >= strings.length)
				throw invalid();
			value = strings[index]!;
		} else if (type === 'inlineStr')
			value = stringText(/<is\b[^>]*>([\s\S]*?)<\/is>/.exec(inner)?.[1] ?? '');
		else if (type === 'b') value = raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : '';
		else if (raw !== undefined) value = type === 'n' ? numberText(decodeXml(raw)) : decodeXml(raw);
		if (/<f\b/.test(inner) || type === 'e') formulaColumns.push(column);
		while (cells.length < column) cells.push('');
		cells[column] = value.slice(0, rosterLimits.cellChars + 1);
	}
	return { cells, formulaColumns };
}

/** A cell to write: text, a number, or nothing. `bold` marks header cells. */
export type XlsxCell = string | number | null;
export type XlsxSheet = { name: string; rows: XlsxCell[][]; widths?: number[]; header?: boolean };

const encodeXml = (text: string) =>
	text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		// Characters XML 1.0 cannot carry at all.
		// eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function columnName(index: number): string {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

function sheetXml(sheet: XlsxSheet): string {
	const cols = sheet.widths?.length
		? `<cols>${sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`
		: '';
	const rows = sheet.rows.map((cells, r) => {
		const style = sheet.header && r === 0 ? ' s="1"' : '';
		const body = cells
			.map((cell, c) => {
				const ref = `${columnName(c)}${r + 1}`;
				if (cell === null || cell === '') return '';
				if (typeof cell === 'number') return `<c r="${ref}"${style}><v>${cell}</v></c>`;
				return `<c r="${ref}" t="inlineStr"${style}><is><t xml:space="preserve">${encodeXml(cell)}</t></is></c>`;
			})
			.join('');
		return `<row r="${r + 1}">${body}</row>`;
	});
	return (
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
		'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
		`${cols}<sheetData>${rows.join('')}</sheetData></worksheet>`
	);
}

/** A minimal, valid XLSX workbook (Excel, WPS and LibreOffice open it) with the given sheets. */
export function writeXlsx(sheets: XlsxSheet[]): Uint8Array {
	const encoder = new TextEncoder();
	const xml = (text: string) => encoder.encode(text);
	const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
	const ns = 'http://schemas.openxmlformats.org';
	return writeZip([
		{
			name: '[Content_Types].xml',
			data: xml(
				`${head}<Types xmlns="${ns}/package/2006/content-types">` +
					`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
					`<Default Extension="xml" ContentType="application/xml"/>` +
					`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
					`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
					sheets
						.map(
							(_, i) =>
								`<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
						)
						.join('') +
					'</Types>',
			),
		},
		{
			name: '_rels/.rels',
			data: xml(
				`${head}<Relationships xmlns="${ns}/package/2006/relationships">` +
					`<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
					'</Relationships>',
			),
		},
		{
			name: 'xl/workbook.xml',
			data: xml(
				`${head}<workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets>` +
					sheets
						.map(
							(s, i) =>
								`<sheet name="${encodeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
						)
						.join('') +
					'</sheets></workbook>',
			),
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			data: xml(
				`${head}<Relationships xmlns="${ns}/package/2006/relationships">` +
					sheets
						.map(
							(_, i) =>
								`<Relationship Id="rId${i + 1}" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
						)
						.join('') +
					`<Relationship Id="rId${sheets.length + 1}" Type="${ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
					'</Relationships>',
			),
		},
		{
			name: 'xl/styles.xml',
			data: xml(
				`${head}<styleSheet xmlns="${ns}/spreadsheetml/2006/main">` +
					'<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
					'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
					'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
					'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
					'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
					'<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
					'</styleSheet>',
			),
		},
		...sheets.map((sheet, i) => ({
			name: `xl/worksheets/sheet${i + 1}.xml`,
			data: xml(sheetXml(sheet)),
		})),
	]);
}
