/** 简体中文 — elevator rounds by floor: the building front and floor coefficients (楼层系数). */
export const floors = {
	'floors.response.agree': '同意',
	'floors.response.disagree': '反对',
	'floors.response.abstain': '弃权',
	'floors.response.none': '未表决',
	'floors.heading': '各楼层意见：{item}',
	'floors.intro':
		'每个单元按楼层画出，一格代表一户，顶楼在上。表决保密：只显示每层各有几户同意、反对、弃权或未表决，不显示是哪一户。',
	'floors.unit': '{unit}单元',
	'floors.floorLabel': '{floor}楼',
	'floors.floorSummary': '{floor}楼：{counts}',
	'floors.count': '{count} 户{response}',
	'floors.unitSummary': '{unit}单元各楼层意见。{floors}',
	'floors.tableCaption': '{unit}单元各楼层户数',
	'floors.floorColumn': '楼层',
	'floors.legend': '图例',
	'floors.coefficientsHeading': '楼层系数',
	'floors.coefficientsIntro':
		'加装电梯等费用按楼层系数分摊：系数越大，分摊越多；系数为 0 的楼层不分摊。未列出的楼层系数为 1。',
	'floors.yourFloor': '您家在{floor}楼，楼层系数为 {coefficient}。',
	'floors.coefficientColumn': '系数',
	'floors.coefficientsNone': '本轮未设楼层系数，费用不按楼层区分。',
	'floors.coefficientsLabel':
		'楼层系数（每行一层，“楼层:系数”，如 2:0.3；最多三位小数，不超过 10）',
	'floors.coefficientsHint': '留空表示不按楼层区分。开始征询后不能再修改。',
	'floors.saveCoefficients': '保存楼层系数',
	'floors.saved': '楼层系数已保存。',
	'floors.invalidLine':
		'第 {line} 行无法识别：请写成“楼层:系数”，如 2:0.3，每层只写一次，系数 0 到 10。',
} as const;
