import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rosterLimits } from '../../../src/lib/server/roster/limits.ts';
import { parseRosterFile } from '../../../src/lib/server/roster/parse.ts';
import {
	columnIndex,
	decodeXml,
	readXlsx,
	writeXlsx,
} from '../../../src/lib/server/roster/xlsx.ts';
import { listZip, readZipEntry, inflateBudget } from '../../../src/lib/server/roster/zip.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { craftedZip, handXlsx } from '../../factories/roster.ts';

const refusal = (fn: () => unknown): string => {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(DomainError);
		return (error as DomainError).messageKey;
	}
	throw new Error('expected a refusal');
};

describe('XLSX reading', () => {
	it('reads back what writeXlsx wrote: text, numbers, blanks and escaping-worthy characters', () => {
		const rows = [
			['社区', '小区', 'Note <&>"\''],
			['梅岭社区', null, 85.5],
			['  spaced  ', 'line\nbreak', -1],
		];
		const read = readXlsx(
			writeXlsx([
				{ name: '花名册', rows },
				{ name: 'other', rows: [['x']] },
			]),
		);
		expect(read).toEqual([
			{ row: 1, cells: ['社区', '小区', 'Note <&>"\''] },
			{ row: 2, cells: ['梅岭社区', '', '85.5'] },
			{ row: 3, cells: ['  spaced  ', 'line\nbreak', '-1'] },
		]);
	});

	it('reads shared strings (rich text runs joined, phonetic runs dropped) and inline strings', () => {
		const bytes = handXlsx(
			'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><t>内联</t></is></c></row>',
			[
				'<r><t>红岩</t></r><r><t xml:space="preserve">新村</t></r><rPh><t>こう</t></rPh>',
				'<t>a&amp;b&#x4e00;</t>',
			],
		);
		expect(readXlsx(bytes)).toEqual([{ row: 2, cells: ['红岩新村', '', 'a&b一', '内联'] }]);
	});

	it('flags formula and error cells instead of trusting their cached values', () => {
		const bytes = handXlsx(
			'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>HYPERLINK("http://x")</f><v>x</v></c><c r="C1" t="e"><v>#REF!</v></c><c r="D1"><v>3</v></c></row>',
		);
		expect(readXlsx(bytes)).toEqual([
			{ row: 1, cells: ['2', 'x', '#REF!', '3'], formulaColumns: [0, 1, 2] },
		]);
	});

	it('removes binary noise from numbers (85.49999999999999 is 85.5)', () => {
		const bytes = handXlsx(
			'<row r="1"><c r="A1"><v>85.49999999999999</v></c><c r="B1"><v>1E-3</v></c></row>',
		);
		expect(readXlsx(bytes)[0]!.cells).toEqual(['85.5', '0.001']);
	});

	it('cuts 1 MB cells to one character over the limit', () => {
		const big = 'x'.repeat(1024 * 1024);
		const bytes = handXlsx(
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>${big}</t></is></c></row>`,
			[`<t>${big}</t>`],
		);
		expect(readXlsx(bytes)[0]!.cells.map((c) => c.length)).toEqual([
			rosterLimits.cellChars + 1,
			rosterLimits.cellChars + 1,
		]);
	});

	it.each([
		['A', 0],
		['Z9', 25],
		['AA10', 26],
		['XFD1', 16383],
		['12', null],
	])('column of %s is %s', (ref, index) => {
		expect(columnIndex(ref)).toBe(index);
	});

	it('decodes only the XML entities and character references', () => {
		expect(decodeXml('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&unknown;')).toBe('<>&"\'AB&unknown;');
	});
});

describe('hostile XLSX files change nothing: they are refused before any row is read', () => {
	const sheet = new TextEncoder().encode('<worksheet><sheetData/></worksheet>');

	it('refuses a zip bomb that declares its real size (over the per-entry limit) without inflating', () => {
		const bomb = craftedZip([
			{
				name: 'xl/worksheets/sheet1.xml',
				data: new Uint8Array(10),
				declaredSize: rosterLimits.inflatedEntryBytes + 1,
			},
		]);
		const entry = listZip(bomb).get('xl/worksheets/sheet1.xml')!;
		expect(refusal(() => readZipEntry(bomb, entry, inflateBudget()))).toBe(
			'roster.file.xlsxTooLarge',
		);
	});

	it('refuses a zip bomb that lies about its size: inflation stops at the declared size', () => {
		const zeros = new Uint8Array(50 * 1024 * 1024);
		const bomb = craftedZip([
			{ name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 },
		]);
		expect(bomb.length).toBeLessThan(100_000); // 50 MB of zeros deflate to ~50 kB
		const entry = listZip(bomb).get('xl/worksheets/sheet1.xml')!;
		const started = performance.now();
		expect(refusal(() => readZipEntry(bomb, entry, inflateBudget()))).toBe(
			'roster.file.xlsxTooLarge',
		);
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('refuses many entries that together exceed the total inflation budget', () => {
		const chunk = new Uint8Array(rosterLimits.inflatedEntryBytes - 1);
		const zip = craftedZip([
			{ name: 'a', data: chunk },
			{ name: 'b', data: chunk },
		]);
		const entries = listZip(zip);
		const budget = inflateBudget();
		readZipEntry(zip, entries.get('a')!, budget);
		expect(refusal(() => readZipEntry(zip, entries.get('b')!, budget))).toBe(
			'roster.file.xlsxTooLarge',
		);
	});

	it.each([
		['an encrypted entry', { flags: 1 }],
		['a CRC mismatch', { crc: 12345 }],
		['a declared size larger than the content', { declaredSize: sheet.length + 10 }],
	])('refuses %s', (_name, lie) => {
		const zip = craftedZip([{ name: 'x', data: sheet, ...lie }]);
		expect(refusal(() => readZipEntry(zip, listZip(zip).get('x')!, inflateBudget()))).toBe(
			'roster.file.xlsxInvalid',
		);
	});

	it('refuses a DOCTYPE (entity expansion: billion laughs, external entities)', () => {
		expect(
			refusal(() =>
				parseRosterFile(
					handXlsx('<row r="1"><c r="A1"><v>1</v></c></row>', undefined, { doctype: true }),
				),
			),
		).toBe('roster.file.xlsxInvalid');
	});

	it('refuses a workbook without a sheet, a shared-string index out of range, and truncated zips', () => {
		const noSheet = craftedZip([
			{ name: 'xl/workbook.xml', data: new TextEncoder().encode('<workbook/>') },
		]);
		expect(refusal(() => parseRosterFile(noSheet))).toBe('roster.file.xlsxInvalid');
		expect(
			refusal(() =>
				parseRosterFile(handXlsx('<row r="1"><c r="A1" t="s"><v>7</v></c></row>', ['<t>a</t>'])),
			),
		).toBe('roster.file.xlsxInvalid');
		const whole = handXlsx('<row r="1"><c r="A1"><v>1</v></c></row>');
		expect(refusal(() => parseRosterFile(whole.subarray(0, whole.length - 30)))).toBe(
			'roster.file.xlsxInvalid',
		);
	});

	it('refuses a sheet with more rows than the limit', () => {
		const rows = Array.from(
			{ length: 50 },
			(_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`,
		).join('');
		expect(refusal(() => readXlsx(handXlsx(rows), 40))).toBe('roster.file.tooManyRows');
	});

	it('writes deterministic bytes (same content, same file)', () => {
		const rows = [['a', 1]];
		expect(
			Buffer.from(writeXlsx([{ name: 's', rows }])).equals(
				Buffer.from(writeXlsx([{ name: 's', rows }])),
			),
		).toBe(true);
		expect(zlib.crc32(writeXlsx([{ name: 's', rows }]))).toBeTypeOf('number');
	});
});
