/** 简体中文 — privacy notice, consent and accessibility statement (issue 19). */
export const trust = {
	'privacy.title': '个人信息保护说明',
	'privacy.version': '版本 {version}',
	'privacy.intro':
		'共建平台由区住建部门和各社区居委会运营，用于老旧小区改造的意见征集、表决和评价。我们只收集做这些事必需的信息。',
	'privacy.collectTitle': '我们收集什么',
	'privacy.collect.phone': '手机号：用于登录（发送验证码）和找回您的账号。',
	'privacy.collect.household':
		'您绑定的住户：楼栋、单元、房号和您与住户的关系（产权人、家庭成员或租户）。',
	'privacy.collect.content':
		'您提交的意见、表决、问卷回答、问题反映和照片（照片中的位置信息会被删除）。',
	'privacy.collect.logs': '登录记录：登录时间和网络地址，用于防止冒用和刷票。',
	'privacy.whyTitle': '为什么收集',
	'privacy.why':
		'确认您是本小区住户，按户计算表决（《民法典》第二百七十八条），答复您的意见，处理您反映的问题，并防止滥用。我们不把您的信息用于其他目的，也不提供给第三方。',
	'privacy.publicTitle': '哪些内容会公开',
	'privacy.public':
		'您的意见公开时只显示为“N号楼住户”；手机号、姓名和房号从不公开。表决结果只公开统计数字。',
	'privacy.keepTitle': '保存多久',
	'privacy.keep.phone': '手机号保存到您注销账号为止。',
	'privacy.keep.codes': '登录验证码 10 分钟后失效。',
	'privacy.keep.sessions': '登录设备记录在登录到期后失效（居民默认 30 天）。',
	'privacy.keep.ballots':
		'已提交的表决和问卷按户计入结果，注销后仍然保留，但不再与您本人关联；您的意见显示为“已注销用户”。',
	'privacy.rightsTitle': '您的权利',
	'privacy.rights':
		'依照《个人信息保护法》第四十四条至第四十七条，您可以查阅、复制、更正和删除您的个人信息，也可以撤回同意。撤回同意或注销账号不影响此前已经进行的处理。',
	'privacy.export': '下载我的数据',
	'privacy.delete': '注销账号',
	'privacy.correct': '住户信息有误，请联系您所在社区的居委会更正。',
	'privacy.contactTitle': '联系我们',
	'privacy.contact': '对个人信息处理有疑问或投诉，请联系所在社区居委会或区住建部门。',
	'privacy.consentLabel': '我已阅读并同意《个人信息保护说明》',
	'privacy.consentRead': '阅读《个人信息保护说明》',
	'privacy.consentNeeded': '请阅读并同意《个人信息保护说明》（版本 {version}）。',
	'privacy.consentSubmit': '我已阅读并同意',
	'privacy.consentGiven': '您已同意《个人信息保护说明》（版本 {version}）。',
	'privacy.versionChanged': '说明已更新，请重新阅读后再同意。',
	'footer.privacyLink': '个人信息保护',
	'footer.accessibilityLink': '无障碍说明',
	'footer.searchLink': '找小区',
	'footer.nav': '网站信息',
	'a11y.title': '无障碍说明',
	'a11y.intro': '我们希望每位居民都能使用共建平台，包括老年人和使用读屏软件、放大镜或键盘的居民。',
	'a11y.standardTitle': '我们遵循的标准',
	'a11y.standard':
		'本网站按照 WCAG 2.2 AA 级和《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668）设计，并参照工业和信息化部的适老化改造要求。',
	'a11y.featuresTitle': '您可以这样用',
	'a11y.feature.large': '点页面顶部的“大字模式”，字号和按钮会变大，设置会保留。',
	'a11y.feature.language': '页面可以切换中文和英文。',
	'a11y.feature.nojs': '不开启脚本也能完成全部操作，网速慢或手机较旧也能用。',
	'a11y.feature.print': '通知和公示可以直接打印张贴。',
	'a11y.testingTitle': '我们如何检查',
	'a11y.testing':
		'每次更新都会在 360 像素宽的手机屏幕上，用自动化工具（axe）检查每类页面，并用键盘逐项检查。',
	'a11y.limitsTitle': '已知的不足',
	'a11y.limits': '效果图和施工照片的文字说明由工作人员填写，个别图片的说明可能不够详细。',
	'a11y.feedbackTitle': '反馈',
	'a11y.feedback':
		'如果您在使用中遇到困难，请告诉社区居委会，我们会尽快改进，并为您提供纸质材料或上门服务。',
	'share.copy': '复制链接',
	'share.copied': '链接已复制，可以粘贴到微信发给邻居。',
	'share.failed': '无法自动复制，请长按上面的链接复制。',
} as const;
