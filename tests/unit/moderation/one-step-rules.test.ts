import { describe, expect, it } from 'vitest';
import {
	digestRunAt,
	excerpt,
	needsCarrier,
	parseCarrier,
} from '../../../src/lib/server/moderation/rules.ts';

describe('what carries an adopted opinion', () => {
	it.each([
		['adopted', true],
		['partly_adopted', true],
		['not_adopted', false],
		['noted', false],
	])('%s needs a carrier: %s', (disposition, expected) => {
		expect(needsCarrier(disposition)).toBe(expected);
	});

	it.each([
		[undefined, { kind: 'next' }],
		[null, { kind: 'next' }],
		['next', { kind: 'next' }],
		['item:12', { kind: 'item', id: 12 }],
		['change:7', { kind: 'change', id: 7 }],
		['choose', null],
		['', null],
		['item:0', null],
		['item:-1', null],
		['item:2147483648', null],
		['item:12;drop table', null],
		['rendering:3', null],
		['item:01', null],
	])('reads %j as %j', (value, expected) => {
		expect(parseCarrier(value)).toEqual(expected);
	});
});

describe('excerpt', () => {
	it('keeps short text, folds whitespace, cuts long text at whole characters', () => {
		expect(excerpt('  希望\n增加  座椅 ')).toBe('希望 增加 座椅');
		expect(excerpt('一二三四五', 3)).toBe('一二三…');
		expect(excerpt('😀😀😀😀', 2)).toBe('😀😀…');
		expect(excerpt('abc', 3)).toBe('abc');
	});
});

describe('the daily digest', () => {
	it.each([
		['2026-12-06T04:00:00Z', '2026-12-06T10:00:00.000Z'],
		['2026-12-06T09:59:59Z', '2026-12-06T10:00:00.000Z'],
		['2026-12-06T10:00:00Z', '2026-12-07T10:00:00.000Z'],
		['2026-12-31T23:30:00Z', '2027-01-01T10:00:00.000Z'],
	])('an opinion at %s is in the digest sent at %s (18:00 China time)', (at, expected) => {
		expect(digestRunAt(new Date(at)).toISOString()).toBe(expected);
	});
});
