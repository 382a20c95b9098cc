import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	defaultImageLimits,
	fitInside,
	maxVariantHeight,
	planVariantSizes,
	resolveImageLimits,
} from '../../../src/lib/server/images/limits.ts';

describe('planVariantSizes', () => {
	it.each([
		['landscape photo', 4000, 3000, ['480×360', '960×720', '1600×1200']],
		['portrait photo', 3000, 4000, ['480×640', '960×1280', '1600×2133']],
		['700 px wide: never upscaled', 700, 500, ['480×343', '700×500']],
		['exactly 960 wide', 960, 540, ['480×270', '960×540']],
		['smaller than every target', 300, 200, ['300×200']],
		['a single pixel', 1, 1, ['1×1']],
		['WeChat long screenshot: height capped', 1080, 20000, ['442×8192']],
		['tall, capped only at the larger targets', 1600, 12000, ['480×3600', '960×7200', '1092×8192']],
		['panorama', 12000, 1500, ['480×60', '960×120', '1600×200']],
	] as const)('%s (%d × %d)', (_name, width, height, expected) => {
		const sizes = planVariantSizes(width, height).map((s) => `${s.width}×${s.height}`);
		expect(sizes).toEqual(expected);
	});

	it('accepts other target widths in any order', () => {
		expect(planVariantSizes(2000, 1000, [800, 200])).toEqual([
			{ width: 200, height: 100 },
			{ width: 800, height: 400 },
		]);
	});
});

const dimension = fc.integer({ min: 1, max: 40_000 });
const box = fc.integer({ min: 1, max: 10_000 });

describe('fitInside (properties)', () => {
	it('fits the box, never upscales, and is at least 1 × 1', () => {
		fc.assert(
			fc.property(dimension, dimension, box, box, (w, h, bw, bh) => {
				const size = fitInside(w, h, bw, bh);
				expect(size.width).toBeGreaterThanOrEqual(1);
				expect(size.height).toBeGreaterThanOrEqual(1);
				expect(size.width).toBeLessThanOrEqual(Math.min(w, bw));
				expect(size.height).toBeLessThanOrEqual(Math.min(h, bh));
				expect(Number.isInteger(size.width) && Number.isInteger(size.height)).toBe(true);
			}),
		);
	});

	it('keeps the aspect ratio: the free side is within half a pixel, unless raised to 1 px', () => {
		fc.assert(
			fc.property(dimension, dimension, box, box, (w, h, bw, bh) => {
				const size = fitInside(w, h, bw, bh);
				const exactHeight = (h * size.width) / w;
				const exactWidth = (w * size.height) / h;
				const heightOk = Math.abs(size.height - exactHeight) <= 0.5 || size.height === 1;
				const widthOk = Math.abs(size.width - exactWidth) <= 0.5 || size.width === 1;
				expect(heightOk || widthOk).toBe(true);
			}),
		);
	});

	it('returns the source unchanged when it already fits', () => {
		fc.assert(
			fc.property(dimension, dimension, (w, h) => {
				expect(fitInside(w, h, w, h)).toEqual({ width: w, height: h });
			}),
		);
	});
});

describe('planVariantSizes (properties)', () => {
	it('gives 1–3 distinct sizes, ascending, within the source and the height cap', () => {
		fc.assert(
			fc.property(dimension, dimension, (w, h) => {
				const sizes = planVariantSizes(w, h);
				expect(sizes.length).toBeGreaterThanOrEqual(1);
				expect(sizes.length).toBeLessThanOrEqual(3);
				for (const [i, size] of sizes.entries()) {
					expect(size.width).toBeLessThanOrEqual(Math.min(w, 1600));
					expect(size.height).toBeLessThanOrEqual(Math.min(h, maxVariantHeight));
					if (i > 0) {
						expect(size.width).toBeGreaterThanOrEqual(sizes[i - 1]!.width);
						expect(size.height).toBeGreaterThanOrEqual(sizes[i - 1]!.height);
						expect(size).not.toEqual(sizes[i - 1]);
					}
				}
			}),
		);
	});
});

describe('resolveImageLimits', () => {
	it('defaults to 20 MiB and 40 MP', () => {
		expect(resolveImageLimits()).toEqual({ maxBytes: 20_971_520, maxPixels: 40_000_000 });
		expect(defaultImageLimits.maxBytes).toBe(20 * 1024 * 1024);
	});

	it('merges overrides', () => {
		expect(resolveImageLimits({ maxPixels: 1000 })).toEqual({
			maxBytes: 20_971_520,
			maxPixels: 1000,
		});
	});

	it.each([0, -1, 1.5, Number.NaN, Infinity])('refuses %s as a limit', (value) => {
		expect(() => resolveImageLimits({ maxBytes: value })).toThrow(/maxBytes/);
	});
});
