import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawByLot, ticket } from '../../../src/lib/server/supervision/rules.ts';

describe('drawByLot (监督小组 by lot, re-runnable from the published seed)', () => {
	it('a ticket is the SHA-256 of "seed:id" as anyone computes it', () => {
		expect(ticket('2026-hongyan', 17)).toBe(
			createHash('sha256').update('2026-hongyan:17').digest('hex'),
		);
		// The same value `printf '%s' 'abc:1' | sha256sum` prints.
		expect(ticket('abc', 1)).toBe(
			'bfcf0b9cbe9d8208b2cddd9a01c31a9a60698a106a0e4fc1664233a15f16acec',
		);
	});

	it('orders by ticket and draws the first seats', () => {
		const ids = [3, 5, 8, 13, 21];
		const result = drawByLot('seed-1', ids, 2);
		const sorted = [...result].map((e) => e.ticket);
		expect(sorted).toEqual([...sorted].sort());
		expect(result.filter((e) => e.drawn)).toEqual(result.slice(0, 2));
		expect(result.map((e) => e.id).sort((a, b) => a - b)).toEqual(ids);
	});

	it('is deterministic and does not depend on the order candidates are listed in', () => {
		const a = drawByLot('2026-12-06', [1, 2, 3, 4, 5, 6], 3);
		const b = drawByLot('2026-12-06', [6, 5, 4, 3, 2, 1], 3);
		expect(b).toEqual(a);
	});

	it('another seed gives another order (over many seeds every volunteer can be drawn)', () => {
		const drawnEver = new Set<number>();
		for (let n = 0; n < 50; n += 1) {
			for (const e of drawByLot(`s${n}`, [1, 2, 3, 4], 1)) if (e.drawn) drawnEver.add(e.id);
		}
		expect([...drawnEver].sort()).toEqual([1, 2, 3, 4]);
	});

	it('refuses more seats than volunteers, zero seats, and a volunteer listed twice', () => {
		expect(() => drawByLot('s', [1, 2], 3)).toThrow(RangeError);
		expect(() => drawByLot('s', [1, 2], 0)).toThrow(RangeError);
		expect(() => drawByLot('s', [1, 1], 1)).toThrow(RangeError);
	});
});
