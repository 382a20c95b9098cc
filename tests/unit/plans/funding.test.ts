import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	checkFunding,
	FUNDING_SOURCES,
	fundingTotals,
	legacyColumns,
	residentPartFen,
	type Funding,
} from '../../../src/lib/server/plans/funding.ts';

describe('residentPartFen: residents pay only the 居民出资 part', () => {
	it.each([
		[
			'a breakdown: only 居民出资 counts',
			{
				residentYuan: '99999.00',
				funding: { government: 500000n, maintenance_fund: 200000n, residents: 30000n },
			},
			30000n,
		],
		[
			'a breakdown without 居民出资: residents pay nothing',
			{ residentYuan: '40000.00', funding: { government: 100000n } },
			0n,
		],
		['no breakdown: the residents column', { residentYuan: '400.50', funding: null }, 40050n],
		['an empty breakdown: nothing', { residentYuan: '12.00', funding: {} }, 0n],
	] as const)('%s', (_name, item, expected) => {
		expect(residentPartFen(item as { residentYuan: string; funding: Funding | null })).toBe(
			expected,
		);
	});

	it('never depends on the other sources', () => {
		const amount = fc.bigInt({ min: 0n, max: 10n ** 12n });
		fc.assert(
			fc.property(amount, amount, amount, amount, (residents, a, b, c) => {
				const funding: Funding = { residents, government: a, utilities: b, private_capital: c };
				expect(residentPartFen({ residentYuan: '0.00', funding })).toBe(residents);
			}),
		);
	});
});

describe('checkFunding', () => {
	it.each([
		['within the cost', 1000n, { government: 600n, residents: 400n }, null],
		['short of the cost (shown as not yet funded)', 1000n, { government: 100n }, null],
		['over the cost by one fen', 1000n, { government: 600n, residents: 401n }, 'funding.overCost'],
		['a negative amount', 1000n, { government: -1n }, 'funding.amountInvalid'],
	] as const)('%s', (_name, cost, funding, expected) => {
		expect(checkFunding(cost, funding as Funding)).toBe(expected);
	});
});

describe('legacyColumns and fundingTotals', () => {
	it('puts 居民出资 in the residents column and every other source in the other', () => {
		expect(legacyColumns({ government: 5n, provident_fund: 7n, residents: 3n })).toEqual({
			residentFen: 3n,
			othersFen: 12n,
		});
	});

	it('adds up by source, counts items without a breakdown by their columns, and the rest is unfunded', () => {
		const totals = fundingTotals([
			{
				costYuan: '100.00',
				governmentYuan: '0.00',
				residentYuan: '0.00',
				funding: { government: 6000n, utilities: 1000n, residents: 2000n },
			},
			{ costYuan: '50.00', governmentYuan: '30.00', residentYuan: '20.00', funding: null },
		]);
		expect(totals.bySource.government).toBe(9000n);
		expect(totals.bySource.utilities).toBe(1000n);
		expect(totals.bySource.residents).toBe(4000n);
		expect(totals.costFen).toBe(15000n);
		expect(totals.unfundedFen).toBe(1000n);
		const sum = FUNDING_SOURCES.reduce((s, k) => s + totals.bySource[k], 0n);
		expect(sum + totals.unfundedFen).toBe(totals.costFen);
	});
});
