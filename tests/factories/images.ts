import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Create } from 'sharp';

/**
 * Real images for the image pipeline's tests, generated with sharp (or by hand where sharp
 * cannot write the thing: a pixel bomb, an APNG). Marker strings let a test grep outputs for
 * leaked metadata.
 */
export const leakMarkers = {
	make: 'GongjianTestPhoneMaker',
	serial: 'SERIAL-0123456789',
	xmp: 'gongjian-secret-location',
} as const;

type Size = { width: number; height: number };

/**
 * A phone-style JPEG: stored width × height, a red square in the stored top-left corner on blue,
 * EXIF orientation (default 6: displayed rotated 90° clockwise), camera make/model/serial, a GPS
 * position (Beijing), and XMP carrying a location string.
 */
export async function buildPhoneJpeg(
	{ width, height, orientation = 6 }: Size & { orientation?: number } = {
		width: 1200,
		height: 900,
	},
): Promise<Buffer> {
	const marker = Math.round(Math.min(width, height) / 4);
	const red = await sharp({
		create: { width: marker, height: marker, channels: 3, background: '#ff0000' },
	})
		.png()
		.toBuffer();
	return sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
		.composite([{ input: red, left: 0, top: 0 }])
		.withMetadata({ orientation })
		.withExifMerge({
			IFD0: { Make: leakMarkers.make, Model: 'X1' },
			IFD2: { BodySerialNumber: leakMarkers.serial },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '39/1 54/1 2700/100',
				GPSLongitudeRef: 'E',
				GPSLongitude: '116/1 23/1 1700/100',
			},
		})
		.withXmp(
			`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${leakMarkers.xmp}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`,
		)
		.jpeg({ quality: 90 })
		.toBuffer();
}

export type BuildableFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff' | 'gif';

/**
 * A plain image of one colour, or of noise (which compresses badly, so truncation hits pixel
 * data); `alpha` gives the plain colour a half-transparent background.
 */
export async function buildImage(
	format: BuildableFormat,
	{ width, height, alpha = false, noise = false }: Size & { alpha?: boolean; noise?: boolean },
): Promise<Buffer> {
	const background = alpha ? { r: 20, g: 160, b: 60, alpha: 0.5 } : '#14a03c';
	const create: Create = noise
		? noiseOf(width, height)
		: { width, height, channels: alpha ? 4 : 3, background };
	return sharp({ create }).toFormat(format).toBuffer();
}

/** Gaussian grey noise (sharp's typings want a background too; noise paints over it). */
function noiseOf(width: number, height: number): Create {
	const noise = { type: 'gaussian', mean: 128, sigma: 40 } as const;
	return { width, height, channels: 3, background: '#808080', noise };
}

/**
 * A 12 MP (4000 × 3000) JPEG with photo-like texture (smoothed noise), about 2.5 MB at q90 —
 * what a mid-range phone uploads.
 */
export async function buildPhoto12mp(): Promise<Buffer> {
	return sharp({ create: noiseOf(4000, 3000) })
		.blur(1.5)
		.jpeg({ quality: 90 })
		.toBuffer();
}

/** Three frames of colour, joined as an animation and written as `format`. */
export async function buildAnimation(format: 'webp' | 'gif' | 'tiff'): Promise<Buffer> {
	const frames = await Promise.all(
		['#ff0000', '#00ff00', '#0000ff'].map((background) =>
			sharp({ create: { width: 64, height: 48, channels: 3, background } })
				.png()
				.toBuffer(),
		),
	);
	return sharp(frames, { join: { animated: true } })
		.toFormat(format)
		.toBuffer();
}

/**
 * A PNG whose header says width × height, one bit per pixel, all black: 20000 × 20000 is 400 MP
 * (1.2 GB decoded as RGB) yet about 60 KB on disk. Written by hand, since asking sharp to
 * create it would mean allocating the pixels.
 */
