import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from '../../../src/lib/server/roster/csv.ts';
import { decodeText } from '../../../src/lib/server/roster/decode.ts';
import { rosterLimits } from '../../../src/lib/server/roster/limits.ts';
import { parseRosterFile } from '../../../src/lib/server/roster/parse.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { encodeGbk } from '../../factories/roster.ts';

const refusal = (fn: () => unknown): string => {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(DomainError);
		return (error as DomainError).messageKey;
	}
	throw new Error('expected a refusal');
};

const header = '社区,小区,楼栋,单元,房号,建筑面积（㎡）,使用状态';
const line = '梅岭社区,红岩新村,3号楼,1单元,301室,85.5,自住';

describe('text encodings', () => {
	it.each([
		['UTF-8', new TextEncoder().encode(`${header}\n${line}`), 'utf-8'],
		['UTF-8 with BOM', new TextEncoder().encode(`\uFEFF${header}\n${line}`), 'utf-8-bom'],
		['GBK (Chinese Excel "CSV")', encodeGbk(`${header}\n${line}`), 'gb18030'],
		[
			'UTF-16LE with BOM (Excel "Unicode text")',
			new Uint8Array([0xff, 0xfe, ...Buffer.from(`${header}\n${line}`, 'utf16le')]),
			'utf-16le',
		],
	])('%s decodes to the same text', (_name, bytes, encoding) => {
		const decoded = decodeText(bytes);
		expect(decoded).toEqual({ text: `${header}\n${line}`, encoding, damaged: false });
	});

	it('prefers UTF-8 when the bytes are valid UTF-8, so GBK is only a fallback', () => {
		expect(decodeText(new TextEncoder().encode('红岩新村')).encoding).toBe('utf-8');
		expect(decodeText(encodeGbk('红岩新村')).encoding).toBe('gb18030');
	});

	it('marks bytes that fit no encoding as damaged (U+FFFD), never throwing', () => {
		const bytes = new Uint8Array([...encodeGbk('梅岭社区,'), 0xff, 0x80, 0x0a]);
		const decoded = decodeText(bytes);
		expect(decoded.damaged).toBe(true);
		expect(decoded.text).toContain('梅岭社区');
		expect(decoded.text).toContain('\uFFFD');
	});
});

describe('CSV', () => {
	it.each([
		['a,b\n1,2', ','],
		['a\tb\n1\t2', '\t'],
		['a;b;c\n1;2;3', ';'],
		['"a,b";c\n"1,2";3', ';'],
	])('detects the delimiter of %j', (text, delimiter) => {
		expect(detectDelimiter(text)).toBe(delimiter);
	});

	it('reads quotes, doubled quotes, embedded line breaks and every line ending', () => {
		const rows = parseCsv('a,"b ""q"", c","multi\r\nline"\r\n1,2,3\r4,5,6\n\n7,8,9');
		expect(rows).toEqual([
			{ row: 1, cells: ['a', 'b "q", c', 'multi\r\nline'] },
			{ row: 2, cells: ['1', '2', '3'] },
			{ row: 3, cells: ['4', '5', '6'] },
			{ row: 5, cells: ['7', '8', '9'] },
		]);
	});

	it('numbers rows as a spreadsheet does, skipping blank ones (,,, included)', () => {
		const rows = parseCsv('h1,h2\n,\nx,y\n');
		expect(rows.map((r) => r.row)).toEqual([1, 3]);
	});

	it('cuts a huge cell to one character over the limit (bounded memory; validation reports it)', () => {
		const rows = parseCsv(`a,b\n${'x'.repeat(1024 * 1024)},"${'y'.repeat(1024 * 1024)}"`);
		expect(rows[1]!.cells.map((c) => c.length)).toEqual([
			rosterLimits.cellChars + 1,
			rosterLimits.cellChars + 1,
		]);
	});

	it('drops columns past the column limit', () => {
		const rows = parseCsv(Array.from({ length: 200 }, (_, i) => `c${i}`).join(','));
		expect(rows[0]!.cells).toHaveLength(rosterLimits.columns);
	});

	it('refuses a file with more rows than the limit', () => {
		expect(refusal(() => parseCsv('h\n1\n2\n3\n4', 3))).toBe('roster.file.tooManyRows');
	});
});

describe('uploads', () => {
	it.each([
		['an empty file', new Uint8Array(), 'roster.file.empty'],
		[
			'a file over the size limit',
			new Uint8Array(rosterLimits.fileBytes + 1).fill(0x41),
			'roster.file.tooLarge',
		],
		[
			'an old .xls file',
			new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
			'roster.file.xlsOld',
		],
		['binary content', new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x43]), 'roster.file.binary'],
		['a broken zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'roster.file.xlsxInvalid'],
	])('refuses %s', (_name, bytes, key) => {
		expect(refusal(() => parseRosterFile(bytes))).toBe(key);
	});

	it('refuses 100,001 data rows (plus header) and accepts 100,000', () => {
		const body = (n: number) => `社区,小区\n${'a,b\n'.repeat(n)}`;
		expect(parseRosterFile(new TextEncoder().encode(body(rosterLimits.rows))).rows).toHaveLength(
			rosterLimits.rows + 1,
		);
		// parseCsv allows a few title rows above the header; normaliseRows counts data rows exactly.
		expect(
			refusal(() =>
				parseRosterFile(
					new TextEncoder().encode(body(rosterLimits.rows + rosterLimits.headerSearchRows + 1)),
				),
			),
		).toBe('roster.file.tooManyRows');
	});
});
