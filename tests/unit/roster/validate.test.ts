import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateFile } from '../../../src/lib/server/roster/export.ts';
import { escapeCell, toCsv } from '../../../src/lib/server/shared/csv.ts';
import { parseRosterFile } from '../../../src/lib/server/roster/parse.ts';
import {
	columnForHeader,
	occupancyFor,
	templateHeaders,
} from '../../../src/lib/server/roster/template.ts';
import {
	cleanCell,
	findHeader,
	floorFromRoom,
	normaliseBuilding,
	normaliseRows,
	normaliseRoom,
	normaliseUnit,
	ownerKeyOf,
	parseArea,
} from '../../../src/lib/server/roster/validate.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import {
	csvText,
	encodeGbk,
	rosterTable,
	utf8Csv,
	type RosterLine,
} from '../../factories/roster.ts';

const SECRET = 'test-owner-key-secret-0123456789abcdef';

const good: RosterLine = {
	subdistrict: '列东街道',
	community: '梅岭社区',
	compound: '红岩新村',
	building: '3',
	unit: '1',
	room: '301',
	area: '85.50',
	occupancy: '自住',
	ownerKey: '闽(2019)三明市不动产权第0012345号',
};

/** The DomainError a call throws (fails the test when it does not throw). */
function refusal(fn: () => unknown): DomainError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(DomainError);
		return error as DomainError;
	}
	throw new Error('expected a refusal');
}

const check = (lines: RosterLine[]) => normaliseRows(parseRosterFile(utf8Csv(lines)).rows, SECRET);

describe('header mapping', () => {
	it.each([
		['社区', 'community'],
		['Community', 'community'],
		[' COMMUNITY ', 'community'],
		['建筑面积(m²)', 'area'],
		['建筑面积（平方米）', 'area'],
		['Floor area (m²)', 'area'],
		['area_m2', 'area'],
		['面积', 'area'],
		['楼号', 'building'],
		['房间号', 'room'],
		['不动产权证号', 'ownerKey'],
		['Owner identifier', 'ownerKey'],
		['使用状态', 'occupancy'],
		['备注', 'contactNote'],
		['街道', 'subdistrict'],
		['姓名', null],
		['电话', null],
		['', null],
	] as const)('%j → %s', (header, key) => {
		expect(columnForHeader(header)).toBe(key);
	});

	it('maps both template languages completely', () => {
		for (const language of ['zh-CN', 'en'] as const) {
			const mapping = findHeader([{ row: 1, cells: templateHeaders(language) }]);
			expect(Object.keys(mapping.index)).toHaveLength(11);
			expect(mapping.ignored).toEqual([]);
		}
	});

	it('finds the header below title rows and lists columns it will not read', () => {
		const rows = [
			{ row: 1, cells: ['红岩新村住户花名册'] },
			{ row: 2, cells: ['制表：梅岭社区居委会'] },
			{ row: 3, cells: ['序号', '姓名', ...templateHeaders('zh-CN'), '电话'] },
		];
		const mapping = findHeader(rows);
		expect(mapping.row).toBe(3);
		expect(mapping.index.community).toBe(3);
		expect(mapping.ignored).toEqual(['序号', '姓名', '电话']);
	});

	it.each([
		[[['社区', '小区', '楼栋']], 'roster.file.missingColumns'],
		[[[...templateHeaders('zh-CN'), 'Room']], 'roster.file.duplicateColumn'],
	])('refuses a bad header row (%#)', (cells, key) => {
		const error = refusal(() => findHeader(cells.map((c, i) => ({ row: i + 1, cells: c }))));
		expect(error.messageKey).toBe(key);
	});

	it('names the missing columns in both languages', () => {
		const error = refusal(() =>
			findHeader([{ row: 1, cells: ['社区', '小区', '楼栋', '单元', '房号'] }]),
		);
		expect(error.params).toEqual({
			columns: '建筑面积(m²) (Floor area (m²)), 使用状态 (Occupancy)',
		});
	});
});

