import { describe, expect, it } from 'vitest';
import { backoffRules, backoffWait } from '../../../src/lib/server/auth/backoff.ts';

describe('sign-in back-off', () => {
	const now = new Date('2026-06-01T10:00:00Z');
	const wait = (rule: keyof typeof backoffRules, failures: number, secondsAgo = 0) =>
		backoffWait(backoffRules[rule], failures, new Date(now.getTime() - secondsAgo * 1000), now);

	it('lets the first failures through, then doubles the wait up to its cap', () => {
		expect(wait('phone', 2)).toBe(0);
		expect(wait('phone', 3)).toBe(2);
		expect(wait('phone', 4)).toBe(4);
		expect(wait('phone', 50)).toBe(30);
		expect(wait('account', 50)).toBe(60);
		expect(wait('address', 50)).toBe(15 * 60);
	});

	it('waits longer per address than per phone or account', () => {
		for (const failures of [5, 6, 8, 12, 40]) {
			expect(wait('address', failures)).toBeGreaterThanOrEqual(wait('phone', failures));
			expect(wait('address', failures)).toBeGreaterThanOrEqual(wait('account', failures));
		}
		expect(wait('address', 9)).toBeGreaterThan(wait('account', 9));
		expect(backoffRules.address.capSeconds).toBeGreaterThan(10 * backoffRules.account.capSeconds);
	});

	it('counts the wait from the last failure and forgets failures after an hour', () => {
		expect(wait('account', 50, 59)).toBe(1);
		expect(wait('account', 50, 60)).toBe(0);
		expect(wait('address', 50, 3600)).toBe(0);
	});
});
