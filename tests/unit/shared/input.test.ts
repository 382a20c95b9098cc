import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../../src/lib/server/http/redirect.ts';
import {
	INT4_MAX,
	dbId,
	intParam,
	isCalendarDate,
	isLocalDateTime,
} from '../../../src/lib/server/shared/input.ts';
import { offlineInput } from '../../../src/lib/server/moderation/schemas.ts';
import { defectFixedInput } from '../../../src/lib/server/progress/schemas.ts';
import { issueCodesInput } from '../../../src/lib/server/households/schemas.ts';

describe('ids against the int4 range', () => {
	it.each([
		['1', 1],
		['42', 42],
		[String(INT4_MAX), INT4_MAX],
	])('%s → %d', (raw, id) => expect(intParam(raw)).toBe(id));

	it.each(['0', '2147483648', '99999999999', '-1', '1e3', '12abc', ' 1', '', '٣', '0x10', null])(
		'%s → NaN (answered as not found)',
		(raw) => expect(intParam(raw)).toBeNaN(),
	);

	it('form ids above 2,147,483,647 are refused by the schema, not by PostgreSQL', () => {
		expect(dbId().safeParse('2147483648').success).toBe(false);
		expect(dbId().safeParse('2147483647').success).toBe(true);
		expect(issueCodesInput.safeParse({ householdId: '99999999999' }).success).toBe(false);
		expect(
			defectFixedInput.safeParse({ defectId: '3000000000', fixedOn: '2026-03-01' }).success,
		).toBe(false);
	});
});

describe('strict dates', () => {
	it.each(['2026-02-28', '2028-02-29', '2026-12-31', '2026-01-01'])('%s is a day', (d) =>
		expect(isCalendarDate(d)).toBe(true),
	);
	it.each([
		'2026-02-30',
		'2026-02-29',
		'2026-04-31',
		'2026-13-01',
		'2026-00-10',
		'0000-01-01',
		'2026-1-1',
		'2026-01-01x',
	])('%s is refused', (d) => expect(isCalendarDate(d)).toBe(false));
	it.each([
		['2026-03-01T09:30', true],
		['2026-03-01T23:59:59', true],
		['2026-02-30T09:30', false],
		['2026-03-01T24:00', false],
		['2026-03-01T09:60', false],
	])('%s → %s', (v, ok) => expect(isLocalDateTime(v)).toBe(ok));

	it('an offline opinion received on 2026-02-30 is refused with the date message', () => {
		const parsed = offlineInput.safeParse({
			planVersionId: 1,
			householdId: 1,
			channel: 'paper',
			receivedOn: '2026-02-30',
			alignment: 'support',
			body: '意见',
		});
		expect(parsed.success).toBe(false);
		expect(parsed.error!.issues.map((i) => i.message)).toContain('moderation.dateInvalid');
	});
});

describe('redirect targets always fit a Location header', () => {
	it.each([
		['/账户', '/%E8%B4%A6%E6%88%B7'],
		['/p/x?q=老旧 小区', '/p/x?q=%E8%80%81%E6%97%A7%20%E5%B0%8F%E5%8C%BA'],
		['/account', '/account'],
		['/a%20b', '/a%20b'],
		['//evil.example', '/'],
		['/\\evil', '/'],
		['https://evil.example', '/'],
		['/\ud800x', '/'],
	])('%s → %s', (value, expected) => {
		const path = safeRedirectPath(value);
		expect(path).toBe(expected);
		expect(() => new Headers({ Location: path })).not.toThrow();
	});
});