describe('cells', () => {
	it.each([
		['plain', 'plain', null],
		['  trimmed\u3000', 'trimmed', null],
		['=HYPERLINK("http://evil","x")', null, 'roster.reason.formula'],
		['+1+1', null, 'roster.reason.formula'],
		['@SUM(A1)', null, 'roster.reason.formula'],
		['-2+3', null, 'roster.reason.formula'],
		['\t=1', null, 'roster.reason.formula'],
		['-1', '-1', null],
		['-1.5', '-1.5', null],
		["'=1", null, 'roster.reason.formula'],
		["'-1", '-1', null],
		["it's", "it's", null],
		['bad\uFFFDbytes', null, 'roster.reason.encoding'],
		['a\u0007b', null, 'roster.reason.control'],
		['x'.repeat(201), null, 'roster.reason.tooLong'],
	])('%j → %j (%s)', (raw, value, reason) => {
		const cell = cleanCell(raw);
		expect(cell.error?.reason ?? null).toBe(reason);
		if (value !== null) expect(cell.value).toBe(value);
	});

	it('never trusts a formula cell from XLSX, whatever its cached value', () => {
		expect(cleanCell('85.5', true).error?.reason).toBe('roster.reason.formula');
	});

	it.each([
		['85.5', '85.50'],
		['85', '85.00'],
		['085.50', '85.50'],
		['85.500', '85.50'],
		['1000', '1000.00'],
		['0.01', '0.01'],
		['８５．５', '85.50'],
		['85.5m²', '85.50'],
		['85.5 平方米', '85.50'],
		['abc', 'roster.reason.areaNotNumber'],
		['85,5', 'roster.reason.areaNotNumber'],
		['-3', 'roster.reason.areaNotNumber'],
		['1e2', 'roster.reason.areaNotNumber'],
		['85.555', 'roster.reason.areaDecimals'],
		['0', 'roster.reason.areaTooSmall'],
		['0.00', 'roster.reason.areaTooSmall'],
		['1000.01', 'roster.reason.areaTooLarge'],
		['99999999', 'roster.reason.areaTooLarge'],
	])('area %j → %s', (text, expected) => {
		const parsed = parseArea(text);
		expect('area' in parsed ? parsed.area : parsed.reason).toBe(expected);
	});

	it('reads every area of two decimals in range exactly (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100_000 }),
				fc.integer({ min: 0, max: 3 }),
				(cents, zeros) => {
					const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${'0'.repeat(zeros)}`;
					const parsed = parseArea(text);
					expect(parsed).toEqual({
						area: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
					});
				},
			),
		);
	});

	it.each([
		[normaliseBuilding, '3号楼', '3'],
		[normaliseBuilding, '3栋', '3'],
		[normaliseBuilding, '第3幢', '3'],
		[normaliseBuilding, '3#', '3'],
		[normaliseBuilding, 'A座', 'A座'],
		[normaliseBuilding, '１２', '12'],
		[normaliseUnit, '1单元', '1'],
		[normaliseUnit, '第二单元', '二'],
		[normaliseRoom, '301室', '301'],
		[normaliseRoom, ' 3 01 ', '301'],
	])('%o(%j) → %j', (fn, input, output) => {
		expect(fn(input)).toBe(output);
	});

	it.each([
		['301', 3],
		['1202', 12],
		['5', 1],
		['12', 1],
		['B-302', 3],
		['A', null],
		['123456', null],
	])('floor of room %s is %s', (room, floor) => {
		expect(floorFromRoom(room)).toBe(floor);
	});

	it('hashes owner identifiers with the secret, after folding width, spaces and case', () => {
		const key = ownerKeyOf(SECRET, 'abc 123');
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(ownerKeyOf(SECRET, 'ＡＢＣ123')).toBe(key);
		expect(ownerKeyOf('another-secret-0123456789abcdef0123', 'ABC123')).not.toBe(key);
	});
});

describe('rows', () => {
	it('turns a good row into a roster row, the owner key hashed and never kept in clear', () => {
		const { rows, errors, dataRows } = check([
			good,
			{ ...good, room: '302', ownerKey: '', floor: '4', occupancy: 'rented' },
		]);
		expect(errors).toEqual([]);
		expect(dataRows).toBe(2);
		expect(rows[0]).toEqual({
			row: 2,
			subdistrict: '列东街道',
			community: '梅岭社区',
			compound: '红岩新村',
			building: '3',
			unit: '1',
			room: '301',
			floor: 3,
			area: '85.50',
			occupancy: 'owner_occupied',
			ownerKey: ownerKeyOf(SECRET, good.ownerKey!),
		});
		expect(rows[1]).toMatchObject({ room: '302', floor: 4, occupancy: 'rented', ownerKey: null });
		expect(JSON.stringify(rows)).not.toContain('0012345');
	});

	it.each([
		['missing building', { building: '' }, 'building', 'roster.reason.required'],
		['missing community', { community: '' }, 'community', 'roster.reason.required'],
		['area not a number', { area: '八十' }, 'area', 'roster.reason.areaNotNumber'],
		['area zero', { area: '0' }, 'area', 'roster.reason.areaTooSmall'],
		['negative area', { area: '-5' }, 'area', 'roster.reason.areaNotNumber'],
		['area over 1000', { area: '1200' }, 'area', 'roster.reason.areaTooLarge'],
		['unknown occupancy', { occupancy: '借住' }, 'occupancy', 'roster.reason.occupancyUnknown'],
		['floor out of range', { floor: '101' }, 'floor', 'roster.reason.floorInvalid'],
		['floor not derivable', { room: 'A', floor: '' }, 'floor', 'roster.reason.floorMissing'],
		['room with punctuation', { room: '3/01' }, 'room', 'roster.reason.identifierInvalid'],
		['short owner key', { ownerKey: 'ab' }, 'ownerKey', 'roster.reason.ownerKeyInvalid'],
		['formula in a name', { compound: '=HYPERLINK("x")' }, 'compound', 'roster.reason.formula'],
		['long compound name', { compound: '新'.repeat(51) }, 'compound', 'roster.reason.tooLong'],
	])('reports %s at its row and column', (_name, change, column, reason) => {
		const { rows, errors } = check([good, { ...good, room: '302', ...change }]);
		expect(errors).toEqual([expect.objectContaining({ row: 3, column, reason })]);
		expect(rows.map((r) => r.row)).toEqual([2]);
	});

	it('reports every problem of a row, not only the first', () => {
		const { errors } = check([{ ...good, building: '', area: 'x', occupancy: '?' }]);
		expect(errors.map((e) => e.column)).toEqual(['building', 'area', 'occupancy']);
	});

	it('reports bytes that fit no encoding as an encoding error on their row, the others still read', () => {
		const head = encodeGbk(`${csvText(rosterTable([good])).replace('(m²)', '')}\r\n`);
		const broken = encodeGbk(
			'梅岭社区,红岩新村,3,1,302,,80,自住,X-0001,'.replace(/^/, '列东街道,'),
		);
		broken[broken.indexOf(0x2c, 12) + 1] = 0xff; // the compound name's first byte
		const bytes = new Uint8Array([...head, ...broken]);
		const result = normaliseRows(parseRosterFile(bytes).rows, SECRET);
		expect(result.rows.map((r) => r.row)).toEqual([2]);
		expect(result.errors).toEqual([
			{ row: 3, column: 'compound', reason: 'roster.reason.encoding' },
		]);
	});

	it('skips blank rows and rows that only have a contact note, counting notes', () => {
		const table = rosterTable([
			good,
			{},
			{ contactNote: '只有备注' },
			{ ...good, room: '302', contactNote: '女儿代管 139xxxx' },
		]);
		const result = normaliseRows(
			parseRosterFile(new TextEncoder().encode(csvText(table))).rows,
			SECRET,
		);
		expect(result.dataRows).toBe(2);
		expect(result.notes).toBe(1);
		expect(JSON.stringify(result.rows)).not.toContain('女儿');
	});
});

describe('export escaping', () => {
	it.each([
		['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
		['+1', "'+1"],
		['-x', "'-x"],
		['@x', "'@x"],
		['\tx', "'\tx"],
		['\rx', "'\rx"],
		['-1', '-1'],
		['85.50', '85.50'],
		['红岩新村', '红岩新村'],
	])('%j → %j', (value, escaped) => {
		expect(escapeCell(value)).toBe(escaped);
	});

	it('round-trips every value: escaped on export, the escape removed on import, formulas still refused', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 30 }), (value) => {
				const cell = cleanCell(escapeCell(value));
				const plain = value.trim();
				if (cell.error === null) expect(cell.value).toBe(plain);
				else expect(cleanCell(plain).error).not.toBeNull();
			}),
		);
	});

	it('writes RFC 4180 CSV with a BOM and CRLF, quoting what needs it', () => {
		const text = toCsv([['a,b', 'say "hi"', '=1', 'x\ny']]);
		expect(text).toBe('\uFEFF"a,b","say ""hi""",\'=1,"x\ny"\r\n');
	});

	it.each(['csv', 'xlsx'] as const)(
		'the %s templates parse back to a complete header',
		(format) => {
			for (const language of ['zh-CN', 'en'] as const) {
				const file = templateFile(format, language);
				const rows = parseRosterFile(file.bytes).rows;
				expect(rows[0]!.cells).toEqual(templateHeaders(language));
				expect(Object.keys(findHeader(rows).index)).toHaveLength(11);
			}
		},
	);
});

describe('occupancy', () => {
	it.each([
		['自住', 'owner_occupied'],
		['业主自住', 'owner_occupied'],
		['owner-occupied', 'owner_occupied'],
		['Owner occupied', 'owner_occupied'],
		['owner_occupied', 'owner_occupied'],
		['出租', 'rented'],
		['Rented', 'rented'],
		['空置', 'vacant'],
		['VACANT', 'vacant'],
		['借住', null],
	] as const)('%j → %s', (text, value) => {
		expect(occupancyFor(text)).toBe(value);
	});
});
