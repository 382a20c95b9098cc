/**
 * The image pipeline (PRODUCT.md, plans: "content-sniffed formats only, size and pixel limits,
 * auto-orient, all metadata stripped, responsive AVIF/WebP/JPEG variants"). Bytes in, encoded
 * bytes and their descriptions out; storage, HTTP and the job queue live elsewhere.
 *
 * Decisions:
 * - Accepted, by content only: JPEG, PNG, WebP, AVIF, TIFF. GIF is refused as an unsupported
 *   type (phones do not produce it, its 256 colours suit neither photos nor renderings); HEIC is
 *   refused because this sharp build has no HEVC decoder (iOS converts to JPEG when a web
 *   form asks for an image); SVG/HTML never reach a decoder.
 * - Animated or multi-page images are refused (`image_animated`), not flattened.
 * - Variants at 480/960/1600 px wide, never upscaled: the image's own width replaces the targets
 *   above it (700 px → 480 and 700). Heights are capped at 8192 px (long screenshots).
 * - Every variant is re-encoded from raw pixels, so no EXIF, GPS, XMP, IPTC or ICC can survive;
 *   colours are converted to sRGB and written untagged. The stored original keeps its pixels
 *   and colour profile only (`strip.ts`), and stays private.
 */
import sharp from 'sharp';
import { createGate } from './gate.ts';
import { inspectImage } from './inspect.ts';
import { resolveImageLimits, type ImageLimits } from './limits.ts';
import { renderAvifVariants, renderUpload } from './process.ts';
import type { EncodedImage, ProcessedUpload } from './types.ts';

export type ImagePipelineOptions = {
	limits?: Partial<ImageLimits>;
	/** Pipelines decoding at once (default 2); both phases share these slots. */
	concurrency?: number;
	/** Pipelines allowed to wait for a slot (default 16); one more gets `image_busy`. */
	maxQueued?: number;
};

export type ImagePipeline = {
	readonly limits: ImageLimits;
	/**
	 * Checks an upload and renders what the acknowledgement needs: the original's hash, JPEG +
	 * WebP variants and the placeholder. Refusals happen before queueing and before any pixel
	 * is decoded. Throws ImageError (every code but none of the side effects: nothing is
	 * stored here, nothing is produced on error).
	 */
	processUpload(bytes: Uint8Array): Promise<ProcessedUpload>;
	/**
	 * For the background job: AVIF variants of a stored original, same sizes as the upload's.
	 * Re-checks the original like an upload. Throws ImageError.
	 */
	renderAvifVariants(bytes: Uint8Array): Promise<EncodedImage[]>;
	/** Pipelines running and waiting, for health checks and logs. */
	stats(): { active: number; queued: number };
};

/**
 * Creates the process's image pipeline; create one at start-up and share it, since its gate is
 * what bounds memory. Throws a RangeError for a bad limit or concurrency.
 *
 * Side effect: turns off libvips' operation cache for the whole process — every upload is new
 * bytes, so the cache could only hold memory, never hit.
 */
export function createImagePipeline(options: ImagePipelineOptions = {}): ImagePipeline {
	const limits = resolveImageLimits(options.limits);
	const gate = createGate({
		concurrency: options.concurrency ?? 2,
		maxQueued: options.maxQueued ?? 16,
	});
	sharp.cache(false);
	return {
		limits,
		async processUpload(bytes) {
			const inspected = await inspectImage(bytes, limits);
			return gate.run(() => renderUpload(bytes, inspected, limits));
		},
		async renderAvifVariants(bytes) {
			const inspected = await inspectImage(bytes, limits);
			return gate.run(() => renderAvifVariants(bytes, inspected, limits));
		},
		stats: () => gate.stats(),
	};
}
