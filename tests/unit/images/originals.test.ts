import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImagePipeline } from '../../../src/lib/server/images/pipeline.ts';
import { buildPhoneJpeg, exifHasGps, leakMarkers } from '../../factories/images.ts';

/**
 * The stored original is read back: pixels and colour profile are there, and no EXIF (beyond
 * a JPEG's orientation), XMP, IPTC, comment or text chunk is (issue 20: originals kept the GPS
 * position, camera make and model and comment text).
 */
const pipeline = createImagePipeline();
const COMMENT = 'gongjian-secret-comment';
const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${leakMarkers.xmp}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`;
const exif = {
	IFD0: { Make: leakMarkers.make, Model: 'X1' },
	IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100' },
};

/** A JPEG segment (COM, or an IPTC APP13) inserted right after SOI. */
function withJpegSegment(jpeg: Buffer, marker: number, payload: string): Buffer {
	const body = Buffer.from(payload, 'latin1');
	const head = Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
	return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

/** A PNG text chunk inserted after IHDR. */
function withPngText(png: Buffer, type: 'tEXt' | 'iTXt', text: string): Buffer {
	const data = Buffer.from(text, 'latin1');
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const chunk = Buffer.alloc(12 + data.length);
	chunk.writeUInt32BE(data.length, 0);
	typed.copy(chunk, 4);
	chunk.writeUInt32BE(crc32(typed), 8 + data.length);
	return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

const base = () =>
	sharp({
		create: {
			width: 64,
			height: 48,
			channels: 3,
			background: '#808080',
			noise: { type: 'gaussian', mean: 128, sigma: 40 },
		},
	});

const inputs: [string, () => Promise<Buffer>][] = [
	[
		'phone JPEG (EXIF with GPS, XMP, IPTC, a comment, orientation 6)',
		async () =>
			withJpegSegment(
				withJpegSegment(await buildPhoneJpeg(), 0xfe, COMMENT),
				0xed,
				`Photoshop 3.0\u00008BIM\u0004\u0004\u0000\u0000\u0000\u0000\u0000\u0010\u001c\u0002\u0078\u0000\u000b${COMMENT}`,
			),
	],
	[
		'JPEG with a colour profile',
		async () =>
			withJpegSegment(
				await base().withIccProfile('p3').withExif(exif).withXmp(XMP).jpeg().toBuffer(),
				0xfe,
				COMMENT,
			),
	],
	[
		'PNG with a profile, EXIF, XMP and text',
		async () =>
			withPngText(
				await base().withIccProfile('p3').withExif(exif).withXmp(XMP).png().toBuffer(),
				'tEXt',
				`Comment\u0000${COMMENT}`,
			),
	],
	[
		'WebP with a profile, EXIF and XMP',
		() =>
			base().withIccProfile('p3').withExif(exif).withXmp(XMP).webp({ lossless: true }).toBuffer(),
	],
	['TIFF with EXIF and XMP', () => base().withExif(exif).withXmp(XMP).tiff().toBuffer()],
	[
		'AVIF with EXIF and XMP',
		() => base().withExif(exif).withXmp(XMP).avif({ effort: 0 }).toBuffer(),
	],
];

describe('stored originals keep pixels and colour profile only', () => {
	it.each(inputs)('%s', async (_, build) => {
		const input = await build();
		const { original } = await pipeline.processUpload(new Uint8Array(input));
		const stored = Buffer.from(original.data);
		const meta = await sharp(stored).metadata();
		const before = await sharp(input).metadata();
		for (const marker of [leakMarkers.make, leakMarkers.serial, leakMarkers.xmp, COMMENT])
			expect(stored.includes(Buffer.from(marker, 'latin1')), marker).toBe(false);
		expect(meta.xmp).toBeUndefined();
		expect(meta.iptc).toBeUndefined();
		expect(meta.comments ?? []).toEqual([]);
		expect(exifHasGps(meta.exif)).toBe(false);
		// Only a JPEG keeps EXIF, and only its orientation.
		if (meta.exif) expect(meta.exif.length).toBeLessThan(40);
		expect(meta.orientation ?? 1).toBe(original.format === 'jpeg' ? (before.orientation ?? 1) : 1);
		expect(Boolean(meta.icc)).toBe(Boolean(before.icc));
		// The same pixels, as displayed.
		const pixels = async (b: Buffer) => sharp(b).rotate().raw().toBuffer();
		expect((await pixels(stored)).equals(await pixels(input))).toBe(true);
		expect(original.sha256).not.toBe('');
	});
});
