import type { insights as zh } from '../zh-CN/insights.ts';

/** English — what the committee learns: opinions grouped by item and term, the district menu view. */
export const insights: Record<keyof typeof zh, string> = {
	'insights.link': 'Opinions by item and frequent terms',
	'insights.title': 'Opinions by item: {project}',
	'insights.intro':
		'Residents’ opinions grouped by renovation item, with the words they use most. The unanswered opinions under one word can be read and answered together, one by one.',
	'insights.totals': 'Opinions: {opinions}, unanswered: {unanswered}',
	'insights.none': 'This project has no published opinions yet.',
	'insights.wholePlan': 'The plan as a whole (no item named)',
	'insights.groupCount': 'Opinions: {opinions}, unanswered: {unanswered}',
	'insights.termLine': '{term} · opinions: {opinions}, unanswered: {unanswered}',
	'insights.termsTitle': 'Frequent terms',
	'insights.noTerms': 'No word is shared by several opinions yet.',
	'insights.answerThese': 'Answer one by one:',
	'insights.answerOne': 'Opinion #{id}',
	'insights.allUnanswered': 'See all unanswered opinions',
	'insights.method':
		'Words are split with the built-in Chinese word segmentation (Intl.Segmenter), without common words such as “希望, 建议, 小区”. A word counts once per opinion.',
	'insights.districtLink': 'Renovation menu: the district',
	'insights.districtTitle': 'Renovation menu: the district',
	'insights.districtIntro':
		'Each renovation item across the compounds you are responsible for: how often residents refused it in a vote, its satisfaction after the works and the words objections use most.',
	'insights.refused': 'Refused in a vote: {refused} of {decided} projects',
	'insights.notDecided': 'No project has voted on it yet',
	'insights.satisfaction': 'Satisfaction: {percent} ({rated} ratings)',
	'insights.notRated': 'No satisfaction ratings yet',
	'insights.objections': 'Objections: {count}',
	'insights.objectionTerms': 'Frequent terms in objections:',
	'insights.termCount': '{term} ({count})',
	'insights.byProject': 'Opinions by item, per project',
	'insights.unansweredCount': 'unanswered: {count}',
	'insights.menuTitle': 'The renovation menu',
};
