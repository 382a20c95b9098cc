/** 简体中文 — what the committee learns: opinions grouped by item and term, the district menu view. */
export const insights = {
	'insights.link': '意见归类与常见词',
	'insights.title': '意见归类：{project}',
	'insights.intro':
		'按改造项目归类的居民意见，以及意见里最常出现的词。同一个词下未答复的意见可以一起查看、逐条答复。',
	'insights.totals': '共 {opinions} 条意见，{unanswered} 条未答复',
	'insights.none': '这个项目还没有公开的居民意见。',
	'insights.wholePlan': '整体方案（未指明改造项目）',
	'insights.groupCount': '{opinions} 条意见，{unanswered} 条未答复',
	'insights.termLine': '{term} · {opinions} 条意见，{unanswered} 条未答复',
	'insights.termsTitle': '常见词',
	'insights.noTerms': '还没有几条意见共用的词。',
	'insights.answerThese': '逐条答复：',
	'insights.answerOne': '意见 #{id}',
	'insights.allUnanswered': '查看全部未答复意见',
	'insights.method':
		'分词使用浏览器和服务器内置的中文分词（Intl.Segmenter），已去掉“希望、建议、小区”等常用词。每条意见里的词只计一次。',
	'insights.districtLink': '改造菜单：全区情况',
	'insights.districtTitle': '改造菜单：全区情况',
	'insights.districtIntro':
		'每个改造项目在您负责范围内的各小区：居民表决不同意的次数、改造后满意度和反对意见里的常见词。',
	'insights.refused': '表决不同意：{refused} / {decided} 个项目',
	'insights.notDecided': '还没有项目表决过',
	'insights.satisfaction': '满意度：{percent}（{rated} 份评价）',
	'insights.notRated': '还没有满意度评价',
	'insights.objections': '反对意见 {count} 条',
	'insights.objectionTerms': '反对意见常见词：',
	'insights.termCount': '{term}（{count}）',
	'insights.byProject': '各项目的意见归类',
	'insights.unansweredCount': '{count} 条未答复',
	'insights.menuTitle': '改造菜单',
} as const;
