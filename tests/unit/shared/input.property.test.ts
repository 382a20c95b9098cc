import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../../src/lib/server/http/redirect.ts';
import {
	INT4_MAX,
	dbId,
	intParam,
	isCalendarDate,
	isLocalDateTime,
} from '../../../src/lib/server/shared/input.ts';

/** Random ids, dates and strings in any encoding: every one is accepted within range or refused. */
describe('edge parsers never let a value through that the database would refuse', () => {
	const anyText = fc.oneof(
		fc.string(),
		fc.string({ unit: 'grapheme' }),
		fc.string({ unit: 'binary' }),
		fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
		fc.double().map(String),
	);

	it('intParam: a positive int4 or NaN', () => {
		fc.assert(
			fc.property(anyText, (raw) => {
				const id = intParam(raw);
				if (!Number.isNaN(id)) {
					expect(Number.isInteger(id) && id >= 1 && id <= INT4_MAX).toBe(true);
					expect(String(id)).toBe(raw.replace(/^0+(?=\d)/, ''));
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('dbId: a form id parses only within int4', () => {
		fc.assert(
			fc.property(fc.oneof(anyText, fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String)), (raw) => {
				const parsed = dbId().safeParse(raw);
				if (parsed.success) expect(parsed.data >= 1 && parsed.data <= INT4_MAX).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});

	it('dates: accepted only when JavaScript and PostgreSQL agree on the same day', () => {
		const dateLike = fc
			.tuple(
				fc.integer({ min: 0, max: 9999 }),
				fc.integer({ min: 0, max: 14 }),
				fc.integer({ min: 0, max: 33 }),
			)
			.map(
				([y, m, d]) =>
					`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
			);
		fc.assert(
			fc.property(fc.oneof(dateLike, anyText), (value) => {
				if (!isCalendarDate(value)) return;
				const date = new Date(`${value}T00:00:00Z`);
				expect(date.toISOString().slice(0, 10)).toBe(value);
				expect(isLocalDateTime(`${value}T23:59`)).toBe(true);
			}),
			{ numRuns: 3000 },
		);
	});

	it('redirect targets: same-site and always fit in a Location header', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					anyText,
					anyText.map((s) => `/${s}`),
				),
				(value) => {
					const path = safeRedirectPath(value);
					expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
					expect(() => new Headers({ Location: path })).not.toThrow();
				},
			),
			{ numRuns: 3000 },
		);
	});
});
