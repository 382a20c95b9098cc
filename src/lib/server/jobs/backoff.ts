/** How long a failed job waits before its next attempt. */
export type RetryPolicy = {
	/** The delay ceiling after the first failure, in milliseconds. */
	baseMs: number;
	/** No delay exceeds this, however many attempts failed. */
	maxMs: number;
};

/** 10 s, 20 s, 40 s … capped at an hour: long enough for a flaky SMS gateway to recover. */
export const defaultRetry: RetryPolicy = { baseMs: 10_000, maxMs: 3_600_000 };

/**
 * The delay in whole milliseconds after the `attempt`-th failed attempt (1-based): a ceiling of
 * baseMs · 2^(attempt − 1), capped at maxMs, and a uniform value in [ceiling / 2, ceiling] below
 * it ("equal jitter"), so jobs that failed together — the SMS gateway was down — do not all
 * retry in the same instant. Throws a RangeError for an attempt below 1 or a bad policy.
 */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy = defaultRetry,
	random: () => number = Math.random,
): number {
	if (!Number.isInteger(attempt) || attempt < 1) {
		throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
	}
	assertRetryPolicy(policy);
	// 2^60 already exceeds any sane maxMs; the cap keeps 0 · Infinity (NaN) out.
	const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 60));
	const half = ceiling / 2;
	return Math.min(ceiling, Math.round(half + random() * half));
}

/** Throws a RangeError unless 0 ≤ baseMs ≤ maxMs, both whole milliseconds. */
export function assertRetryPolicy(policy: RetryPolicy): void {
	const { baseMs, maxMs } = policy;
	if (!Number.isSafeInteger(baseMs) || !Number.isSafeInteger(maxMs) || baseMs < 0) {
		throw new RangeError('retry baseMs and maxMs must be whole milliseconds from 0');
	}
	if (maxMs < baseMs) throw new RangeError('retry maxMs must not be below baseMs');
}
