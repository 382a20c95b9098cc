import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageError, type ImageErrorCode } from '../../../src/lib/server/images/errors.ts';
import { createImagePipeline } from '../../../src/lib/server/images/pipeline.ts';
import {
	buildAnimation,
	buildApng,
	buildImage,
	buildPngBomb,
	buildTruncatedJpeg,
	impostors,
} from '../../factories/images.ts';

const pipeline = createImagePipeline();

/** Runs both phases on `input`; each must refuse with `code`, producing nothing. */
async function expectRefused(input: Uint8Array, code: ImageErrorCode): Promise<void> {
	for (const phase of [pipeline.processUpload, pipeline.renderAvifVariants]) {
		let outcome: unknown;
		try {
			outcome = await phase(input);
		} catch (error) {
			outcome = error;
		}
		expect(outcome).toBeInstanceOf(ImageError);
		expect((outcome as ImageError).code).toBe(code);
	}
	expect(pipeline.stats()).toEqual({ active: 0, queued: 0 });
}

describe('refusals, each with its own code', () => {
	it.each([
		['zero bytes', 'image_empty', () => new Uint8Array(0)],
		['SVG (with a script) named .jpg', 'image_unsupported_type', () => impostors.svg],
		['HTML named .jpg', 'image_unsupported_type', () => impostors.html],
		['HTML behind a JPEG marker', 'image_corrupt', () => impostors.htmlWithJpegMagic],
		['PDF', 'image_unsupported_type', () => impostors.pdf],
		['HEIC (cannot be decoded here)', 'image_unsupported_type', () => impostors.heic],
		['BMP', 'image_unsupported_type', () => impostors.bmp],
		['plain text', 'image_unsupported_type', () => impostors.text],
		['a still GIF', 'image_unsupported_type', () => buildImage('gif', { width: 40, height: 30 })],
		['an animated GIF', 'image_unsupported_type', () => buildAnimation('gif')],
		['an animated WebP', 'image_animated', () => buildAnimation('webp')],
		['an APNG', 'image_animated', () => buildApng()],
		['an AVIF sequence', 'image_animated', () => impostors.avifSequence],
		['a multi-page TIFF', 'image_animated', () => buildAnimation('tiff')],
		['a truncated JPEG (60 %)', 'image_corrupt', () => buildTruncatedJpeg(0.6)],
		['a truncated JPEG (98 %)', 'image_corrupt', () => buildTruncatedJpeg(0.98)],
		['a JPEG header and nothing else', 'image_corrupt', () => buildTruncatedJpeg(0.01)],
		['a truncated PNG', 'image_corrupt', () => truncate(buildImage('png', noisy))],
		['a truncated WebP', 'image_corrupt', () => truncate(buildImage('webp', noisy))],
		['a PNG with its bytes scrambled after the header', 'image_corrupt', () => scramble()],
	] as const)('%s → %s', async (_name, code, build) => {
		await expectRefused(await build(), code);
	});

	it('refuses a 20000 × 20000 PNG bomb from its header, without decoding it', async () => {
		const bomb = buildPngBomb(20_000, 20_000);
		expect(bomb.length).toBeLessThan(100_000);
		const started = performance.now();
		await expectRefused(bomb, 'image_too_many_pixels');
		// Decoding 400 MP would take seconds and 1.2 GB; reading the header takes microseconds.
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('refuses a valid 27 MB image on its byte size alone', async () => {
		const pixels = randomBytes(3000 * 3000 * 3);
		const tiff = await sharp(pixels, { raw: { width: 3000, height: 3000, channels: 3 } })
			.tiff({ compression: 'none' })
			.toBuffer();
		expect(tiff.length).toBeGreaterThan(25 * 1024 * 1024);
		await expectRefused(tiff, 'image_too_large_bytes');
	});

	it('honours configured limits', async () => {
		const strict = createImagePipeline({ limits: { maxBytes: 1000, maxPixels: 10_000 } });
		const image = await buildImage('png', { width: 101, height: 100 });
		expect(image.length).toBeLessThan(1000);
		await expect(strict.processUpload(image)).rejects.toMatchObject({
			code: 'image_too_many_pixels',
		});
		const small = await buildImage('png', { width: 100, height: 100 });
		await expect(strict.processUpload(small)).resolves.toBeDefined();
		await expect(strict.processUpload(await buildImage('jpeg', noisy))).rejects.toMatchObject({
			code: 'image_too_large_bytes',
		});
	});
});

describe('queueing', () => {
	it('queues a burst and refuses beyond the queue with image_busy', async () => {
		const small = createImagePipeline({ concurrency: 1, maxQueued: 2 });
		const input = await buildImage('jpeg', { width: 800, height: 600 });
		const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => small.processUpload(input)));
		// Which call is refused depends on which header read finishes last; the count does not.
		const refused = outcomes.filter((o) => o.status === 'rejected');
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
		expect(refused.map((o) => (o.reason as ImageError).code)).toEqual(['image_busy']);
	});
});

const noisy = { width: 400, height: 300, noise: true };

async function truncate(image: Promise<Buffer>): Promise<Buffer> {
	const bytes = await image;
	return bytes.subarray(0, Math.floor(bytes.length / 2));
}

async function scramble(): Promise<Buffer> {
	const png = Buffer.from(await buildImage('png', noisy));
	const header = 33; // signature + IHDR
	png.set(randomBytes(png.length - header), header);
	return png;
}
