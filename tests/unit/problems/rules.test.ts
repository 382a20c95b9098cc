import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKnownUnit, median, readableDuration } from '../../../src/lib/server/problems/rules.ts';

describe('median', () => {
	it.each([
		[[], null],
		[[5], 5],
		[[3, 1, 2], 2],
		[[4, 1, 3, 2], 2.5],
		[[10, 10, 1, 1000], 10],
	])('median(%j) = %j', (values, expected) => {
		expect(median(values)).toBe(expected);
	});

	const values = fc.array(fc.integer({ min: 0, max: 10 ** 10 }), { minLength: 1, maxLength: 60 });

	it('lies between the smallest and largest value and ignores order', () => {
		fc.assert(
			fc.property(values, (list) => {
				const m = median(list)!;
				expect(m).toBeGreaterThanOrEqual(Math.min(...list));
				expect(m).toBeLessThanOrEqual(Math.max(...list));
				expect(median([...list].reverse())).toBe(m);
			}),
		);
	});

	it('has as many values at or below it as at or above it', () => {
		fc.assert(
			fc.property(values, (list) => {
				const m = median(list)!;
				expect(list.filter((v) => v <= m).length * 2).toBeGreaterThanOrEqual(list.length);
				expect(list.filter((v) => v >= m).length * 2).toBeGreaterThanOrEqual(list.length);
			}),
		);
	});

	it('does not modify its input', () => {
		const list = [3, 1, 2];
		median(list);
		expect(list).toEqual([3, 1, 2]);
	});
});

describe('readableDuration', () => {
	const HOUR = 3_600_000;
	it.each([
		[0, { unit: 'hours', value: 1 }],
		[20 * HOUR, { unit: 'hours', value: 20 }],
		[47.4 * HOUR, { unit: 'hours', value: 47 }],
		[48 * HOUR, { unit: 'days', value: 2 }],
		[60 * HOUR, { unit: 'days', value: 2.5 }],
		[10 * 24 * HOUR + 1, { unit: 'days', value: 10 }],
	])('%d ms → %j', (ms, expected) => {
		expect(readableDuration(ms)).toEqual(expected);
	});
});

describe('isKnownUnit', () => {
	it('accepts only configured units', () => {
		expect(isKnownUnit(['construction', '自来水公司'], '自来水公司')).toBe(true);
		expect(isKnownUnit(['construction'], 'pipeline')).toBe(false);
	});
});
