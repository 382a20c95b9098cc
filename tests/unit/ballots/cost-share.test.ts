import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	estimateHouseholdCost,
	householdItemShare,
	splitCost,
	type CostItem,
	type ShareUnit,
	type SplitMethod,
} from '../../../src/lib/server/ballots/cost-share.ts';

const scopeOf = (areas: bigint[], firstId = 1): ShareUnit[] =>
	areas.map((areaCenti, i) => ({ householdId: firstId + i, areaCenti }));

const sharesOf = (total: bigint, method: SplitMethod, scope: ShareUnit[]) => [
	...splitCost(total, method, scope).values(),
];

describe('splitCost', () => {
	it.each([
		['equal, even', 300n, 'equal', [1n, 1n, 1n], [100n, 100n, 100n]],
		['equal, the smallest id takes the extra cent', 100n, 'equal', [1n, 1n, 1n], [34n, 33n, 33n]],
		['equal, two extra cents', 101n, 'equal', [9n, 5n, 7n], [34n, 34n, 33n]],
		['area, exact', 1000n, 'area', [5000n, 5000n, 10_000n], [250n, 250n, 500n]],
		['area, the largest remainder takes it', 10n, 'area', [3333n, 3333n, 3334n], [3n, 3n, 4n]],
		['area, remainder beats id', 100n, 'area', [1000n, 2000n, 4000n], [14n, 29n, 57n]],
		['nothing to share', 0n, 'area', [7236n, 8550n], [0n, 0n]],
		['one household pays it all', 123_456n, 'area', [6000n], [123_456n]],
		['fewer cents than households', 2n, 'equal', [1n, 1n, 1n, 1n], [1n, 1n, 0n, 0n]],
	] as const)('%s', (_label, total, method, areas, expected) => {
		expect(sharesOf(total, method, scopeOf([...areas]))).toEqual(expected);
	});

	it('gives every household in the scope a share, keyed by id', () => {
		const shares = splitCost(1000n, 'area', scopeOf([6000n, 4000n], 40));
		expect([...shares.entries()]).toEqual([
			[40, 600n],
			[41, 400n],
		]);
	});

	it.each([
		['a negative total', -1n, 'equal', scopeOf([1n])],
		['an empty scope', 100n, 'equal', []],
		['a household twice', 100n, 'equal', [...scopeOf([1n]), ...scopeOf([1n])]],
		['a zero area when splitting by area', 100n, 'area', scopeOf([0n, 100n])],
	] as const)('throws RangeError on %s', (_label, total, method, scope) => {
		expect(() => splitCost(total, method, [...scope])).toThrow(RangeError);
	});
});

describe('householdItemShare and estimateHouseholdCost', () => {
	const lift: CostItem = {
		itemId: 7,
		residentShareCents: 30_000_000n,
		split: 'area',
		scope: scopeOf([6000n, 9000n, 15_000n]),
	};
	const door: CostItem = {
		itemId: 9,
		residentShareCents: 1000n,
		split: 'equal',
		scope: scopeOf([6000n, 9000n, 15_000n]),
	};
	const otherBuilding: CostItem = {
		itemId: 11,
		residentShareCents: 5000n,
		split: 'equal',
		scope: scopeOf([8000n], 100),
	};

	it.each([
		[1, lift, 6_000_000n],
		[3, lift, 15_000_000n],
		[1, door, 334n],
		[2, door, 333n],
		[1, otherBuilding, null],
	] as const)('household %d, item %o → %s', (householdId, item, expected) => {
		expect(householdItemShare(item, householdId)).toBe(expected);
	});

	it('sums the supported items and leaves out those outside its scope', () => {
		expect(estimateHouseholdCost(1, [lift, door, otherBuilding])).toEqual({
			totalCents: 6_000_334n,
			items: [
				{ itemId: 7, cents: 6_000_000n },
				{ itemId: 9, cents: 334n },
			],
		});
		expect(estimateHouseholdCost(100, [lift, otherBuilding])).toEqual({
			totalCents: 5000n,
			items: [{ itemId: 11, cents: 5000n }],
		});
		expect(estimateHouseholdCost(1, [])).toEqual({ totalCents: 0n, items: [] });
	});
});

describe('splitCost properties', () => {
	const scopes = fc.oneof(
		fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 1, maxLength: 40 }),
		// Repeated areas make ties in the remainders.
		fc.array(fc.constantFrom(6000n, 7236n, 8550n), { minLength: 1, maxLength: 40 }),
	);
	const totals = fc.bigInt({ min: 0n, max: 10n ** 12n });
	const methods = fc.constantFrom<SplitMethod>('area', 'equal');

	it('shares add up to the total, each within one cent of its exact quota', () => {
		fc.assert(
			fc.property(totals, methods, scopes, (total, method, areas) => {
				const scope = scopeOf(areas);
				const shares = sharesOf(total, method, scope);
				expect(shares.reduce((s, x) => s + x, 0n)).toBe(total);
				const weights = areas.map((a) => (method === 'area' ? a : 1n));
				const totalWeight = weights.reduce((s, w) => s + w, 0n);
				shares.forEach((share, i) => {
					// |share − total·w/W| < 1  ⇔  |share·W − total·w| < W
					const gap = share * totalWeight - total * weights[i]!;
					expect(gap < totalWeight && -gap < totalWeight).toBe(true);
				});
			}),
		);
	});

	it('an equal split differs by at most one cent', () => {
		fc.assert(
			fc.property(totals, scopes, (total, areas) => {
				const shares = sharesOf(total, 'equal', scopeOf(areas));
				const [min, max] = [
					shares.reduce((a, b) => (b < a ? b : a)),
					shares.reduce((a, b) => (b > a ? b : a)),
				];
				expect(max - min <= 1n).toBe(true);
			}),
		);
	});

	it('a larger area never pays less; equal areas differ by at most one cent', () => {
		fc.assert(
			fc.property(totals, scopes, (total, areas) => {
				const shares = sharesOf(total, 'area', scopeOf(areas));
				areas.forEach((a, i) =>
					areas.forEach((b, j) => {
						if (a > b) expect(shares[i]! >= shares[j]!).toBe(true);
						if (a === b) expect(shares[i]! - shares[j]! <= 1n).toBe(true);
					}),
				);
			}),
		);
	});

	it('does not depend on the order of the scope', () => {
		fc.assert(
			fc.property(totals, methods, scopes, (total, method, areas) => {
				const scope = scopeOf(areas);
				const byId = (m: Map<number, bigint>) => [...m].sort(([a], [b]) => a - b);
				expect(byId(splitCost(total, method, [...scope].reverse()))).toEqual(
					byId(splitCost(total, method, scope)),
				);
			}),
		);
	});
});
