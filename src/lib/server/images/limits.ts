import type { VariantSize } from './types.ts';

/** What an upload may weigh before anything is decoded. */
export type ImageLimits = {
	/** Largest upload in bytes. */
	maxBytes: number;
	/** Largest width × height of the (first) frame, read from the header before decoding. */
	maxPixels: number;
};

/**
 * 20 MiB holds any phone photo (a 12 MP JPEG is 2–6 MB) and a large rendering; 40 MP holds a
 * 7000 × 5700 architectural rendering. Measured on two cores: a 40 MP, 19 MB JPEG that needs
 * rotating costs ≈ 1.2–1.6 s and ≈ +95 MB RSS in the fast phase, so two at once stay well
 * inside a small server's memory.
 */
export const defaultImageLimits: Readonly<ImageLimits> = {
	maxBytes: 20 * 1024 * 1024,
	maxPixels: 40_000_000,
};

/** Target widths of the responsive variants (phone, phone at 2×/tablet, desktop). */
export const variantWidths: readonly number[] = [480, 960, 1600];

/**
 * No variant is taller than this. A WeChat "long screenshot" (1080 × 20000) would otherwise give
 * a 960 × 17778 variant, past WebP's 16383 px limit and useless on a phone anyway.
 */
export const maxVariantHeight = 8192;

/** The placeholder fits inside this square; the browser stretches and blurs it further. */
export const placeholderBox = 16;

/** Merges overrides into the defaults; throws a RangeError naming a bad value (a config bug). */
export function resolveImageLimits(overrides: Partial<ImageLimits> = {}): ImageLimits {
	const limits = { ...defaultImageLimits, ...overrides };
	for (const [name, value] of Object.entries(limits)) {
		if (!Number.isSafeInteger(value) || value < 1) {
			throw new RangeError(`Image limit ${name} must be a positive whole number, got ${value}.`);
		}
	}
	return limits;
}

/**
 * Scales width × height down (never up) to fit inside maxWidth × maxHeight, keeping the aspect
 * ratio: the limiting side is exact, the other is rounded to the nearest pixel and at least 1.
 */
export function fitInside(
	width: number,
	height: number,
	maxWidth: number,
	maxHeight: number,
): VariantSize {
	if (width <= maxWidth && height <= maxHeight) return { width, height };
	// Compare the two scale factors maxWidth/width and maxHeight/height without division.
	if (width * maxHeight >= height * maxWidth) {
		return { width: maxWidth, height: clamp(Math.round((height * maxWidth) / width), maxHeight) };
	}
	return { width: clamp(Math.round((width * maxHeight) / height), maxWidth), height: maxHeight };
}

function clamp(value: number, max: number): number {
	return Math.min(Math.max(value, 1), max);
}

/**
 * The distinct variant sizes for an image displayed at width × height, smallest first. Never
 * upscaled: a 700 px wide image yields 480 and 700 (its own width stands in for 960 and 1600),
 * a 300 px one yields only 300. Heights are capped at `maxVariantHeight`.
 */
export function planVariantSizes(
	width: number,
	height: number,
	widths: readonly number[] = variantWidths,
	maxHeight: number = maxVariantHeight,
): VariantSize[] {
	const sizes: VariantSize[] = [];
	for (const target of [...widths].sort((a, b) => a - b)) {
		const size = fitInside(width, height, target, maxHeight);
		if (!sizes.some((s) => s.width === size.width && s.height === size.height)) sizes.push(size);
	}
	return sizes;
}
