import sharp, { type Metadata } from 'sharp';
import { ImageError } from './errors.ts';
import type { ImageLimits } from './limits.ts';
import { sniffImage } from './sniff.ts';
import type { AcceptedFormat, InspectedImage } from './types.ts';

/** sharp's `metadata().format` for each accepted format (AVIF is read by the HEIF loader). */
const sharpFormatOf: Record<AcceptedFormat, string> = {
	jpeg: 'jpeg',
	png: 'png',
	webp: 'webp',
	avif: 'heif',
	tiff: 'tiff',
};

/**
 * Decides, from the size, the magic bytes and the header alone, whether an upload may be
 * decoded. No pixel is decoded here, so a 20000 × 20000 "PNG bomb" costs microseconds.
 *
 * Throws ImageError: `image_empty`, `image_too_large_bytes`, `image_unsupported_type`,
 * `image_animated`, `image_corrupt` (header unreadable), `image_too_many_pixels`.
 */
export async function inspectImage(
	bytes: Uint8Array,
	limits: ImageLimits,
): Promise<InspectedImage> {
	if (bytes.length === 0) throw new ImageError('image_empty', 'The upload is empty.');
	if (bytes.length > limits.maxBytes) {
		throw new ImageError(
			'image_too_large_bytes',
			`${bytes.length} bytes exceed the limit of ${limits.maxBytes}.`,
		);
	}
	const sniffed = sniffImage(bytes);
	if (sniffed.kind === 'refused') {
		throw new ImageError('image_unsupported_type', `Content is ${sniffed.detected}.`);
	}
	if (sniffed.animated) {
		throw new ImageError('image_animated', `Animated ${sniffed.format} is not accepted.`);
	}
	const metadata = await readHeader(bytes);
	// The decoder must agree with the magic bytes (a HEIF with an AVIF brand but HEVC inside,
	// a forged header); otherwise we would be trusting four bytes.
	const expected = sharpFormatOf[sniffed.format];
	const isAv1 = sniffed.format !== 'avif' || metadata.compression === 'av1';
	if (metadata.format !== expected || !isAv1) {
		throw new ImageError(
			'image_unsupported_type',
			`Sniffed ${sniffed.format}, decoder found ${metadata.format}/${metadata.compression ?? '-'}.`,
		);
	}
	// Flattening would publish whichever frame comes first, which may not be what the uploader
	// meant (e.g. the "before" of a before/after animation): refuse and let them pick a still.
	if ((metadata.pages ?? 1) > 1) {
		throw new ImageError('image_animated', `${metadata.pages} frames or pages.`);
	}
	const { width, height } = metadata;
	if (width * height > limits.maxPixels) {
		throw new ImageError(
			'image_too_many_pixels',
			`${width} × ${height} exceeds the limit of ${limits.maxPixels} pixels.`,
		);
	}
	return {
		format: sniffed.format,
		width,
		height,
		displayWidth: metadata.autoOrient.width,
		displayHeight: metadata.autoOrient.height,
	};
}

/** Reads the header only. The pixel limit is checked by the caller, with its own error code. */
async function readHeader(bytes: Uint8Array): Promise<Metadata> {
	try {
		return await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch (error) {
		throw new ImageError('image_corrupt', 'The image header cannot be read.', { cause: error });
	}
}
