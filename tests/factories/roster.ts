import zlib from 'node:zlib';
import { toCsv } from '../../src/lib/server/shared/csv.ts';
import {
	columnKeys,
	templateHeaders,
	type ColumnKey,
	type TemplateLanguage,
} from '../../src/lib/server/roster/template.ts';
import { writeXlsx } from '../../src/lib/server/roster/xlsx.ts';

export type RosterLine = Partial<Record<ColumnKey, string>>;

/** A roster's rows as cells in template order, with the header row first. */
export function rosterTable(lines: RosterLine[], language: TemplateLanguage = 'zh-CN'): string[][] {
	return [
		templateHeaders(language),
		...lines.map((line) => columnKeys.map((key) => line[key] ?? '')),
	];
}

/** Plain CSV text (no BOM, no escaping: tests write hostile cells on purpose). */
export function csvText(table: string[][]): string {
	return table
		.map((cells) =>
			cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
		)
		.join('\r\n');
}

export function utf8Csv(
	lines: RosterLine[],
	options: { bom?: boolean; language?: TemplateLanguage } = {},
) {
	const text = csvText(rosterTable(lines, options.language));
	return new TextEncoder().encode(options.bom ? `\uFEFF${text}` : text);
}

/** The same roster as our export writes it (escaped, BOM, CRLF). */
export function exportedCsv(lines: RosterLine[]): Uint8Array {
	return new TextEncoder().encode(toCsv(rosterTable(lines)));
}

export function xlsxRoster(lines: RosterLine[], language: TemplateLanguage = 'zh-CN'): Uint8Array {
	return writeXlsx([{ name: 'Sheet1', rows: rosterTable(lines, language) }]);
}

let gbkTable: Map<string, number[]> | null = null;

/**
 * Encodes text as GBK, the way Chinese Excel writes "CSV": the table is built by decoding every
 * two-byte GBK sequence with the platform's decoder and inverting it (Node has no GBK encoder).
 */
export function encodeGbk(text: string): Uint8Array {
	if (!gbkTable) {
		gbkTable = new Map();
		const decoder = new TextDecoder('gbk', { fatal: true });
		for (let lead = 0x81; lead <= 0xfe; lead++) {
			for (let trail = 0x40; trail <= 0xfe; trail++) {
				if (trail === 0x7f) continue;
				try {
					const char = decoder.decode(new Uint8Array([lead, trail]));
					if (!gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
				} catch {
					// not a GBK sequence
				}
			}
		}
	}
	const bytes: number[] = [];
	for (const char of text) {
		if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
		else {
			const code = gbkTable.get(char);
			if (!code) throw new Error(`not in GBK: ${char}`);
			bytes.push(...code);
		}
	}
	return new Uint8Array(bytes);
}

/** `count` households in a compound: buildings of 2 units × 6 floors × 2 flats, owner per flat. */
export function generatedRoster(
	count: number,
	place: { community: string; compound: string; subdistrict?: string },
	options: { area?: (i: number) => string; ownerPrefix?: string; firstBuilding?: number } = {},
): RosterLine[] {
	const lines: RosterLine[] = [];
	for (let i = 0; i < count; i++) {
		const building = (options.firstBuilding ?? 1) + Math.floor(i / 24);
		const unit = 1 + (Math.floor(i / 12) % 2);
		const floor = 1 + (Math.floor(i / 2) % 6);
		const flat = 1 + (i % 2);
		lines.push({
			subdistrict: place.subdistrict ?? '',
			community: place.community,
			compound: place.compound,
			building: String(building),
			unit: String(unit),
			room: `${floor}0${flat}`,
			area: options.area ? options.area(i) : (60 + (i % 50) + (i % 7) / 4).toFixed(2),
			occupancy: ['自住', '出租', '空置'][i % 3]!,
			ownerKey: `${options.ownerPrefix ?? 'CERT'}-${String(i).padStart(6, '0')}`,
		});
	}
	return lines;
}

/** A ZIP with one stored or deflated entry whose header may lie about its size. */
export function craftedZip(
	entries: {
		name: string;
		data: Uint8Array;
		declaredSize?: number;
		flags?: number;
		crc?: number;
	}[],
): Uint8Array {
	const parts: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name);
		const compressed = zlib.deflateRawSync(entry.data);
		const size = entry.declaredSize ?? entry.data.length;
		const crc = entry.crc ?? zlib.crc32(entry.data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(entry.flags ?? 0, 6);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(compressed.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		parts.push(local, name, compressed);
		const dir = Buffer.alloc(46);
		dir.writeUInt32LE(0x02014b50, 0);
		dir.writeUInt16LE(20, 4);
		dir.writeUInt16LE(20, 6);
		dir.writeUInt16LE(entry.flags ?? 0, 8);
		dir.writeUInt16LE(8, 10);
		dir.writeUInt32LE(crc, 16);
		dir.writeUInt32LE(compressed.length, 20);
		dir.writeUInt32LE(size, 24);
		dir.writeUInt16LE(name.length, 28);
		dir.writeUInt32LE(offset, 42);
		central.push(dir, name);
		offset += 30 + name.length + compressed.length;
	}
	const centralSize = central.reduce((sum, b) => sum + b.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(centralSize, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, ...central, end]);
}

const xml = (text: string) => new TextEncoder().encode(text);

/** A hand-written XLSX (shared strings, formulas, whatever the sheet XML says). */
export function handXlsx(
	sheetData: string,
	sharedStrings?: string[],
	extra: { doctype?: boolean } = {},
): Uint8Array {
	const head = `<?xml version="1.0" encoding="UTF-8"?>${extra.doctype ? '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' : ''}`;
	const entries = [
		{
			name: 'xl/workbook.xml',
			data: xml(
				`${head}<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`,
			),
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			data: xml(
				`${head}<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`,
			),
		},
		{
			name: 'xl/worksheets/sheet1.xml',
			data: xml(`${head}<worksheet><sheetData>${sheetData}</sheetData></worksheet>`),
		},
	];
	if (sharedStrings) {
		entries.push({
			name: 'xl/sharedStrings.xml',
			data: xml(`${head}<sst>${sharedStrings.map((s) => `<si>${s}</si>`).join('')}</sst>`),
		});
	}
	return craftedZip(entries);
}
