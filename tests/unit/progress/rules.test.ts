import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	chinaToday,
	isIsoDate,
	itemKey,
	lines,
	normaliseItemState,
	overallPercent,
	parseDefectLines,
	parseItemKey,
	stateChanged,
	type ItemState,
} from '../../../src/lib/server/progress/rules.ts';

describe('normaliseItemState', () => {
	it.each<[ItemState, ItemState | null]>([
		[
			{ status: 'done', percent: 40, reason: 'x' },
			{ status: 'done', percent: 100, reason: '' },
		],
		[
			{ status: 'not_started', percent: 40, reason: '' },
			{ status: 'not_started', percent: 0, reason: '' },
		],
		[
			{ status: 'in_progress', percent: 40, reason: 'x' },
			{ status: 'in_progress', percent: 40, reason: '' },
		],
		[
			{ status: 'dropped', percent: 30, reason: ' 居民不同意 ' },
			{ status: 'dropped', percent: 30, reason: '居民不同意' },
		],
		[{ status: 'dropped', percent: 0, reason: '   ' }, null],
		[{ status: 'in_progress', percent: 101, reason: '' }, null],
		[{ status: 'in_progress', percent: -1, reason: '' }, null],
		[{ status: 'in_progress', percent: 12.5, reason: '' }, null],
		[{ status: 'done', percent: Number.NaN, reason: '' }, null],
	])('%j → %j', (input, expected) => {
		expect(normaliseItemState(input)).toEqual(expected);
	});

	it('always yields a state the database accepts (done = 100, not started = 0, 0–100)', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('not_started', 'in_progress', 'done', 'dropped' as const),
				fc.integer({ min: -50, max: 150 }),
				fc.string({ maxLength: 5 }),
				(status, percent, reason) => {
					const out = normaliseItemState({ status, percent, reason });
					if (!out) return;
					expect(out.percent).toBeGreaterThanOrEqual(0);
					expect(out.percent).toBeLessThanOrEqual(100);
					if (out.status === 'done') expect(out.percent).toBe(100);
					if (out.status === 'not_started') expect(out.percent).toBe(0);
					if (out.status === 'dropped') expect(out.reason.length).toBeGreaterThan(0);
				},
			),
		);
	});
});

describe('stateChanged', () => {
	it('treats a missing state as not started at 0 %', () => {
		expect(stateChanged(undefined, { status: 'not_started', percent: 0, reason: '' })).toBe(false);
		expect(stateChanged(undefined, { status: 'in_progress', percent: 0, reason: '' })).toBe(true);
		expect(
			stateChanged(
				{ status: 'dropped', percent: 0, reason: 'a' },
				{ status: 'dropped', percent: 0, reason: 'b' },
			),
		).toBe(true);
	});
});

describe('item keys', () => {
	it('round-trip for every item and building (0 = the whole project)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 999_999_999 }),
				fc.option(fc.integer({ min: 1, max: 999_999_999 })),
				(itemId, buildingId) => {
					expect(parseItemKey(itemKey(itemId, buildingId))).toEqual({ itemId, buildingId });
				},
			),
		);
	});
	it.each(['', '1', '1:', ':1', '0:3', 'a:b', '1:2:3', '12345678901:1'])('rejects %j', (key) => {
		expect(parseItemKey(key)).toBeNull();
	});
});

describe('dates', () => {
	it.each([
		['2026-02-28', true],
		['2024-02-29', true],
		['2026-02-29', false],
		['2026-13-01', false],
		['2026-1-01', false],
		['', false],
	])('isIsoDate(%j) = %s', (value, ok) => {
		expect(isIsoDate(value)).toBe(ok);
	});
	it('gives the China date (UTC+8) of an instant', () => {
		expect(chinaToday(new Date('2026-04-30T15:59:59Z'))).toBe('2026-04-30');
		expect(chinaToday(new Date('2026-04-30T16:00:00Z'))).toBe('2026-05-01');
	});
});

describe('parseDefectLines', () => {
	it('reads "date description" lines, skipping blank ones', () => {
		expect(
			parseDefectLines('2026-06-30 屋面渗水\n\n  2026-07-01，扶手松动 \r\n2026-07-02: 井盖'),
		).toEqual({
			ok: true,
			defects: [
				{ dueOn: '2026-06-30', description: '屋面渗水' },
				{ dueOn: '2026-07-01', description: '扶手松动' },
				{ dueOn: '2026-07-02', description: '井盖' },
			],
		});
		expect(parseDefectLines('')).toEqual({ ok: true, defects: [] });
	});
	it.each([
		['明天 修好', 1],
		['2026-06-30 ok\n2026-02-30 bad date', 2],
		['2026-06-30', 1],
		['\n\n2026-06-30修好', 3],
	])('points at the first bad line of %j', (text, line) => {
		expect(parseDefectLines(text)).toEqual({ ok: false, line });
	});
});

describe('lines', () => {
	it('trims, drops blanks and caps the count', () => {
		expect(lines(' a \n\n b\r\nc', 2)).toEqual(['a', 'b']);
	});
});

describe('overallPercent', () => {
	it('is the floor of the mean over items not dropped, null when none count', () => {
		expect(overallPercent([])).toBeNull();
		expect(overallPercent([{ status: 'dropped', percent: 50 }])).toBeNull();
		expect(
			overallPercent([
				{ status: 'done', percent: 100 },
				{ status: 'in_progress', percent: 99 },
			]),
		).toBe(99);
		expect(
			overallPercent([
				{ status: 'done', percent: 100 },
				{ status: 'dropped', percent: 0 },
			]),
		).toBe(100);
	});
	it('stays between the smallest and largest percent and reaches 100 only when all are done', () => {
		const item = fc.record({
			status: fc.constantFrom('not_started', 'in_progress', 'done', 'dropped' as const),
			percent: fc.integer({ min: 0, max: 100 }),
		});
		fc.assert(
			fc.property(fc.array(item, { maxLength: 40 }), (items) => {
				const counted = items.filter((i) => i.status !== 'dropped');
				const result = overallPercent(items);
				if (counted.length === 0) {
					expect(result).toBeNull();
					return;
				}
				const percents = counted.map((i) => i.percent);
				expect(result).toBeGreaterThanOrEqual(Math.min(...percents));
				expect(result).toBeLessThanOrEqual(Math.max(...percents));
				expect(result === 100).toBe(percents.every((p) => p === 100));
			}),
		);
	});
});
