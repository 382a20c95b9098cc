import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImagePipeline } from '../../../src/lib/server/images/pipeline.ts';
import { buildPhoto12mp } from '../../factories/images.ts';

/**
 * Prints (does not assert) the cost of each phase for a 12 MP phone photo, so a change of
 * settings shows its price. The figures are noisy when other test files run alongside; run this
 * file alone for numbers worth quoting.
 */
describe('cost of a 12 MP photo (printed, not asserted)', () => {
	it('measures the JPEG + WebP phase and the AVIF phase', async () => {
		const pipeline = createImagePipeline();
		const photo = await buildPhoto12mp();
		// Warm up sharp's codecs so the first phase does not pay for loading them.
		await pipeline.processUpload(await sharp(photo).resize(400).jpeg().toBuffer());

		const fast = await measure(() => pipeline.processUpload(photo));
		const avif = await measure(() => pipeline.renderAvifVariants(fast.result.original.data));

		const kb = (n: number) => `${Math.round(n / 1024)} KB`;
		const lines = [
			`12 MP photo: ${(photo.length / 1024 / 1024).toFixed(1)} MB JPEG`,
			`JPEG+WebP phase: ${fast.ms} ms, peak RSS +${fast.peakMb} MB over ${fast.baseMb} MB`,
			`  ${fast.result.variants.map((v) => `${v.format} ${v.width}w ${kb(v.byteLength)}`).join(', ')}`,
			`  placeholder ${fast.result.placeholder.byteLength} B`,
			`AVIF phase: ${avif.ms} ms, peak RSS +${avif.peakMb} MB over ${avif.baseMb} MB`,
			`  ${avif.result.map((v) => `${v.format} ${v.width}w ${kb(v.byteLength)}`).join(', ')}`,
		];
		console.log(lines.join('\n'));
		expect(fast.result.variants).toHaveLength(6);
		expect(avif.result).toHaveLength(3);
	});
});

/** Runs `task`, sampling RSS every 5 ms (sharp works off the main thread, so samples land). */
async function measure<T>(task: () => Promise<T>) {
	const base = process.memoryUsage.rss();
	let peak = base;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	const started = performance.now();
	const result = await task();
	const ms = Math.round(performance.now() - started);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	const mb = (n: number) => Math.round(n / 1024 / 1024);
	return { result, ms, baseMb: mb(base), peakMb: mb(peak - base) };
}
