/** 简体中文 — the audit chain's published head (issue 20, item 8). */
export const failclosed = {
	'auditAnchor.label': '审计链锚点：',
	'auditAnchor.at': '（第 {seq} 条，{time}）',
	'auditAnchor.more': '这是什么？',
	'auditPublic.title': '操作记录公示',
	'auditPublic.intro':
		'工作人员的每一次操作、每一次登录和每一张表决票的修改都记入操作记录。记录一条接一条用哈希值串成链，事后删改任何一条都会被发现。',
	'auditPublic.anchor': '当前锚点（哈希值@序号）',
	'auditPublic.seq': '已封存的记录条数',
	'auditPublic.time': '最新一条的时间（北京时间）',
	'auditPublic.pending': '等待封存的记录',
	'auditPublic.empty': '还没有已封存的操作记录。',
	'auditPublic.whyTitle': '为什么公布锚点',
	'auditPublic.why':
		'锚点印在每一份公示和结果上，也公布在这里，数据库之外有人留存。即使有人能绕过数据库的保护，也无法删除或插入锚点之前的记录而不被发现。',
	'auditPublic.checkTitle': '如何核验',
	'auditPublic.check':
		'把您留存的锚点（公示上印的或此页上抄下的）交给负责核验的人员，在服务器上运行下面的命令；结果为“chain intact”即说明锚点之前的记录一条未少、一条未多。',
	'notifications.kind.repair.answered': '您在「{project}」的报修有了答复，正在处理。',
	'notifications.kind.repair.closed': '您在「{project}」的报修已办结，请查看答复。',
} as const;
