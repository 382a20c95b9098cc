import { createHash } from 'node:crypto';
import { DomainError } from '../shared/index.ts';
import { parseCsv } from './csv.ts';
import { decodeText } from './decode.ts';
import { rosterLimits } from './limits.ts';
import type { SheetSource } from './sheet.ts';
import { readXlsx } from './xlsx.ts';

/** ZIP local file header: every XLSX starts with it. */
const isZip = (bytes: Uint8Array) =>
	bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Old binary Excel (.xls, OLE2): recognised only to say "save as .xlsx". */
const isOle = (bytes: Uint8Array) =>
	[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, i) => bytes[i] === byte);

/** SHA-256 of the uploaded bytes, shown with the dry run and recorded in the audit entry. */
export function fileHash(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads an uploaded roster: XLSX by its content (never by its name), otherwise CSV in any of
 * the encodings decodeText recognises. Throws DomainError('invalid') with a roster.file.* key
 * for an empty or oversized file, old .xls, a malformed or oversized XLSX, or too many rows.
 */
export function parseRosterFile(bytes: Uint8Array): SheetSource {
	if (bytes.length === 0) throw new DomainError('invalid', 'roster.file.empty');
	if (bytes.length > rosterLimits.fileBytes) {
		throw new DomainError('invalid', 'roster.file.tooLarge', {
			params: { max: rosterLimits.fileBytes / 1024 / 1024 },
		});
	}
	if (isOle(bytes)) throw new DomainError('invalid', 'roster.file.xlsOld');
	if (isZip(bytes)) return { format: 'xlsx', encoding: null, rows: readXlsx(bytes) };
	const decoded = decodeText(bytes);
	if (decoded.text.includes('\u0000')) throw new DomainError('invalid', 'roster.file.binary');
	return { format: 'csv', encoding: decoded.encoding, rows: parseCsv(decoded.text) };
}
