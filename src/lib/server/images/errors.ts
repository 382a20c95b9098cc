/**
 * Why an upload was refused. Each code maps to one translated message (`errors.<code>`), so
 * the uploader learns what to change: "bad input gets a clear, translated error and changes
 * nothing" (PRODUCT.md, cross-cutting promises).
 */
export const imageErrorCodes = [
	/** Zero bytes: the phone sent nothing (cancelled picker, failed read). */
	'image_empty',
	/** More bytes than `maxBytes` (20 MB by default). */
	'image_too_large_bytes',
	/** Not JPEG, PNG, WebP, AVIF or TIFF by content: SVG, HTML, PDF, GIF, HEIC, BMP, … */
	'image_unsupported_type',
	/** width × height of the header exceeds `maxPixels` (40 MP by default): a decompression bomb. */
	'image_too_many_pixels',
	/** Recognised format, but the bytes do not decode (truncated, damaged, forged header). */
	'image_corrupt',
	/** More than one frame or page (animated WebP/PNG/AVIF, multi-page TIFF). */
	'image_animated',
	/** Too many uploads are already waiting for processing: try again shortly. */
	'image_busy',
] as const;

export type ImageErrorCode = (typeof imageErrorCodes)[number];

/** A refused or failed image; `code` is stable, `message` is for logs only. */
export class ImageError extends Error {
	override name = 'ImageError';
	readonly code: ImageErrorCode;

	constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.code = code;
	}
}

/**
 * Recognised by name and code, not `instanceof`: the job handlers started by `src/start.ts` and
 * the built server share one pipeline but each has its own copy of this class.
 */
export function isImageError(error: unknown): error is ImageError {
	const e = error as { name?: unknown; code?: unknown } | null;
	return (
		error instanceof ImageError ||
		(typeof e === 'object' &&
			e !== null &&
			e.name === 'ImageError' &&
			(imageErrorCodes as readonly unknown[]).includes(e.code))
	);
}
