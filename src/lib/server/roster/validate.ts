import { createHmac } from 'node:crypto';
import type { MessageKey, Params } from '../../../i18n/index.ts';
import { DomainError } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';
import type { SheetRow } from './sheet.ts';
import {
	columnForHeader,
	columnKeys,
	columns,
	occupancyFor,
	type ColumnKey,
	type Occupancy,
} from './template.ts';

/** A household row as the import understands it: trimmed, normalised, the owner key hashed. */
export type RosterRow = {
	row: number;
	subdistrict: string;
	community: string;
	compound: string;
	building: string;
	unit: string;
	room: string;
	floor: number;
	/** Exactly two decimals, e.g. "85.50" (numeric(10,2) as PostgreSQL prints it). */
	area: string;
	occupancy: Occupancy;
	/** HMAC-SHA256 hex of the owner identifier; null when the cell was blank (keep the owner). */
	ownerKey: string | null;
};

/** One problem, where the committee member will look for it: row number and column. */
export type RowError = {
	row: number;
	column: ColumnKey | null;
	reason: MessageKey;
	params?: Params;
};

export type HeaderMapping = {
	/** The row number of the header row. */
	row: number;
	index: Partial<Record<ColumnKey, number>>;
	/** Header cells of columns the import does not read (e.g. names or phone numbers). */
	ignored: string[];
};

const bothNames = (key: ColumnKey) => `${columns[key].zh} (${columns[key].en})`;

function mapRow(row: SheetRow): { mapping: HeaderMapping; duplicate: ColumnKey | null } {
	const index: Partial<Record<ColumnKey, number>> = {};
	const ignored: string[] = [];
	let duplicate: ColumnKey | null = null;
	row.cells.forEach((cell, i) => {
		const key = columnForHeader(cell);
		if (key === null) {
			if (cell.trim() !== '') ignored.push(cell.trim().slice(0, 40));
		} else if (index[key] !== undefined) duplicate ??= key;
		else index[key] = i;
	});
	return { mapping: { row: row.row, index, ignored }, duplicate };
}

/**
 * Finds the header row among the first rows (committees often put a title above it) and maps
 * its cells to template columns, in Chinese or English. Throws DomainError('invalid') with
 * 'roster.file.missingColumns' (naming them) or 'roster.file.duplicateColumn'.
 */
export function findHeader(rows: SheetRow[]): HeaderMapping {
	const required = columnKeys.filter((key) => columns[key].required);
	let best: { mapping: HeaderMapping; found: number } | null = null;
	for (const row of rows.slice(0, rosterLimits.headerSearchRows)) {
		const { mapping, duplicate } = mapRow(row);
		const found = required.filter((key) => mapping.index[key] !== undefined).length;
		if (found === required.length) {
			if (duplicate) {
				throw new DomainError('invalid', 'roster.file.duplicateColumn', {
					params: { column: bothNames(duplicate) },
				});
			}
			return mapping;
		}
		if (!best || found > best.found) best = { mapping, found };
	}
	const missing = required.filter((key) => best?.mapping.index[key] === undefined);
	throw new DomainError('invalid', 'roster.file.missingColumns', {
		params: { columns: missing.map(bothNames).join(', ') },
	});
}

const FORMULA_START = /^[=+@\t\r]|^-(?!(\d+(\.\d+)?)?$)/;
const ESCAPED = /^'(?=[=+\-@\t\r'])/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/;
const IDENTIFIER = /^(?=.*[\p{L}\p{N}])[\p{L}\p{N}-]{1,20}$/u;

type Cell = { value: string; error: { reason: MessageKey; params?: Params } | null };

/**
 * One cell, cleaned: our own export's apostrophe escape removed, trimmed, and refused when it
 * holds a formula (or text a spreadsheet would run as one: =, +, @, a non-numeric -), control
 * characters, bytes that were not valid in the file's encoding, or more than the cell limit.
 */
