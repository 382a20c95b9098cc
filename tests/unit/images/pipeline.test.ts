import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImagePipeline } from '../../../src/lib/server/images/pipeline.ts';
import type { EncodedImage, ProcessedUpload } from '../../../src/lib/server/images/types.ts';
import {
	buildImage,
	buildJpegWithStrayBytes,
	buildPhoneJpeg,
	exifHasGps,
	leakMarkers,
} from '../../factories/images.ts';

const pipeline = createImagePipeline();

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const sizesOf = (variants: EncodedImage[]) =>
	variants.map((v) => `${v.format} ${v.width}×${v.height}`);

/** The pixel at (x, y) of an encoded image, as [r, g, b]; `ignoreIcc` reads the stored numbers. */
async function pixelAt(
	data: Uint8Array,
	x: number,
	y: number,
	ignoreIcc = false,
): Promise<number[]> {
	const { data: raw, info } = await sharp(data, { ignoreIcc })
		.raw()
		.toBuffer({ resolveWithObject: true });
	const at = (y * info.width + x) * info.channels;
	return [...raw.subarray(at, at + 3)];
}

describe('a phone photo with EXIF orientation 6, GPS, serial number and XMP', () => {
	let input: Buffer;
	let result: ProcessedUpload;

	beforeAll(async () => {
		input = await buildPhoneJpeg({ width: 1200, height: 900, orientation: 6 });
		result = await pipeline.processUpload(input);
	});

	it('really carries the metadata we expect to strip (guards the factory)', async () => {
		const metadata = await sharp(input).metadata();
		expect(metadata.orientation).toBe(6);
		expect(exifHasGps(metadata.exif)).toBe(true);
		expect(metadata.xmp).toBeDefined();
		expect(Buffer.from(input).includes(leakMarkers.serial)).toBe(true);
		expect(Buffer.from(input).includes(leakMarkers.xmp)).toBe(true);
	});

	it('produces JPEG and WebP at 480 and the full 900 width, portrait (width and height swapped)', () => {
		expect(sizesOf(result.variants)).toEqual([
			'jpeg 480×640',
			'webp 480×640',
			'jpeg 900×1200',
			'webp 900×1200',
		]);
	});

	it('strips every piece of metadata from every variant', async () => {
		for (const variant of result.variants) {
			const metadata = await sharp(variant.data).metadata();
			expect(metadata.exif, variant.format).toBeUndefined();
			expect(metadata.xmp).toBeUndefined();
			expect(metadata.iptc).toBeUndefined();
			expect(metadata.icc).toBeUndefined();
			expect(metadata.orientation).toBeUndefined();
			expect(metadata.space).toBe('srgb');
			const bytes = Buffer.from(variant.data);
			for (const marker of [...Object.values(leakMarkers), 'Exif\0\0']) {
				expect(bytes.includes(marker), `${variant.format} contains ${marker}`).toBe(false);
			}
		}
	});

	it('applies the orientation to the pixels: the stored top-left corner is now top-right', async () => {
		const large = result.variants.find((v) => v.format === 'jpeg' && v.width === 900)!;
		const [r, g, b] = await pixelAt(large.data, 900 - 20, 20);
		expect(r).toBeGreaterThan(200);
		expect(g! + b!).toBeLessThan(80);
		const [, , blue] = await pixelAt(large.data, 20, 20);
		expect(blue).toBeGreaterThan(200);
	});

	it('describes each output truthfully: format, type, size, length and hash of the bytes', async () => {
		for (const variant of result.variants) {
			const metadata = await sharp(variant.data).metadata();
			expect(metadata.format).toBe(variant.format);
			expect(variant.contentType).toBe(`image/${variant.format}`);
			expect([metadata.width, metadata.height]).toEqual([variant.width, variant.height]);
			expect(variant.byteLength).toBe(variant.data.length);
			expect(variant.sha256).toBe(sha256(variant.data));
		}
		const jpeg = await sharp(result.variants[0]!.data).metadata();
		expect(jpeg.isProgressive).toBe(true);
	});

	it('returns the original without its metadata, hashed, with its displayed size', () => {
		const { original } = result;
		expect(Buffer.from(original.data).includes(leakMarkers.serial)).toBe(false);
		expect(original.data.length).toBeLessThan(input.length);
		expect(original).toMatchObject({
			format: 'jpeg',
			contentType: 'image/jpeg',
			width: 900,
			height: 1200,
			byteLength: original.data.length,
			sha256: sha256(original.data),
		});
	});

	it('makes a blurred WebP placeholder under 1 KB with the image’s shape', async () => {
		const { placeholder } = result;
		expect(placeholder.byteLength).toBeLessThan(1024);
		expect(placeholder.dataUri.length).toBeLessThan(1024 * 1.4);
		expect(placeholder).toMatchObject({ contentType: 'image/webp', width: 12, height: 16 });
		const data = Buffer.from(placeholder.dataUri.replace('data:image/webp;base64,', ''), 'base64');
		expect(data.length).toBe(placeholder.byteLength);
		const metadata = await sharp(data).metadata();
		expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 12, 16]);
	});

	it('renders AVIF at the same sizes in the slow phase, also without metadata', async () => {
		const avif = await pipeline.renderAvifVariants(result.original.data);
		expect(sizesOf(avif)).toEqual(['avif 480×640', 'avif 900×1200']);
		for (const variant of avif) {
			const metadata = await sharp(variant.data).metadata();
			expect(metadata.format).toBe('heif');
			expect(metadata.compression).toBe('av1');
			expect(metadata.exif).toBeUndefined();
			expect(metadata.xmp).toBeUndefined();
			expect(variant.contentType).toBe('image/avif');
			expect(variant.sha256).toBe(sha256(variant.data));
			expect(Buffer.from(variant.data).includes(leakMarkers.serial)).toBe(false);
		}
		const [r] = await pixelAt(avif[1]!.data, 900 - 20, 20);
		expect(r).toBeGreaterThan(200);
	});
});

