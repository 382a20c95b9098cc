import { subtle } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { ImageError } from './errors.ts';
import { fitInside, placeholderBox, type ImageLimits } from './limits.ts';
import type { EncodedImage, OutputFormat, Placeholder, VariantSize } from './types.ts';

/** Decoded, oriented, sRGB, 8-bit pixels at the largest variant size, shared by every encode. */
export type Frame = { data: Buffer; width: number; height: number; channels: number };

export const contentTypes: Record<string, string> = {
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	avif: 'image/avif',
	tiff: 'image/tiff',
};

/**
 * Settings for phone screens over mobile data: mozjpeg's trellis quantisation and progressive
 * scans make the JPEG ≈ 25 % smaller at q78 for a little CPU; WebP q75 looks like it; AVIF at
 * effort 2 (STACK-NOTES: effort 4 costs 3–9 s per 1600 px variant on two cores).
 */
const encoders: Record<OutputFormat, (pipeline: Sharp, hasAlpha: boolean) => Sharp> = {
	// JPEG has no alpha: transparent parts of a rendering become white, not black.
	jpeg: (p, hasAlpha) =>
		(hasAlpha ? p.flatten({ background: '#ffffff' }) : p).jpeg({
			quality: 78,
			progressive: true,
			mozjpeg: true,
		}),
	webp: (p) => p.webp({ quality: 75 }),
	avif: (p) => p.avif({ quality: 50, effort: 2 }),
};

/**
 * Decodes the upload once: auto-orients (`.rotate()` first, so the EXIF orientation is applied
 * before it is dropped), scales to `size` (JPEG shrinks on load, so a 12 MP photo never
 * decodes at full size), converts to sRGB using any embedded ICC profile, and returns raw
 * 8-bit pixels. No metadata survives: raw pixels carry none, and sharp writes none unless
 * asked — this module never calls keepMetadata/withMetadata/keepExif (PIPL: phone photos carry
 * GPS and camera serials).
 *
 * Throws ImageError `image_corrupt` when the bytes do not decode (truncated, damaged), or
 * `image_too_many_pixels` if sharp's own limit fires.
 */
export async function decodeFrame(
	bytes: Uint8Array,
	size: VariantSize,
	limits: ImageLimits,
): Promise<Frame> {
	try {
		const { data, info } = await sharp(bytes, {
			// 'error' refuses truncated and damaged files but tolerates the harmless warnings
			// (extraneous bytes before a marker) that many phone JPEGs produce.
			failOn: 'error',
			limitInputPixels: limits.maxPixels,
		})
			.rotate()
			.resize(size.width, size.height, { fit: 'fill' })
			.toColourspace('srgb')
			.raw({ depth: 'uchar' })
			.toBuffer({ resolveWithObject: true });
		return { data, width: info.width, height: info.height, channels: info.channels };
	} catch (error) {
		const tooBig = error instanceof Error && /pixel limit/i.test(error.message);
		throw new ImageError(
			tooBig ? 'image_too_many_pixels' : 'image_corrupt',
			'The image does not decode.',
			{ cause: error },
		);
	}
}

function fromFrame(frame: Frame): Sharp {
	const { width, height, channels } = frame;
	return sharp(frame.data, { raw: { width, height, channels: channels as 3 | 4 } });
}

/** Encodes one variant from the frame. Errors here are bugs, not bad input: they propagate. */
export async function encodeVariant(
	frame: Frame,
	size: VariantSize,
	format: OutputFormat,
): Promise<EncodedImage> {
	let pipeline = fromFrame(frame);
	if (size.width !== frame.width || size.height !== frame.height) {
		pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
	}
	const { data, info } = await encoders[format](pipeline, frame.channels === 4).toBuffer({
		resolveWithObject: true,
	});
	return {
		format,
		contentType: contentTypes[format]!,
		width: info.width,
		height: info.height,
		byteLength: data.length,
		sha256: await sha256Hex(data),
		data,
	};
}

/** A WebP that fits in 16 × 16, blurred, as a data URI (typically 40–200 bytes). */
export async function renderPlaceholder(frame: Frame): Promise<Placeholder> {
	const size = fitInside(frame.width, frame.height, placeholderBox, placeholderBox);
	const { data, info } = await fromFrame(frame)
		.resize(size.width, size.height, { fit: 'fill' })
		.blur(1)
		.webp({ quality: 40 })
		.toBuffer({ resolveWithObject: true });
	return {
		contentType: 'image/webp',
		width: info.width,
		height: info.height,
		byteLength: data.length,
		dataUri: `data:image/webp;base64,${data.toString('base64')}`,
	};
}

/**
 * SHA-256 as lowercase hex. WebCrypto's digest runs on the thread pool, so hashing a 20 MB
 * original does not block the event loop the way `createHash` would.
 */
export async function sha256Hex(data: Uint8Array): Promise<string> {
	const digest = await subtle.digest('SHA-256', data);
	return Buffer.from(digest).toString('hex');
}
