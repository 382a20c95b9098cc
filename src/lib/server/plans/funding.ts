/**
 * Money by source (资金来源): who pays for each plan item. Seeds/001 and seeds/004 name the
 * sources — 财政补助, 专项维修资金, 住房公积金, 管线单位, 原产权单位, 社会资本 and 居民出资 ("谁受益、
 * 谁出资"). Amounts are integer fen (bigint), never floats. Pure, unit-tested.
 */
import { parseYuan } from './rules.ts';

export const FUNDING_SOURCES = [
	'government',
	'maintenance_fund',
	'provident_fund',
	'utilities',
	'former_owner',
	'private_capital',
	'residents',
] as const;

export type FundingSource = (typeof FUNDING_SOURCES)[number];

/** One item's amounts by source, in fen; a source it does not use is absent or 0n. */
export type Funding = Partial<Record<FundingSource, bigint>>;

/**
 * THE rule for what residents pay of an item: with a funding breakdown, its 居民出资 amount
 * alone (the other sources never reach a household's share); an item without a breakdown
 * (entered before sources existed) keeps its residents' column. Every household share — on the
 * plan page and on ballots — is split from this amount (ballots/cost-share.ts `splitCost`).
 */
export function residentPartFen(item: { residentYuan: string; funding: Funding | null }): bigint {
	if (item.funding !== null) return item.funding.residents ?? 0n;
	return parseYuan(item.residentYuan) ?? 0n;
}

/**
 * Checks a breakdown against the item's cost: every amount ≥ 0 and together no more than the
 * cost (a shortfall is allowed and shown as "not yet funded"). Returns an i18n error key or null.
 */
export function checkFunding(
	costFen: bigint,
	funding: Funding,
): 'funding.amountInvalid' | 'funding.overCost' | null {
	let sum = 0n;
	for (const source of FUNDING_SOURCES) {
		const amount = funding[source] ?? 0n;
		if (amount < 0n) return 'funding.amountInvalid';
		sum += amount;
	}
	return sum > costFen ? 'funding.overCost' : null;
}

/** The sum of a breakdown's sources, in fen. */
export function fundingSum(funding: Funding): bigint {
	return FUNDING_SOURCES.reduce((sum, source) => sum + (funding[source] ?? 0n), 0n);
}

/**
 * What a breakdown means for the item's two legacy columns: 居民出资 is the residents' part, and
 * everything else is paid by others (shown as "government and others" where only two columns fit).
 */
export function legacyColumns(funding: Funding): { residentFen: bigint; othersFen: bigint } {
	const residentFen = funding.residents ?? 0n;
	return { residentFen, othersFen: fundingSum(funding) - residentFen };
}

/**
 * Totals by source over a version's items, and the unfunded rest of their cost. An item without
 * a breakdown counts its residents' column as 居民出资 and its government column as 财政补助.
 */
export function fundingTotals(
	items: readonly {
		costYuan: string;
		governmentYuan: string;
		residentYuan: string;
		funding: Funding | null;
	}[],
): { bySource: Record<FundingSource, bigint>; costFen: bigint; unfundedFen: bigint } {
	const bySource = Object.fromEntries(FUNDING_SOURCES.map((s) => [s, 0n])) as Record<
		FundingSource,
		bigint
	>;
	let costFen = 0n;
	let funded = 0n;
	for (const item of items) {
		costFen += parseYuan(item.costYuan) ?? 0n;
		const funding = effectiveFunding(item);
		for (const source of FUNDING_SOURCES) {
			const amount = funding[source] ?? 0n;
			bySource[source] += amount;
			funded += amount;
		}
	}
	return { bySource, costFen, unfundedFen: costFen > funded ? costFen - funded : 0n };
}

/** An item's breakdown, or the one its two legacy columns imply. */
export function effectiveFunding(item: {
	governmentYuan: string;
	residentYuan: string;
	funding: Funding | null;
}): Funding {
	if (item.funding !== null) return item.funding;
	return {
		government: parseYuan(item.governmentYuan) ?? 0n,
		residents: parseYuan(item.residentYuan) ?? 0n,
	};
}