describe('every accepted format', () => {
	it.each(['jpeg', 'png', 'webp', 'avif', 'tiff'] as const)(
		'%s is accepted by content and rendered',
		async (format) => {
			const input = await buildImage(format, { width: 1000, height: 500 });
			const result = await pipeline.processUpload(input);
			// TIFF and AVIF originals are kept as a lossless PNG of their pixels (strip.ts).
			expect(result.original.format).toBe(format === 'avif' || format === 'tiff' ? 'png' : format);
			expect(sizesOf(result.variants)).toEqual([
				'jpeg 480×240',
				'webp 480×240',
				'jpeg 960×480',
				'webp 960×480',
				'jpeg 1000×500',
				'webp 1000×500',
			]);
			expect(result.placeholder).toMatchObject({ width: 16, height: 8 });
		},
	);
});

describe('tolerance', () => {
	it('accepts a JPEG whose decoder only warns (stray bytes before a marker)', async () => {
		const result = await pipeline.processUpload(await buildJpegWithStrayBytes());
		expect(result.variants.map((v) => v.width)).toEqual([480, 480, 640, 640]);
	});
});

describe('never upscales', () => {
	it.each([
		[700, 500, ['480×343', '700×500']],
		[300, 200, ['300×200']],
		[1, 1, ['1×1']],
	] as const)('%d × %d yields %j', async (width, height, expected) => {
		const result = await pipeline.processUpload(await buildImage('png', { width, height }));
		const jpegSizes = result.variants
			.filter((v) => v.format === 'jpeg')
			.map((v) => `${v.width}×${v.height}`);
		expect(jpegSizes).toEqual(expected);
	});
});

describe('colour and transparency', () => {
	it('keeps transparency in WebP and puts JPEG on white', async () => {
		const input = await buildImage('png', { width: 600, height: 400, alpha: true });
		const { variants } = await pipeline.processUpload(input);
		const webp = await sharp(variants.find((v) => v.format === 'webp')!.data).metadata();
		expect(webp.hasAlpha).toBe(true);
		const jpeg = variants.find((v) => v.format === 'jpeg')!;
		// rgb(20, 160, 60) at 50 % over white ≈ rgb(138, 208, 158), not over black ≈ (10, 80, 30).
		const [r, g, b] = await pixelAt(jpeg.data, 10, 10);
		expect(r).toBeGreaterThan(120);
		expect(g).toBeGreaterThan(190);
		expect(b).toBeGreaterThan(140);
	});

	it('converts a Display P3 photo to untagged sRGB with the intended colour', async () => {
		const p3 = await sharp({
			create: { width: 500, height: 400, channels: 3, background: '#ff0000' },
		})
			.withIccProfile('p3')
			.jpeg({ quality: 95 })
			.toBuffer();
		const storedAsP3 = await pixelAt(p3, 10, 10, true);
		const { variants } = await pipeline.processUpload(p3);
		const metadata = await sharp(variants[0]!.data).metadata();
		expect(metadata.icc).toBeUndefined();
		const [r, g, b] = await pixelAt(variants[0]!.data, 10, 10);
		// The P3 numbers for sRGB red are about (234, 51, 35); read as sRGB they would look dull.
		expect(storedAsP3[0]).toBeLessThan(245);
		expect(r).toBeGreaterThan(245);
		expect(g! + b!).toBeLessThan(40);
	});

	it('converts a CMYK JPEG and a 16-bit PNG to 8-bit sRGB', async () => {
		const cmyk = await sharp({
			create: { width: 300, height: 200, channels: 3, background: '#3a7' },
		})
			.toColourspace('cmyk')
			.jpeg()
			.toBuffer();
		const deep = await sharp({
			create: { width: 300, height: 200, channels: 3, background: '#3a7' },
		})
			.toColourspace('rgb16')
			.png()
			.toBuffer();
		for (const input of [cmyk, deep]) {
			const { variants } = await pipeline.processUpload(input);
			const metadata = await sharp(variants[0]!.data).metadata();
			expect([metadata.space, metadata.channels, metadata.depth]).toEqual(['srgb', 3, 'uchar']);
			const [r, g, b] = await pixelAt(variants[0]!.data, 5, 5);
			expect(Math.abs(r! - 0x33) + Math.abs(g! - 0xaa) + Math.abs(b! - 0x77)).toBeLessThan(30);
		}
	});
});
