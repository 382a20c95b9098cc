import type { funding as zh } from '../zh-CN/funding.ts';

/** English — money by source and alternative designs (issue 22). */
export const funding: Record<keyof typeof zh, string> = {
	'funding.source.government': 'Government subsidy',
	'funding.source.maintenance_fund': 'Maintenance fund',
	'funding.source.provident_fund': 'Housing provident fund',
	'funding.source.utilities': 'Utility companies',
	'funding.source.former_owner': 'Former owner unit',
	'funding.source.private_capital': 'Private capital',
	'funding.source.residents': 'Residents',
	'funding.amountInvalid': 'An amount must be 0 or more, with at most two decimals.',
	'funding.overCost': 'The sources together cannot exceed what the item costs.',
	'funding.title': 'Who pays',
	'funding.intro':
		'Where the money for each item comes from. Household shares are split from the residents’ part only; the other sources cost residents nothing.',
	'funding.totalsTitle': 'All items together',
	'funding.cost': 'Total cost ¥{amount}',
	'funding.line': '{source}: ¥{amount}',
	'funding.unfunded': 'Not yet funded: ¥{amount}',
	'funding.noBreakdown': 'No breakdown by source (government and residents as entered)',
	'funding.fundUseTitle': 'Maintenance fund use',
	'funding.fundUseLine': '{date}  ¥{amount}  {use}',
	'funding.fundUseAll': 'All money disclosures',
	'funding.editTitle': 'Who pays (yuan)',
	'funding.editHint':
		'Leave empty for 0. Together no more than the cost; the residents’ part is split among households.',
	'funding.save': 'Save who pays',
	'alternatives.tooMany': 'An item can offer at most three designs.',
	'alternatives.labelRequired': 'Name the design, e.g. “Design 1: steel shelter”.',
	'alternatives.title': 'Choose a design',
	'alternatives.intro':
		'This item has several designs. When the plan is open for opinions, your household picks the one it prefers.',
	'alternatives.cost': 'Cost ¥{amount}',
	'alternatives.chosen': 'The design residents chose',
	'alternatives.chosenNote':
		'Most households chose this design when the previous version was open for opinions.',
	'alternatives.imageAlt': 'Rendering of {label}',
	'alternatives.add': 'Add a design',
	'alternatives.label': 'Design name',
	'alternatives.labelEn': 'Design name (English)',
	'alternatives.description': 'Description',
	'alternatives.costLabel': 'Cost (yuan)',
	'alternatives.image': 'Rendering (optional)',
	'alternatives.hint':
		'Offer two or three designs per item. In the plan’s opinion round each household picks one.',
};
