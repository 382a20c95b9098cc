import type { AcceptedFormat } from './types.ts';

/**
 * What the first bytes say. Names and declared MIME types are never consulted: both come from
 * the client, and an HTML page renamed `photo.jpg` must not reach a decoder or a browser.
 */
export type Sniffed =
	| { kind: 'accepted'; format: AcceptedFormat; animated: boolean }
	| { kind: 'refused'; detected: RefusedKind };

/** Known refusals are named only to make logs useful; all get `image_unsupported_type`. */
export type RefusedKind = 'gif' | 'heic' | 'pdf' | 'bmp' | 'bigtiff' | 'markup' | 'unknown';

const accepted = (format: AcceptedFormat, animated = false): Sniffed => ({
	kind: 'accepted',
	format,
	animated,
});
const refused = (detected: RefusedKind): Sniffed => ({ kind: 'refused', detected });

/** Identifies an upload by its magic bytes; cheap (reads headers, walks PNG chunks to IDAT). */
export function sniffImage(bytes: Uint8Array): Sniffed {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return accepted('jpeg');
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
		return accepted('png', pngHasAnimationControl(bytes));
	}
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
		return accepted('webp', webpIsAnimated(bytes));
	}
	if (ascii(bytes, 4, 4) === 'ftyp') return sniffIsoMedia(bytes);
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
		return accepted('tiff');
	}
	// BigTIFF exists for files over 4 GB; nothing under our 20 MB limit needs it.
	if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) {
		return refused('bigtiff');
	}
	if (ascii(bytes, 0, 3) === 'GIF') return refused('gif');
	if (ascii(bytes, 0, 5) === '%PDF-') return refused('pdf');
	if (ascii(bytes, 0, 2) === 'BM') return refused('bmp');
	if (looksLikeMarkup(bytes)) return refused('markup');
	return refused('unknown');
}

/** ISO base media (HEIF family): AVIF is accepted, HEIC/HEIF (HEVC, not decodable here) is not. */
function sniffIsoMedia(bytes: Uint8Array): Sniffed {
	const boxSize = readUint32BE(bytes, 0);
	const end = Math.min(boxSize, bytes.length);
	const major = ascii(bytes, 8, 4);
	const brands = [major];
	for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, 4));
	if (brands.includes('avif') || brands.includes('avis')) {
		// 'avis' as the major brand marks an image sequence (animated AVIF).
		return accepted('avif', major === 'avis');
	}
	if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(major)) {
		return refused('heic');
	}
	return refused('unknown');
}

/** An APNG declares itself with an acTL chunk before the first IDAT. */
function pngHasAnimationControl(bytes: Uint8Array): boolean {
	let offset = 8;
	while (offset + 8 <= bytes.length) {
		const type = ascii(bytes, offset + 4, 4);
		if (type === 'acTL') return true;
		if (type === 'IDAT' || type === 'IEND') return false;
		offset += 12 + readUint32BE(bytes, offset); // length, type, data, CRC
	}
	return false;
}

/** Extended WebP (VP8X) carries an animation flag in its first flags byte. */
function webpIsAnimated(bytes: Uint8Array): boolean {
	return ascii(bytes, 12, 4) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0;
}

/** SVG, HTML and XML start with `<` after an optional BOM and whitespace. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
	let offset = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
	while (offset < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[offset]!)) offset++;
	return bytes[offset] === 0x3c;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
	return prefix.length <= bytes.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
	if (offset + length > bytes.length) return '';
	return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function readUint32BE(bytes: Uint8Array, offset: number): number {
	if (offset + 4 > bytes.length) return 0;
	return (
		((bytes[offset]! << 24) >>> 0) +
		(bytes[offset + 1]! << 16) +
		(bytes[offset + 2]! << 8) +
		bytes[offset + 3]!
	);
}
