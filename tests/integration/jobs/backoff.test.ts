import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRetry, retryDelayMs } from '../../../src/lib/server/jobs/backoff.ts';

// Pure arithmetic; it sits beside the queue's integration tests because it is the queue's.
describe('retryDelayMs', () => {
	it.each([
		{ attempt: 1, random: 0, expected: 5_000 },
		{ attempt: 1, random: 0.999_999, expected: 10_000 },
		{ attempt: 2, random: 0, expected: 10_000 },
		{ attempt: 3, random: 0.5, expected: 30_000 },
		{ attempt: 9, random: 0, expected: 1_280_000 },
		{ attempt: 10, random: 0, expected: 1_800_000 },
		{ attempt: 100, random: 0.999_999, expected: 3_599_998 },
	])('attempt $attempt, random $random → $expected ms (default policy)', (row) => {
		expect(retryDelayMs(row.attempt, defaultRetry, () => row.random)).toBe(row.expected);
	});

	it.each([
		{ attempt: 0, policy: defaultRetry },
		{ attempt: 1.5, policy: defaultRetry },
		{ attempt: Number.NaN, policy: defaultRetry },
		{ attempt: 1, policy: { baseMs: -1, maxMs: 10 } },
		{ attempt: 1, policy: { baseMs: 10, maxMs: 9 } },
		{ attempt: 1, policy: { baseMs: 0.5, maxMs: 10 } },
	])('refuses attempt $attempt with policy $policy', ({ attempt, policy }) => {
		expect(() => retryDelayMs(attempt, policy)).toThrow(RangeError);
	});

	const policy = fc
		.tuple(fc.integer({ min: 0, max: 86_400_000 }), fc.integer({ min: 0, max: 86_400_000 }))
		.map(([a, b]) => ({ baseMs: Math.min(a, b), maxMs: Math.max(a, b) }));
	const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

	it('stays a whole number within [ceiling / 2, ceiling], ceiling = min(max, base · 2^(n−1))', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 1_000 }), policy, random, (attempt, p, r) => {
				const ceiling = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(attempt - 1, 60));
				const delay = retryDelayMs(attempt, p, () => r);
				expect(Number.isInteger(delay)).toBe(true);
				expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
				expect(delay).toBeLessThanOrEqual(ceiling);
				expect(delay).toBeLessThanOrEqual(p.maxMs);
			}),
		);
	});

	it('never shrinks from one attempt to the next for the same jitter draw', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 200 }), policy, random, (attempt, p, r) => {
				expect(retryDelayMs(attempt + 1, p, () => r)).toBeGreaterThanOrEqual(
					retryDelayMs(attempt, p, () => r),
				);
			}),
		);
	});
});