export function cleanCell(raw: string, wasFormula = false): Cell {
	const value = raw.replace(ESCAPED, '').trim();
	if (wasFormula) return { value, error: { reason: 'roster.reason.formula' } };
	if (value.includes('\uFFFD')) return { value, error: { reason: 'roster.reason.encoding' } };
	if (value.length > rosterLimits.cellChars) {
		return {
			value,
			error: { reason: 'roster.reason.tooLong', params: { max: rosterLimits.cellChars } },
		};
	}
	if (CONTROL.test(value)) return { value, error: { reason: 'roster.reason.control' } };
	if (FORMULA_START.test(value)) return { value, error: { reason: 'roster.reason.formula' } };
	return { value, error: null };
}

/** Names (subdistrict, community, compound) keep their characters; spaces are collapsed. */
export const normaliseName = (value: string) => value.replace(/\s+/g, ' ').trim();

const compact = (value: string) => value.normalize('NFKC').replace(/\s+/g, '');

/** "3号楼", "3栋", "3幢", "3#", "第3栋" → "3". */
export function normaliseBuilding(value: string): string {
	return (
		compact(value)
			.replace(/^第/, '')
			.replace(/(#楼|号楼|号|栋|幢|#|楼)$/, '') || compact(value)
	);
}

/** "1单元", "第1单元" → "1". */
export function normaliseUnit(value: string): string {
	return compact(value).replace(/^第/, '').replace(/单元$/, '') || compact(value);
}

/** "301室" → "301". */
export function normaliseRoom(value: string): string {
	return compact(value).replace(/室$/, '') || compact(value);
}

/** The floor a room number implies: 301 → 3, 1202 → 12, 5 → 1; null when it implies none. */
export function floorFromRoom(room: string): number | null {
	const digits = /(\d+)$/.exec(room)?.[1];
	if (!digits) return null;
	if (digits.length <= 2) return 1;
	if (digits.length <= 4) return Math.floor(Number(digits) / 100) || 1;
	return null;
}

/** A floor area as exactly two decimals ("85.5" → "85.50"), or the reason it is not one. */
export function parseArea(value: string): { area: string } | { reason: MessageKey } {
	const text = compact(value).replace(/(m2|平方米|平米)$/i, '');
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) return { reason: 'roster.reason.areaNotNumber' };
	const whole = match[1]!.replace(/^0+(?=\d)/, '');
	const fraction = (match[2] ?? '').replace(/0+$/, '');
	if (fraction.length > 2) return { reason: 'roster.reason.areaDecimals' };
	if (whole.length > 4) return { reason: 'roster.reason.areaTooLarge' };
	const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
	if (cents <= 0) return { reason: 'roster.reason.areaTooSmall' };
	if (cents > 100_000) return { reason: 'roster.reason.areaTooLarge' };
	return { area: `${whole}.${fraction.padEnd(2, '0')}` };
}

/** The identifier as it is hashed: width folded, no spaces, upper case (粤/闽 prefixes stay). */
export function normaliseOwnerIdentifier(value: string): string {
	return compact(value).toUpperCase();
}

/** The stored owner key: HMAC-SHA256(secret, normalised identifier), hex. Never the clear value. */
export function ownerKeyOf(secret: string, identifier: string): string {
	return createHmac('sha256', secret).update(normaliseOwnerIdentifier(identifier)).digest('hex');
}

export type NormalisedRows = {
	rows: RosterRow[];
	errors: RowError[];
	/** Data rows read (below the header row, not blank). */
	dataRows: number;
	/** Rows with a contact note (read, checked for nothing, not stored). */
	notes: number;
	header: HeaderMapping;
};

/**
 * Turns sheet rows into roster rows with every cell-level problem reported (row, column,
 * reason). Pure: no database. Throws DomainError('invalid') for file-level problems (header,
 * too many rows).
 */
export function normaliseRows(sheet: SheetRow[], secret: string): NormalisedRows {
	const header = findHeader(sheet);
	const data = sheet.filter((row) => row.row > header.row);
	if (data.length > rosterLimits.rows) {
		throw new DomainError('invalid', 'roster.file.tooManyRows', {
			params: { max: rosterLimits.rows },
		});
	}
	const rows: RosterRow[] = [];
	const errors: RowError[] = [];
	let dataRows = 0;
	let notes = 0;
	for (const sheetRow of data) {
		const read = (key: ColumnKey): string | null => {
			const index = header.index[key];
			if (index === undefined) return '';
			const cell = cleanCell(sheetRow.cells[index] ?? '', sheetRow.formulaColumns?.includes(index));
			if (!cell.error) return cell.value;
			errors.push({ row: sheetRow.row, column: key, ...cell.error });
			return null;
		};
		if (
			columnKeys.every(
				(key) =>
					key === 'contactNote' || (sheetRow.cells[header.index[key] ?? -1] ?? '').trim() === '',
			)
		)
			continue;
		dataRows++;
		if ((sheetRow.cells[header.index.contactNote ?? -1] ?? '').trim() !== '') notes++;
		const before = errors.length;
		const row = normaliseRow(sheetRow.row, read, secret, errors);
		if (row && errors.length === before) rows.push(row);
	}
	return { rows, errors, dataRows, notes, header };
}

function normaliseRow(
	row: number,
	read: (key: ColumnKey) => string | null,
	secret: string,
	errors: RowError[],
): RosterRow | null {
	const fail = (column: ColumnKey, reason: MessageKey, params?: Params) => {
		errors.push({ row, column, reason, ...(params ? { params } : {}) });
		return null;
	};
	const required = (key: ColumnKey) => {
		const value = read(key);
		if (value === '') return fail(key, 'roster.reason.required');
		return value;
	};
	const name = (key: ColumnKey, value: string | null) => {
		if (value === null) return null;
		const text = normaliseName(value);
		return text.length > 50 ? fail(key, 'roster.reason.tooLong', { max: 50 }) : text;
	};
	const identifier = (key: ColumnKey, value: string | null, normalise: (v: string) => string) => {
		if (value === null) return null;
		const text = normalise(value);
		return IDENTIFIER.test(text) ? text : fail(key, 'roster.reason.identifierInvalid');
	};
	const subdistrict = name('subdistrict', read('subdistrict'));
	const community = name('community', required('community'));
	const compound = name('compound', required('compound'));
	const building = identifier('building', required('building'), normaliseBuilding);
	const unit = identifier('unit', required('unit'), normaliseUnit);
	const room = identifier('room', required('room'), normaliseRoom);
	const floorCell = read('floor');
	let floor: number | null = null;
	if (floorCell !== null && floorCell !== '') {
		const text = compact(floorCell).replace(/(层|楼|F)$/i, '');
		floor = /^-?\d{1,3}$/.test(text) ? Number(text) : null;
		if (floor === null || floor < -5 || floor > 100)
			floor = fail('floor', 'roster.reason.floorInvalid');
	} else if (floorCell === '' && room !== null) {
		floor = floorFromRoom(room);
		if (floor === null) fail('floor', 'roster.reason.floorMissing');
	}
	const areaCell = required('area');
	let area: string | null = null;
	if (areaCell !== null) {
		const parsed = parseArea(areaCell);
		if ('area' in parsed) area = parsed.area;
		else fail('area', parsed.reason);
	}
	const occupancyCell = required('occupancy');
	const occupancy = occupancyCell === null ? null : occupancyFor(occupancyCell);
	if (occupancyCell !== null && occupancy === null)
		fail('occupancy', 'roster.reason.occupancyUnknown');
	const ownerCell = read('ownerKey');
	let ownerKey: string | null = null;
	if (ownerCell) {
		const length = [...normaliseOwnerIdentifier(ownerCell)].length;
		if (length < 4 || length > 64) fail('ownerKey', 'roster.reason.ownerKeyInvalid');
		else ownerKey = ownerKeyOf(secret, ownerCell);
	}
	if (
		subdistrict === null ||
		community === null ||
		compound === null ||
		building === null ||
		unit === null ||
		room === null ||
		floor === null ||
		area === null ||
		occupancy === null
	)
		return null;
	return {
		row,
		subdistrict,
		community,
		compound,
		building,
		unit,
		room,
		floor,
		area,
		occupancy,
		ownerKey,
	};
}
