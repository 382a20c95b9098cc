import { describe, expect, it } from 'vitest';
import { agreementBlockers, householdTerms } from '../../../src/lib/server/agreements/rules.ts';

// Building 1 has households 1–3 (areas 60, 80, 100 m²); building 2 has household 4.
const scope = [
	{ id: 1, buildingId: 1, areaCenti: 6000n },
	{ id: 2, buildingId: 1, areaCenti: 8000n },
	{ id: 3, buildingId: 1, areaCenti: 10000n },
	{ id: 4, buildingId: 2, areaCenti: 7000n },
];
const elevator = { id: 10, buildingId: 1, residentCents: 24_000_00n, split: 'area' as const };
const roof = { id: 11, buildingId: 2, residentCents: 0n, split: 'area' as const };
const parking = { id: 12, buildingId: null, residentCents: 400n, split: 'equal' as const };

describe('householdTerms', () => {
	it('lists the public items and its own building items, with its exact share', () => {
		expect(householdTerms([elevator, roof, parking], scope, 3)).toEqual({
			items: [
				{ id: 10, cents: 10_000_00n },
				{ id: 12, cents: 100n },
			],
			totalCents: 10_001_00n,
		});
		expect(householdTerms([elevator, roof, parking], scope, 4)!.items.map((i) => i.id)).toEqual([
			11, 12,
		]);
	});
	it('has no terms for a household outside the scope', () => {
		expect(householdTerms([elevator], scope, 99)).toBeNull();
	});
	it('shares add up to the residents’ part to the fen', () => {
		const total = [1, 2, 3].reduce(
			(sum, id) => sum + householdTerms([elevator], scope, id)!.totalCents,
			0n,
		);
		expect(total).toBe(elevator.residentCents);
	});
});

describe('agreementBlockers (the gate before works start)', () => {
	const cases: {
		name: string;
		agreed: number[];
		expected: ReturnType<typeof agreementBlockers>;
	}[] = [
		{
			name: 'nobody agreed',
			agreed: [],
			expected: [{ itemId: 10, buildingId: 1, paying: 3, missing: 3 }],
		},
		{
			name: 'one paying household missing',
			agreed: [1, 2, 4],
			expected: [{ itemId: 10, buildingId: 1, paying: 3, missing: 1 }],
		},
		{ name: 'every paying household agreed', agreed: [1, 2, 3], expected: [] },
	];
	for (const { name, agreed, expected } of cases) {
		it(name, () => {
			expect(agreementBlockers([elevator, roof, parking], scope, new Set(agreed))).toEqual(
				expected,
			);
		});
	}
	it('does not wait for items residents do not pay for, nor for public items', () => {
		expect(agreementBlockers([roof, parking], scope, new Set())).toEqual([]);
	});
	it('does not count a household whose share rounds to nothing as paying', () => {
		const tiny = { id: 13, buildingId: 1, residentCents: 2n, split: 'equal' as const };
		expect(agreementBlockers([tiny], scope, new Set())).toEqual([
			{ itemId: 13, buildingId: 1, paying: 2, missing: 2 },
		]);
	});
});