export function buildPngBomb(width = 20_000, height = 20_000): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
	const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 + zero bits
	return Buffer.concat([
		pngSignature,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(rows, { level: 9 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * A valid two-frame APNG (acTL, fcTL + IDAT, fcTL + fdAT), built around a sharp PNG: sharp
 * cannot write APNG, and libvips reads only its first frame.
 */
export async function buildApng(): Promise<Buffer> {
	const png = await buildImage('png', { width: 32, height: 24 });
	const chunks = readPngChunks(png);
	const ihdr = chunks.find((c) => c.type === 'IHDR')!;
	const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
	const actl = Buffer.alloc(8);
	actl.writeUInt32BE(2, 0); // two frames, loop forever
	const fdat = Buffer.concat([uint32(2), idat]);
	return Buffer.concat([
		pngSignature,
		pngChunk('IHDR', ihdr.data),
		pngChunk('acTL', actl),
		pngChunk('fcTL', frameControl(0, 32, 24)),
		pngChunk('IDAT', idat),
		pngChunk('fcTL', frameControl(1, 32, 24)),
		pngChunk('fdAT', fdat),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** The first `fraction` of a valid JPEG, as a phone upload cut off by a dropped connection. */
export async function buildTruncatedJpeg(fraction = 0.6): Promise<Buffer> {
	const jpeg = await buildPhoneJpeg({ width: 800, height: 600, orientation: 1 });
	return jpeg.subarray(0, Math.floor(jpeg.length * fraction));
}

/**
 * A JPEG with four stray bytes before its start-of-scan marker: libjpeg warns ("extraneous
 * bytes before marker") but decodes it fine, as it does many real phone photos.
 */
export async function buildJpegWithStrayBytes(): Promise<Buffer> {
	const jpeg = await buildImage('jpeg', { width: 640, height: 480 });
	const startOfScan = jpeg.indexOf(Buffer.from([0xff, 0xda]));
	return Buffer.concat([
		jpeg.subarray(0, startOfScan),
		Buffer.from([1, 2, 3, 4]),
		jpeg.subarray(startOfScan),
	]);
}

/** Non-image payloads, each as a browser would upload it under a `.jpg` name. */
export const impostors = {
	svg: Buffer.from(
		'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
	),
	html: Buffer.from(
		'<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
	),
	/** HTML behind a JPEG start-of-image marker: passes a naive magic check, fails the decoder. */
	htmlWithJpegMagic: Buffer.concat([
		Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
		Buffer.from('<html><script>alert(1)</script></html>'),
	]),
	pdf: Buffer.from(
		'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
	),
	/** An ISO-BMFF header with the HEIC brand, as an iPhone writes. */
	heic: Buffer.concat([uint32(24), Buffer.from('ftypheic'), uint32(0), Buffer.from('mif1heic')]),
	/** An ISO-BMFF header with the AVIF sequence brand, as an animated AVIF starts. */
	avifSequence: Buffer.concat([
		uint32(24),
		Buffer.from('ftypavis'),
		uint32(0),
		Buffer.from('avifmif1'),
		Buffer.alloc(64),
	]),
	bmp: Buffer.concat([Buffer.from('BM'), Buffer.alloc(64)]),
	text: Buffer.from('just some text, named holiday.jpg'),
} as const;

/**
 * Whether an EXIF block (as sharp's `metadata().exif` returns it, starting `Exif\0\0`) points to
 * a GPS IFD with at least one entry. Reads the TIFF structure directly.
 */
export function exifHasGps(exif: Buffer | undefined): boolean {
	if (!exif) return false;
	const tiff = exif.subarray(6);
	const little = tiff.toString('latin1', 0, 2) === 'II';
	const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
	const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
	const ifd0 = u32(4);
	for (let i = 0; i < u16(ifd0); i++) {
		const entry = ifd0 + 2 + i * 12;
		if (u16(entry) === 0x8825) return u16(u32(entry + 8)) > 0; // GPSInfo IFD pointer
	}
	return false;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	return Buffer.concat([uint32(data.length), typeAndData, uint32(crc32(typeAndData))]);
}

function readPngChunks(png: Buffer): { type: string; data: Buffer }[] {
	const chunks: { type: string; data: Buffer }[] = [];
	for (let at = 8; at + 8 <= png.length;) {
		const length = png.readUInt32BE(at);
		chunks.push({
			type: png.toString('latin1', at + 4, at + 8),
			data: png.subarray(at + 8, at + 8 + length),
		});
		at += 12 + length;
	}
	return chunks;
}

function frameControl(sequence: number, width: number, height: number): Buffer {
	const fctl = Buffer.alloc(26);
	fctl.writeUInt32BE(sequence, 0);
	fctl.writeUInt32BE(width, 4);
	fctl.writeUInt32BE(height, 8);
	fctl.writeUInt16BE(1, 20); // delay 1/10 s
	fctl.writeUInt16BE(10, 22);
	return fctl;
}

function uint32(value: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32BE(value >>> 0, 0);
	return buffer;
}
