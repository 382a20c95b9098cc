import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	formatDate,
	formatDecimal,
	investmentAmount,
	scaleDecimal,
	yuanToWan,
} from '../../../src/lib/format.ts';

describe('yuanToWan', () => {
	it.each([
		['8650000.00', '865.00'],
		['0', '0.00'],
		['49.99', '0.00'],
		['50.00', '0.01'],
		['12345678.90', '1234.57'],
		['99995000.00', '9999.50'],
	])('%s yuan → %s 万元', (yuan, wan) => {
		expect(yuanToWan(yuan)).toBe(wan);
	});

	it('matches exact rational rounding (half up) for any amount in cents', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), (cents) => {
				const yuan = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
				// reference: round(cents / 10000) half up, as hundredths of 万
				const expected = (cents * 2n + 10000n) / 20000n;
				const [w, f] = yuanToWan(yuan).split('.');
				expect(BigInt(w!) * 100n + BigInt(f!)).toBe(expected);
			}),
		);
	});
});

describe('formatDecimal', () => {
	it('groups digits and keeps the exact fraction', () => {
		expect(formatDecimal('zh-CN', '98933.01')).toBe('98,933.01');
		expect(formatDecimal('en', '12345678901234567890.5')).toBe('12,345,678,901,234,567,890.50');
		expect(formatDecimal('en', '7', 0)).toBe('7');
	});
});

describe('formatDate', () => {
	it('formats ISO dates per locale without time-zone drift', () => {
		expect(formatDate('zh-CN', '2026-03-05')).toBe('2026年3月5日');
		expect(formatDate('en', '2026-03-05')).toBe('5 Mar 2026');
		expect(formatDate('en', 'garbage')).toBe('garbage');
	});
});

describe('investmentAmount', () => {
	it('shows 万元 in Chinese and millions in English, exactly', () => {
		expect(investmentAmount('zh-CN', '8650000.00')).toBe('865.00');
		expect(investmentAmount('en', '8650000.00')).toBe('8.65');
		expect(investmentAmount('en', '123456789012.00')).toBe('123,456.79');
		expect(scaleDecimal('5000.00', 4)).toBe('0.50');
	});
});
