/** 简体中文 — committee tools: confirmations of irreversible steps, paper entry, door visits. */
export const committee = {
	'committee.confirmRequired': '这一步不能撤销：请在确认页面勾选确认后再提交。',
	'committee.reasonRequired': '参与未达目标，提前截止须写明原因（至少 4 个字），原因将随结果公开。',
	'committee.cancel': '返回，不操作',
	'committee.whatHappens': '确认后将会：',
	'committee.targetMet': '已达到目标。',
	'committee.targetNotMet': '未达到目标。',
	'committee.closeRoundTitle': '确认提前截止：{title}',
	'committee.closeSurveyTitle': '确认提前截止问卷：{title}',
	'committee.participationNow':
		'目前 {households} 户中已有 {responded} 户提交意见（{share}），目标为 {target}。',
	'committee.participationFinal':
		'本轮 {households} 户中共有 {responded} 户提交意见（{share}），目标为 {target}。',
	'committee.surveyParticipationNow':
		'目前 {households} 户中已有 {responded} 户作答（{share}），目标为 {target}。',
	'committee.surveyParticipationFinal':
		'本问卷 {households} 户中共有 {responded} 户作答（{share}），目标为 {target}。',
	'committee.closeNow': '立即截止（原定截止时间为 {closes}），截止后不能重新开启。',
	'committee.closeNoMore': '住户不能再提交或修改意见，工作人员也不能再录入纸质意见。',
	'committee.surveyCloseNoMore': '住户不能再作答或修改答卷，工作人员也不能再录入纸质问卷。',
	'committee.closeNobodyNotified': '不会通知住户。',
	'committee.closeNotPublic': '结果不会自动公开：截止后请核对，再在“公示结果”中确认公示。',
	'committee.surveyCloseNotPublic': '结果不会自动公布：截止后请审核文字意见，再确认公布结果。',
	'committee.closeBelowTarget':
		'参与不足 {target}：公示时结论将显示为“参与不足，结果不成立”。须写明提前截止的原因，原因会显示在公开的结果页上，并记入操作日志。',
	'committee.reasonRequiredLabel': '提前截止的原因（必填，将公开）',
	'committee.reasonOptionalLabel': '提前截止的原因（选填）',
	'committee.reasonHint': '例如：施工单位进场时间提前，经居民议事会同意提前截止。',
	'committee.closeConfirmBox': '我已核对参与情况，确认立即截止本轮。',
	'committee.surveyCloseConfirmBox': '我已核对参与情况，确认立即截止本问卷。',
	'committee.closeConfirm': '确认立即截止',
	'committee.roundNotOpen': '本轮现在不在进行中，无需截止。',
	'committee.roundNotClosed': '本轮尚未截止，截止后才能公示结果。',
	'committee.surveyNotOpen': '问卷现在不在进行中，无需截止。',
	'committee.surveyNotClosed': '问卷尚未截止，截止后才能公布结果。',
	'committee.publishRoundTitle': '确认公示结果：{title}',
	'committee.publishSurveyTitle': '确认公布问卷结果：{title}',
	'committee.publishCorrectionTitle': '确认发布更正（第 {version} 版）：{title}',
	'committee.publishPublic':
		'第 {version} 版结果向所有人公开（结果页、公示页、CSV 和 JSON 下载）：每个事项的意见数、结论，以及各小区、各楼栋的参与情况。',
	'committee.publishPrivate': '不公开每一户的选择、姓名和电话。',
	'committee.publishNotifies': '参与本轮的 {households} 户的成员会收到站内通知。',
	'committee.publishNotQuorate': '参与不足 {target}：公开的结论会注明“参与不足，结果不成立”。',
	'committee.publishGates':
		'菜单事项的结论将用于审核最终方案：居民不同意的事项不能列入最终方案（居民不同意不宜改造）。',
	'committee.publishForever': '公示后不能撤回或修改，只能发布附说明的更正版本。',
	'committee.publishCorrectionKeeps': '原版本继续公开，更正版本和更正说明一并公开。',
	'committee.publishConfirmBox': '我已核对结果，确认公开第 {version} 版。',
	'committee.surveyPublishPublic':
		'第 {version} 版结果向所有人公开：满意率、平均分、各题分布和各楼栋参与情况；少于 5 份的分组不显示。',
	'committee.surveyPublishPrivate': '不公开谁答了什么；文字意见只公开已审核公开的内容。',
	'committee.surveyPublishNotifies': '关注本项目的居民会收到站内通知。',
	'committee.surveyPublishBelowTarget': '参与不足 {target}：结果页会同时显示参与率。',
	'committee.doneCreated': '已创建本轮（草稿）。启动前可以修改设置，住户还看不到。',
	'committee.doneOpened': '本轮已启动：范围内 {households} 户已锁定，开始时间到后即可提交意见。',
	'committee.doneClosed':
		'本轮已于 {time} 截止：{households} 户中 {responded} 户提交了意见（{share}）。结果尚未公开，核对后请公示。',
	'committee.donePublished':
		'第 {version} 版结果已公示，所有人可以查看；已通知参与本轮的 {households} 户。',
	'committee.doneReviewed': '已标记为已核对。',
	'committee.doneResolved': '已处理这份纸质意见。',
	'committee.doneSettings': '设置已保存。',
	'committee.doneSurveyClosed':
		'问卷已于 {time} 截止：{households} 户中 {responded} 户作答。结果尚未公布，审核文字意见后请公布。',
	'committee.doneSurveyPublished':
		'第 {version} 版结果已公布，所有人可以查看；已通知关注本项目的 {followers} 位居民。',
	'committee.surveyClosedNotice': '问卷已截止，不再收取答卷；题目、作答方式和匿名设置都不能再改。',
	'committee.earlyCloseReason': '提前截止说明：{reason}',
	'committee.firstPublicationNote': '公示说明：{note}',
} as const;
