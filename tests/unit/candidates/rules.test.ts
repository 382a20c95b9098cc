import { describe, expect, it } from 'vitest';
import { isEligible, percent, rankCandidates } from '../../../src/lib/server/candidates/rules.ts';

const c = (
	compoundId: number,
	households: number,
	responded: number,
	willing: number,
	builtYear: number | null = 1990,
) => ({
	compoundId,
	households,
	responded,
	willing,
	builtYear,
});

describe('isEligible: built before the district cutoff', () => {
	it.each([
		[1999, 2000, true],
		[2000, 2000, false],
		[2004, 2005, true],
		[null, 2000, false],
	] as const)('built %s, cutoff %s → %s', (year, cutoff, expected) => {
		expect(isEligible(year, cutoff)).toBe(expected);
	});
});

describe('rankCandidates', () => {
	it('ranks by willing households over ALL households, not over those who answered', () => {
		// 3 answered of 100, all willing (3 %) vs 60 of 100 willing (60 %).
		const few = c(1, 100, 3, 3);
		const many = c(2, 100, 80, 60);
		expect(rankCandidates([few, many]).map((x) => x.compoundId)).toEqual([2, 1]);
	});

	it('breaks ties by participation, then the older compound, then the id', () => {
		const a = c(1, 10, 6, 5, 1990); // 50 % willing, 60 % answered
		const b = c(2, 20, 16, 10, 1995); // 50 % willing, 80 % answered
		const d = c(3, 10, 6, 5, 1980); // same as a, older
		const e = c(4, 10, 6, 5, 1980); // same as d, larger id
		expect(rankCandidates([a, e, d, b]).map((x) => x.compoundId)).toEqual([2, 3, 4, 1]);
	});

	it('puts compounds without a needs round last', () => {
		const none = c(1, 0, 0, 0, 1970);
		const some = c(2, 50, 10, 1, 1999);
		expect(rankCandidates([none, some]).map((x) => x.compoundId)).toEqual([2, 1]);
	});

	it('compares exact ratios (2/3 ranks above 66/100)', () => {
		expect(rankCandidates([c(1, 100, 66, 66), c(2, 3, 2, 2)]).map((x) => x.compoundId)).toEqual([
			2, 1,
		]);
	});

	it('shows percentages rounded down', () => {
		expect(percent(2, 3)).toBe(66);
		expect(percent(0, 0)).toBe(0);
	});
});
