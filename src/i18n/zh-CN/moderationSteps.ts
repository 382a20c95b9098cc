/** 简体中文 — one-step moderation, grouped answers, what carries an adopted opinion (issue 21). */
export const moderationSteps = {
	'moderation.carrierRequired':
		'采纳或部分采纳时，请选择体现这条意见的方案内容，或选择“在下一版方案中体现”。',
	'moderation.carrierInvalid': '所选方案内容不属于该意见所在项目的后续版本，请重新选择。',
	'moderation.carrierLabel': '由哪项方案内容体现',
	'moderation.carrierHint':
		'采纳、部分采纳时必选。可选下一版（草稿）方案中的改造项目或修改说明；尚未确定时选“在下一版方案中体现”。',
	'moderation.carrierChoose': '请选择…',
	'moderation.carrierNext': '在下一版方案中体现',
	'moderation.carrierItem': '第 {number} 版 · 改造项目：{text}',
	'moderation.carrierChange': '第 {number} 版 · 修改说明：{text}',
	'moderation.approveAndAnswer': '审核通过并发布答复',
	'moderation.approveAnswerHint': '这条意见尚未公开：提交后会先审核通过，再发布答复，一步完成。',
	'moderation.groupAnswerTitle': '对所选意见作同一答复',
	'moderation.groupAnswerHint':
		'勾选提出同一问题的意见，一次答复：每条意见各有一条答复记录，每位提出人都会收到通知。',
	'moderation.groupAnswerSubmit': '答复所选意见',
	'moderation.groupApproveAnswerSubmit': '审核通过并答复所选意见',
	'moderation.groupAnswered':
		'已答复 {count} 条意见（其中审核通过 {approved} 条），提出人都会收到通知。',
	'moderation.aboutItem': '改造项目：{item}',
	'moderation.aboutPlan': '针对整体方案',
	'moderation.stance': '立场：{stance}',
	'moderation.waitingDays': '已等待 {days} 天',
	'moderation.carriedItem': '已体现在第 {number} 版方案的改造项目：{text}',
	'moderation.carriedChange': '已体现在第 {number} 版方案的修改：{text}',
	'moderation.carriedNext': '将在下一版方案中体现',
	'moderation.unlinkedTitle': '尚未落实到方案修改的采纳意见',
	'moderation.unlinkedHint':
		'以下意见已答复“采纳”或“部分采纳”，但还没有关联到任何改造项目或修改说明。发布前请在修改说明中关联这些意见，或在答复中选择体现它们的方案内容。',
	'moderation.unlinkedNone': '所有采纳的意见都已关联到方案修改。',
	'moderation.unlinkedLine': '第 {number} 版意见 #{id}（{disposition}）：{excerpt}',
	'moderation.digestTitle': '每日短信摘要',
	'moderation.digestHint':
		'您负责的社区有新意见时，当天 18 点发一条短信，告知待审核和待答复的数量（需在账号中登记手机号）。',
	'moderation.digestOn': '开启每日短信摘要',
	'moderation.digestOff': '关闭每日短信摘要',
	'moderation.digestIsOn': '每日短信摘要：已开启。',
	'moderation.digestIsOff': '每日短信摘要：未开启。',
	'notifications.kind.opinion.new_in_scope': '「{project}」收到一条新意见，请及时审核和答复。',
	'notifications.kind.moderation.digest':
		'今日摘要：您负责的社区有 {pending} 条意见待审核，{unanswered} 条意见待答复。',
} as const;
