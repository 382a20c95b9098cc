import type { agreements as zh } from '../zh-CN/agreements.ts';

/** English — renovation agreements, supervision group, policy explainers (issue 22). */
export const agreements: Record<keyof typeof zh, string> = {
	'agreements.pageTitle': '{project} · Renovation agreement',
	'agreements.intro':
		'Once the final plan is published, the community signs a renovation agreement with each household: the works that concern it and its cost share. An owner, or a member the owner authorised, can confirm it here online, or sign a paper copy at the community office.',
	'agreements.noFinalPlan': 'The agreement can be confirmed once the final plan is published.',
	'agreements.finalPlanLink': 'See the final plan (version {number})',
	'agreements.totals': '{agreed} of {households} households have confirmed',
	'agreements.signIn': "Sign in to confirm your household's agreement",
	'agreements.notBound': 'You have not bound a home in this project yet.',
	'agreements.bindLink': 'Bind your home',
	'agreements.householdTitle': 'Building {building}, unit {unit}, room {room}',
	'agreements.termsIntro': 'The works in the final plan that concern this household:',
	'agreements.buildingItem': 'building {number}',
	'agreements.itemShare': 'your share ¥{yuan}',
	'agreements.totalShare': "This household's total share: ¥{yuan}",
	'agreements.agreedOnline':
		'This household confirmed the agreement online on {time} (share ¥{yuan}).',
	'agreements.agreedPaper':
		'This household signed a paper agreement, recorded by the community on {time} (share ¥{yuan}).',
	'agreements.confirmText':
		"On behalf of this household I agree to the works above as in the final plan and to pay this household's share of ¥{yuan}. This cannot be withdrawn online; contact the community if you disagree.",
	'agreements.confirmButton': 'Confirm the agreement',
	'agreements.confirmedNotice': 'Confirmed. Thank you!',
	'agreements.ownerOnly':
		'Only an owner, or a member the owner authorised, can confirm the agreement.',
	'agreements.already': 'This household has already confirmed the agreement.',
	'agreements.photoRequired': 'Please upload a photo of the signed page.',
	'agreements.byUnit': 'Confirmations by unit',
	'agreements.unitColumn': 'Building and unit',
	'agreements.householdsColumn': 'Households',
	'agreements.agreedColumn': 'Confirmed',
	'agreements.unitLabel': 'Building {building}, unit {unit}',
	'agreements.gateTitle': 'Before works start',
	'agreements.gateRule':
		'A building item residents pay for (such as a new elevator) starts only when every household paying for it has confirmed the agreement.',
	'agreements.gateOpen': 'The works may start.',
	'agreements.gateWaiting':
		'Building {building}, “{item}”: {missing} of {paying} paying households have not confirmed yet',
	'agreements.gateBlocked':
		'The start of works cannot be recorded yet: households paying for these building items have not all confirmed the agreement ({list}).',
	'agreements.publicPage': 'See the public page',
	'agreements.paperRecorded': 'Paper agreement recorded.',
	'agreements.paperTitle': 'Record a paper agreement',
	'agreements.paperIntro':
		'When a household signed a paper agreement at the office, choose its room and upload a photo of the signed page (the photo is not public).',
	'agreements.allAgreed': 'Every household has confirmed.',
	'agreements.household': 'Room',
	'agreements.photo': 'Photo of the signed page',
	'agreements.paperSubmit': 'Record',
	'agreements.participationTitle': 'Agreement, supervision and policy',
	'agreements.linkWithCount': 'Renovation agreement: {agreed} of {households} households confirmed',
	'agreements.staffLink': 'Renovation agreement (record paper copies)',
};
