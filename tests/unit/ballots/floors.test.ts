import { describe, expect, it } from 'vitest';
import { splitCost } from '../../../src/lib/server/ballots/cost-share.ts';
import {
	coefficientsText,
	floorGeometry,
	formatPermille,
	parseFloorCoefficients,
	permilleFor,
	type FloorCounts,
} from '../../../src/lib/server/ballots/floors.ts';

describe('parseFloorCoefficients', () => {
	it('reads floor:coefficient lines into exact thousandths, lowest floor first', () => {
		expect(parseFloorCoefficients('3=0.45\n1:0\n2楼：0.3, 4层:1\n5F:1.125；6:10')).toEqual({
			ok: true,
			coefficients: [
				{ floor: 1, permille: 0 },
				{ floor: 2, permille: 300 },
				{ floor: 3, permille: 450 },
				{ floor: 4, permille: 1000 },
				{ floor: 5, permille: 1125 },
				{ floor: 6, permille: 10_000 },
			],
		});
	});

	it('reads empty input as no coefficients', () => {
		expect(parseFloorCoefficients('  \n \n')).toEqual({ ok: true, coefficients: [] });
	});

	it.each([
		['1:0\n2:abc', 2],
		['1:0.1234', 1],
		['1:0\n1:0.5', 2],
		['2:10.001', 1],
		['101:1', 1],
		['-6:1', 1],
		['2:-0.3', 1],
		['2:1e3', 1],
		['<script>:1', 1],
		['2', 1],
	])('refuses %j at line %i', (input, line) => {
		expect(parseFloorCoefficients(input)).toEqual({ ok: false, line });
	});

	it('round-trips through the text staff edit', () => {
		const parsed = parseFloorCoefficients('1:0\n2:0.3\n3:1.25\n4:2');
		expect(parsed.ok && coefficientsText(parsed.coefficients)).toBe('1:0\n2:0.3\n3:1.25\n4:2');
	});

	it('formats thousandths without floats', () => {
		expect([0, 5, 300, 1000, 1001, 10_000].map(formatPermille)).toEqual([
			'0',
			'0.005',
			'0.3',
			'1',
			'1.001',
			'10',
		]);
	});

	it('gives an unlisted floor the coefficient 1', () => {
		const coefficients = [{ floor: 1, permille: 0 }];
		expect(permilleFor(coefficients, 1)).toBe(0);
		expect(permilleFor(coefficients, 7)).toBe(1000);
	});
});

describe('splitCost with floor coefficients', () => {
	it('weighs each household by its floor: the ground floor pays nothing', () => {
		const shares = splitCost(100_000n, 'equal', [
			{ householdId: 1, areaCenti: 8000n, floorPermille: 0n },
			{ householdId: 2, areaCenti: 8000n, floorPermille: 300n },
			{ householdId: 3, areaCenti: 8000n, floorPermille: 700n },
		]);
		expect([...shares.values()]).toEqual([0n, 30_000n, 70_000n]);
	});

	it('multiplies area by the coefficient and still adds up to the cent', () => {
		const shares = splitCost(100_000n, 'area', [
			{ householdId: 1, areaCenti: 6000n, floorPermille: 1000n },
			{ householdId: 2, areaCenti: 9000n, floorPermille: 1000n },
			{ householdId: 3, areaCenti: 6000n, floorPermille: 1500n },
		]);
		// 60 m² × 1, 90 m² × 1 and 60 m² × 1.5: the third pays as much as the second.
		expect([...shares.values()]).toEqual([25_000n, 37_500n, 37_500n]);
		const odd = splitCost(100_001n, 'area', [
			{ householdId: 1, areaCenti: 6000n, floorPermille: 300n },
			{ householdId: 2, areaCenti: 7001n, floorPermille: 1300n },
		]);
		expect([...odd.values()].reduce((a, b) => a + b, 0n)).toBe(100_001n);
	});

	it('refuses coefficients that are all zero', () => {
		expect(() =>
			splitCost(100n, 'equal', [{ householdId: 1, areaCenti: 1n, floorPermille: 0n }]),
		).toThrow(RangeError);
	});
});

describe('floorGeometry', () => {
	const floor = (n: number, agree: number, disagree = 0, abstain = 0, none = 0): FloorCounts => ({
		floor: n,
		agree,
		disagree,
		abstain,
		none,
	});

	it('puts the top floor at the top and one cell per flat, ordered by answer', () => {
		const g = floorGeometry([floor(1, 0, 1, 0, 1), floor(3, 2), floor(2, 1, 0, 1)], {
			width: 320,
			rowHeight: 36,
		});
		expect(g.rows.map((r) => r.floor)).toEqual([3, 2, 1]);
		expect(g.rows.map((r) => r.y)).toEqual([0, 36, 72]);
		expect(g.height).toBe(108);
		expect(g.rows[2]!.cells.map((c) => c.response)).toEqual(['disagree', 'none']);
		expect(g.rows[1]!.cells.map((c) => c.response)).toEqual(['agree', 'abstain']);
	});

	it('keeps every cell inside the box, never sideways, left of nothing but the label', () => {
		const g = floorGeometry([floor(1, 3, 2, 1, 2), floor(2, 1)], { width: 320 });
		for (const row of g.rows) {
			for (const cell of row.cells) {
				expect(cell.x).toBeGreaterThanOrEqual(g.labelWidth);
				expect(cell.x + cell.width).toBeLessThanOrEqual(g.width - 4 + 1e-9);
				expect(cell.y).toBeGreaterThanOrEqual(row.y);
				expect(cell.y + cell.height).toBeLessThanOrEqual(row.y + row.height);
			}
			const xs = row.cells.map((c) => c.x);
			expect(xs).toEqual([...xs].sort((a, b) => a - b));
		}
	});

	it('grows a tall building downwards with rows at least 28 units tall', () => {
		const floors = Array.from({ length: 33 }, (_, i) => floor(i + 1, 2, 0, 0, 2));
		const g = floorGeometry(floors);
		expect(g.width).toBe(320);
		expect(g.rows.every((r) => r.height >= 28 && r.cells.every((c) => c.height >= 28))).toBe(true);
		expect(g.height).toBe(33 * g.rows[0]!.height);
	});

	it('draws a floor with no flats as an empty row', () => {
		expect(floorGeometry([floor(1, 0)]).rows[0]!.cells).toEqual([]);
	});
});
