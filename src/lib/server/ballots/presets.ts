/**
 * Ready-made special decisions the new-round form can start from. The property-management model
 * (seeds/003: residents choose, collectively and before works start, the management model that
 * suits their compound — 物业服务企业管理、居民自治管理 or the community's own service, here
 * 社区托管). Choosing a property-service company is matter 4 of Civil Code art. 278, so a round
 * that wants the Civil Code instead of plurality picks its "more than half" rule. Both languages
 * are data the committee may edit before creating the round.
 */
export const propertyManagementPreset = {
	kind: 'special',
	title: '物业管理模式选择',
	titleEn: 'Choosing the property-management model',
	choiceTitle: '改造完成后，本小区采用哪种物业管理模式？',
	choiceTitleEn: 'After the renovation, which property-management model should the compound adopt?',
	choiceOptions: [
		'物业服务企业 | A property-service company',
		"居民自治 | Residents' self-management",
		'社区托管 | Managed by the community',
	].join('\n'),
	choiceRule: 'plurality',
} as const;
