import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/i18n/index.ts';
import {
	authorHousehold,
	authorLabel,
	formatTarget,
	pageCount,
	parseOrder,
	parsePage,
	parseTarget,
	windowState,
} from '../../../src/lib/server/opinions/rules.ts';
import type { OpinionTarget } from '../../../src/lib/server/opinions/types.ts';

const at = (iso: string) => new Date(iso);
const opens = at('2026-11-01T00:00:00Z');
const closes = at('2026-11-15T00:00:00Z');

describe('windowState', () => {
	it.each([
		['draft', 'draft', null, null, '2026-11-05T00:00:00Z', 'hidden'],
		['open, before', 'open', opens, closes, '2026-10-31T23:59:59.999Z', 'not_yet'],
		['open, at opening', 'open', opens, closes, '2026-11-01T00:00:00Z', 'open'],
		['open, inside', 'open', opens, closes, '2026-11-10T12:00:00Z', 'open'],
		['open, last millisecond', 'open', opens, closes, '2026-11-14T23:59:59.999Z', 'open'],
		['open, at closing', 'open', opens, closes, '2026-11-15T00:00:00Z', 'closed'],
		['open, without dates', 'open', null, null, '2026-11-05T00:00:00Z', 'closed'],
		['closed early by staff', 'closed', opens, closes, '2026-11-05T00:00:00Z', 'closed'],
		['superseded', 'superseded', opens, closes, '2026-11-05T00:00:00Z', 'closed'],
		['final', 'final', opens, closes, '2026-11-05T00:00:00Z', 'closed'],
	] as const)('%s → %s', (_, status, o, c, now, expected) => {
		expect(windowState({ status, opensAt: o, closesAt: c }, at(now))).toBe(expected);
	});
});

describe('author labels', () => {
	it.each([
		[{ deleted: false, building: '3' }, 'zh-CN', '3号楼住户'],
		[{ deleted: false, building: '3' }, 'en', 'Resident, Bldg 3'],
		[{ deleted: false, building: '' }, 'zh-CN', '居民'],
		[{ deleted: false, building: '' }, 'en', 'Resident'],
		[{ deleted: true, building: '3' }, 'zh-CN', '已注销用户'],
		[{ deleted: true, building: '' }, 'en', 'Deleted account'],
	] as const)('%j in %s reads %s', (author, locale, text) => {
		const label = authorLabel(author);
		expect(translate(locale, label.key, label.params)).toBe(text);
	});

	it("takes the first household in one of the project's compounds", () => {
		const memberships = [
			{ householdId: 1, compoundId: 10, buildingNumber: '1' },
			{ householdId: 2, compoundId: 20, buildingNumber: '7' },
			{ householdId: 3, compoundId: 20, buildingNumber: '8' },
		];
		expect(authorHousehold(memberships, [20, 30])).toEqual({ householdId: 2, building: '7' });
		expect(authorHousehold(memberships, [40])).toEqual({ householdId: null, building: '' });
		expect(authorHousehold([], [10])).toEqual({ householdId: null, building: '' });
	});
});

describe('list parameters', () => {
	it.each([
		[null, 'newest'],
		['supported', 'supported'],
		['newest', 'newest'],
		['SUPPORTED', 'newest'],
		['<x>', 'newest'],
	] as const)('order %j → %s', (raw, order) => expect(parseOrder(raw)).toBe(order));

	it.each([
		[null, 1],
		['', 1],
		['0', 1],
		['3', 3],
		['-2', 1],
		['2.5', 1],
		['1e3', 1],
		['9999999', 1],
	] as const)('page %j → %d', (raw, page) => expect(parsePage(raw)).toBe(page));

	it('counts pages: at least one, never a partial page lost', () => {
		fc.assert(
			fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 100 }), (total, size) => {
				const pages = pageCount(total, size);
				return pages >= 1 && pages * size >= total && (pages - 1) * size < Math.max(total, 1);
			}),
		);
		expect(pageCount(0)).toBe(1);
		expect(pageCount(20)).toBe(1);
		expect(pageCount(21)).toBe(2);
	});

	it('round-trips targets through their URL form', () => {
		const targets: OpinionTarget[] = [
			'version',
			{ renderingId: 12 },
			{ planItemId: 2_147_483_647 },
		];
		for (const target of targets) expect(parseTarget(formatTarget(target))).toEqual(target);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2_147_483_647 }), (id) => {
				expect(parseTarget(formatTarget({ renderingId: id }))).toEqual({ renderingId: id });
				expect(parseTarget(formatTarget({ planItemId: id }))).toEqual({ planItemId: id });
			}),
		);
		for (const raw of [null, '', 'r0', 'r01', 'x1', 'r2147483648', 'i-1', 'versions'])
			expect(parseTarget(raw)).toBeUndefined();
		expect(formatTarget(undefined)).toBe('');
	});
});
