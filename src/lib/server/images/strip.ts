import sharp from 'sharp';
import type { AcceptedFormat } from './types.ts';

/**
 * The stored original keeps its pixels and colour profile, nothing else: no EXIF (GPS, camera
 * make, model and serial), XMP, IPTC, comments or text chunks. JPEG, PNG and WebP are cut at the
 * byte level (the compressed pixels stay bit for bit); TIFF and AVIF, whose metadata lives in
 * structures too varied to cut safely, become a lossless PNG of their decoded pixels with the
 * ICC profile. A JPEG's EXIF orientation is kept as a 1-tag EXIF block, since it says how the
 * stored pixels are meant to be shown.
 */
export async function stripMetadata(
	bytes: Uint8Array,
	format: AcceptedFormat,
): Promise<{ bytes: Uint8Array; format: AcceptedFormat }> {
	if (format === 'jpeg') return { bytes: stripJpeg(bytes, await orientationOf(bytes)), format };
	if (format === 'png') return { bytes: stripPng(bytes), format };
	if (format === 'webp') return { bytes: stripWebp(bytes), format };
	const png = await sharp(bytes, { limitInputPixels: false })
		.rotate()
		.keepIccProfile()
		.png({ compressionLevel: 6 })
		.toBuffer();
	return { bytes: new Uint8Array(png), format: 'png' };
}

async function orientationOf(bytes: Uint8Array): Promise<number> {
	return (await sharp(bytes, { limitInputPixels: false }).metadata()).orientation ?? 1;
}

/** JPEG segments kept: JFIF (APP0), ICC profile (APP2), Adobe colour transform (APP14). */
function keepJpegSegment(marker: number, payload: Uint8Array): boolean {
	if (marker === 0xe0 || marker === 0xee) return true;
	if (marker === 0xe2) return ascii(payload, 0, 12) === 'ICC_PROFILE\0';
	return !(marker >= 0xe0 && marker <= 0xef) && marker !== 0xfe; // other APPn, COM: dropped
}

function stripJpeg(bytes: Uint8Array, orientation: number): Uint8Array {
	const out: Uint8Array[] = [bytes.subarray(0, 2)];
	if (orientation > 1 && orientation <= 8) out.push(orientationExif(orientation));
	let at = 2;
	while (at + 4 <= bytes.length && bytes[at] === 0xff) {
		const marker = bytes[at + 1]!;
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		if (marker === 0xda || marker === 0xd9) break; // start of scan: the rest is pixel data
		const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
		const segment = bytes.subarray(at, at + 2 + length);
		if (keepJpegSegment(marker, segment.subarray(4))) out.push(segment);
		at += 2 + length;
	}
	out.push(bytes.subarray(at));
	return concat(out);
}

/** An APP1 EXIF block holding only the orientation tag (big-endian TIFF, one IFD entry). */
function orientationExif(orientation: number): Uint8Array {
	const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1];
	const body = [...tiff, 0, orientation, 0, 0, 0, 0, 0, 0];
	const payload = [...new TextEncoder().encode('Exif\0\0'), ...body];
	const length = payload.length + 2;
	return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

/** PNG chunks kept: the image itself and how to show its colours. */
const PNG_KEEP = new Set([
	'IHDR',
	'PLTE',
	'IDAT',
	'IEND',
	'tRNS',
	'iCCP',
	'sRGB',
	'gAMA',
	'cHRM',
	'sBIT',
	'pHYs',
]);

function stripPng(bytes: Uint8Array): Uint8Array {
	const out: Uint8Array[] = [bytes.subarray(0, 8)];
	let at = 8;
	while (at + 12 <= bytes.length) {
		const length = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0);
		const type = ascii(bytes, at + 4, 4);
		const end = at + 12 + length;
		if (PNG_KEEP.has(type)) out.push(bytes.subarray(at, end));
		at = end;
		if (type === 'IEND') break;
	}
	return concat(out);
}

/** WebP (RIFF) chunks dropped: EXIF and XMP, with their flags in the VP8X header cleared. */
function stripWebp(bytes: Uint8Array): Uint8Array {
	const chunks: Uint8Array[] = [];
	let at = 12;
	while (at + 8 <= bytes.length) {
		const size = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(4, true);
		const type = ascii(bytes, at, 4);
		const end = Math.min(bytes.length, at + 8 + size + (size % 2));
		if (type === 'VP8X') {
			const chunk = bytes.slice(at, end);
			chunk[8] = chunk[8]! & ~(0x08 | 0x04); // EXIF and XMP flags
			chunks.push(chunk);
		} else if (type !== 'EXIF' && type !== 'XMP ') chunks.push(bytes.subarray(at, end));
		at = end;
	}
	const body = concat(chunks);
	const header = bytes.slice(0, 12);
	new DataView(header.buffer).setUint32(4, body.length + 4, true);
	return concat([header, body]);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(at, at + length));
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}
