import zlib from 'node:zlib';
import { DomainError } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';

/**
 * Just enough of the ZIP format for XLSX, written for hostile input: the central directory is
 * read with bounds checks, only the entries asked for are inflated, every entry's declared size
 * is checked against a limit BEFORE inflating and the inflater is capped at that declared size
 * (a zip bomb that lies about its size stops at the cap), and the CRC is verified. No ZIP64,
 * no encryption, no methods but stored and deflate: an XLSX of a roster needs none of them.
 */
export type ZipEntry = {
	name: string;
	method: number;
	flags: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const invalid = () => new DomainError('invalid', 'roster.file.xlsxInvalid');
const tooLarge = () =>
	new DomainError('invalid', 'roster.file.xlsxTooLarge', {
		params: { max: Math.round(rosterLimits.inflatedTotalBytes / 1024 / 1024) },
	});

function view(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
	const data = view(bytes);
	const lowest = Math.max(0, bytes.length - 22 - 0xffff);
	for (let i = bytes.length - 22; i >= lowest; i--) {
		if (data.getUint32(i, true) === EOCD) return i;
	}
	throw invalid();
}

/** The entries of a ZIP file by name. Throws DomainError('invalid') for anything malformed. */
export function listZip(bytes: Uint8Array): Map<string, ZipEntry> {
	if (bytes.length < 22) throw invalid();
	const data = view(bytes);
	const end = findEndOfCentralDirectory(bytes);
	const count = data.getUint16(end + 10, true);
	const size = data.getUint32(end + 12, true);
	const offset = data.getUint32(end + 16, true);
	if (count === 0xffff || offset === 0xffffffff) throw invalid(); // ZIP64
	if (count > rosterLimits.zipEntries) throw invalid();
	if (offset + size > end) throw invalid();
	const entries = new Map<string, ZipEntry>();
	const decoder = new TextDecoder('utf-8');
	let at = offset;
	for (let i = 0; i < count; i++) {
		if (at + 46 > end || data.getUint32(at, true) !== CENTRAL) throw invalid();
		const nameLength = data.getUint16(at + 28, true);
		const extraLength = data.getUint16(at + 30, true);
		const commentLength = data.getUint16(at + 32, true);
		if (at + 46 + nameLength > end) throw invalid();
		const entry: ZipEntry = {
			flags: data.getUint16(at + 8, true),
			method: data.getUint16(at + 10, true),
			crc: data.getUint32(at + 16, true),
			compressedSize: data.getUint32(at + 20, true),
			size: data.getUint32(at + 24, true),
			localOffset: data.getUint32(at + 42, true),
			name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
		};
		entries.set(entry.name, entry);
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

/** Bytes left to inflate for one file; shared by every entry read from it. */
export type InflateBudget = { remaining: number };

export function inflateBudget(): InflateBudget {
	return { remaining: rosterLimits.inflatedTotalBytes };
}

/**
 * One entry's content. Refuses (DomainError 'invalid') encrypted entries, unknown methods,
 * declared sizes over the limits, output larger than declared, and CRC mismatches.
 */
export function readZipEntry(
	bytes: Uint8Array,
	entry: ZipEntry,
	budget: InflateBudget,
): Uint8Array {
	if (entry.flags & 0x1) throw invalid();
	if (entry.size > rosterLimits.inflatedEntryBytes || entry.size > budget.remaining)
		throw tooLarge();
	const data = view(bytes);
	const at = entry.localOffset;
	if (at + 30 > bytes.length || data.getUint32(at, true) !== LOCAL) throw invalid();
	const start = at + 30 + data.getUint16(at + 26, true) + data.getUint16(at + 28, true);
	const stop = start + entry.compressedSize;
	if (stop > bytes.length) throw invalid();
	const raw = bytes.subarray(start, stop);
	let content: Uint8Array;
	if (entry.method === 0) content = raw;
	else if (entry.method === 8) {
		if (entry.size === 0) content = new Uint8Array();
		else {
			try {
				content = zlib.inflateRawSync(raw, { maxOutputLength: entry.size });
			} catch (error) {
				if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
				throw invalid();
			}
		}
	} else throw invalid();
	if (content.length !== entry.size || zlib.crc32(content) !== entry.crc) throw invalid();
	budget.remaining -= content.length;
	return content;
}

/** Builds a ZIP (deflated entries, fixed timestamps so the same content gives the same bytes). */
export function writeZip(files: { name: string; data: Uint8Array }[]): Uint8Array {
	const encoder = new TextEncoder();
	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const file of files) {
		const name = encoder.encode(file.name);
		const compressed = zlib.deflateRawSync(file.data);
		const crc = zlib.crc32(file.data);
		const local = new Uint8Array(30 + name.length);
		const l = view(local);
		l.setUint32(0, LOCAL, true);
		l.setUint16(4, 20, true);
		l.setUint16(6, 0x0800, true); // UTF-8 names
		l.setUint16(8, 8, true);
		l.setUint16(10, 0, true); // 00:00
		l.setUint16(12, 0x21, true); // 1980-01-01
		l.setUint32(14, crc, true);
		l.setUint32(18, compressed.length, true);
		l.setUint32(22, file.data.length, true);
		l.setUint16(26, name.length, true);
		local.set(name, 30);
		const central = new Uint8Array(46 + name.length);
		const c = view(central);
		c.setUint32(0, CENTRAL, true);
		c.setUint16(4, 20, true);
		c.setUint16(6, 20, true);
		c.setUint16(8, 0x0800, true);
		c.setUint16(10, 8, true);
		c.setUint16(14, 0x21, true);
		c.setUint32(16, crc, true);
		c.setUint32(20, compressed.length, true);
		c.setUint32(24, file.data.length, true);
		c.setUint16(28, name.length, true);
		c.setUint32(42, offset, true);
		central.set(name, 46);
		locals.push(local, compressed);
		centrals.push(central);
		offset += local.length + compressed.length;
	}
	const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
	const end = new Uint8Array(22);
	const e = view(end);
	e.setUint32(0, EOCD, true);
	e.setUint16(8, files.length, true);
	e.setUint16(10, files.length, true);
	e.setUint32(12, centralSize, true);
	e.setUint32(16, offset, true);
	return Buffer.concat([...locals, ...centrals, end]);
}
