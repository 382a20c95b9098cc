import {
	contentTypes,
	decodeFrame,
	encodeVariant,
	renderPlaceholder,
	sha256Hex,
	type Frame,
} from './encode.ts';
import { planVariantSizes, type ImageLimits } from './limits.ts';
import { stripMetadata } from './strip.ts';
import type {
	EncodedImage,
	InspectedImage,
	OriginalImage,
	OutputFormat,
	ProcessedUpload,
	VariantSize,
} from './types.ts';

/**
 * The fast, synchronous part of an upload (the upload is acknowledged with these ready): the
 * original stripped of its metadata (`strip.ts`) with its hash, JPEG + WebP at each planned size, and the placeholder. `inspected`
 * must come from `inspectImage` on the same bytes. Encodes run one after another so a pipeline
 * holds one thread-pool thread at a time.
 *
 * Throws ImageError `image_corrupt` if the bytes do not decode; produces nothing then.
 */
export async function renderUpload(
	bytes: Uint8Array,
	inspected: InspectedImage,
	limits: ImageLimits,
): Promise<ProcessedUpload> {
	const sizes = planVariantSizes(inspected.displayWidth, inspected.displayHeight);
	const frame = await decodeFrame(bytes, largest(sizes), limits);
	const variants = await encodeAll(frame, sizes, ['jpeg', 'webp']);
	const placeholder = await renderPlaceholder(frame);
	const stripped = await stripMetadata(bytes, inspected.format);
	const original: OriginalImage = {
		format: stripped.format,
		contentType: contentTypes[stripped.format]!,
		width: inspected.displayWidth,
		height: inspected.displayHeight,
		byteLength: stripped.bytes.length,
		sha256: await sha256Hex(stripped.bytes),
		data: stripped.bytes,
	};
	return { original, variants, placeholder };
}

/**
 * The slow part, for a background job: AVIF at the same sizes as `renderUpload`, from the stored
 * original. Throws ImageError `image_corrupt` if the bytes do not decode.
 */
export async function renderAvifVariants(
	bytes: Uint8Array,
	inspected: InspectedImage,
	limits: ImageLimits,
): Promise<EncodedImage[]> {
	const sizes = planVariantSizes(inspected.displayWidth, inspected.displayHeight);
	const frame = await decodeFrame(bytes, largest(sizes), limits);
	return encodeAll(frame, sizes, ['avif']);
}

async function encodeAll(
	frame: Frame,
	sizes: VariantSize[],
	formats: OutputFormat[],
): Promise<EncodedImage[]> {
	const variants: EncodedImage[] = [];
	for (const size of sizes) {
		for (const format of formats) variants.push(await encodeVariant(frame, size, format));
	}
	return variants;
}

function largest(sizes: VariantSize[]): VariantSize {
	return sizes.at(-1)!;
}
