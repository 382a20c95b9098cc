import type { failclosed as zh } from '../zh-CN/failclosed.ts';

/** English — the audit chain's published head (issue 20, item 8). */
export const failclosed: Record<keyof typeof zh, string> = {
	'auditAnchor.label': 'Audit chain anchor:',
	'auditAnchor.at': '(entry {seq}, {time})',
	'auditAnchor.more': 'What is this?',
	'auditPublic.title': 'Audit log',
	'auditPublic.intro':
		'Every staff action, every sign-in and every change to a ballot is recorded in the audit log. The entries are linked one to the next by hashes, so removing or changing any of them later is detected.',
	'auditPublic.anchor': 'Current anchor (hash@sequence)',
	'auditPublic.seq': 'Sealed entries',
	'auditPublic.time': 'Time of the newest entry (China time)',
	'auditPublic.pending': 'Entries waiting to be sealed',
	'auditPublic.empty': 'No audit entry has been sealed yet.',
	'auditPublic.whyTitle': 'Why the anchor is published',
	'auditPublic.why':
		'The anchor is printed on every notice and result and published here, so people outside the database keep it. Even someone who can bypass the database’s protection cannot remove or insert an entry up to the anchor without it being detected.',
	'auditPublic.checkTitle': 'How to check',
	'auditPublic.check':
		'Give the anchor you kept (printed on a notice or copied from this page) to whoever checks the server, and have them run the command below; “chain intact” means no entry up to the anchor was removed or added.',
	'notifications.kind.repair.answered':
		'Your repair request on “{project}” was answered and is being handled.',
	'notifications.kind.repair.closed':
		'Your repair request on “{project}” was closed; see the answer.',
	'convention.householdInvalid': 'This household is not in this project’s compounds.',
	'convention.alreadyConfirmed':
		'This household has already confirmed this version of the convention.',
	'convention.notYours':
		'Only an owner or family member of this household can confirm the convention online.',
	'convention.titleRequired': 'Enter a title for the convention.',
	'convention.bodyRequired': 'Enter the text of the convention.',
	'convention.pageTitle': 'Residents’ convention of {project}',
	'convention.intro':
		'The residents’ convention is what everyone in the compound agrees to keep after the renovation: upkeep of shared parts, parking, rubbish sorting and the use of shared facilities. The neighbourhood committee publishes it; each household confirms it once, online or by signing a paper slip for the committee.',
	'convention.none': 'The committee has not published a residents’ convention yet.',
	'convention.versionLine': 'Version {version}, published {time}',
	'convention.countTitle': 'Confirmations',
	'convention.countTotal': '{confirmed} of {households} households have confirmed',
	'convention.building': 'Building',
	'convention.confirmedColumn': 'Confirmed',
	'convention.buildingOf': '{compound}, building {number}',
	'convention.ofHouseholds': '{confirmed} of {households}',
	'convention.mineTitle': 'My household',
	'convention.thanks': 'Confirmed. Thank you!',
	'convention.signIn': 'Sign in to confirm the convention for your household',
	'convention.noHousehold': 'You have not linked a household in this compound yet.',
	'convention.householdConfirmed': '{address}: confirmed.',
	'convention.confirm': 'My household has read version {version} and will keep it',
	'convention.tenant':
		'{address}: tenants cannot confirm online; ask the owner, or sign a paper slip.',
	'convention.history': 'All versions',
	'convention.historyLine': 'Version {version}, “{title}”, published {time}',
	'convention.link': 'Residents’ convention: {confirmed} of {households} households have confirmed',
	'convention.staffLink': 'Residents’ convention',
	'convention.publishedNotice':
		'The new version is published; households need to confirm it again.',
	'convention.paperNotice': 'The paper slip is recorded.',
	'convention.paperTitle': 'Record a paper slip',
	'convention.paperIntro':
		'When a household has signed a paper slip, record it here; the list shows only households that have not confirmed the newest version.',
	'convention.householdLabel': 'Household',
	'convention.paperSave': 'Record the slip',
	'convention.publishTitle': 'Publish a new version',
	'convention.publishIntro':
		'Write the text in Markdown. Publishing makes it the next version; earlier versions stay public and households confirm again.',
	'convention.titleLabel': 'Title',
	'convention.bodyLabel': 'Text (Markdown)',
	'convention.bodyEnLabel': 'English text (optional)',
	'convention.publish': 'Publish',
	'yearly.noAcceptance':
		'This project has not passed the joint acceptance yet, so no follow-up can be scheduled.',
	'yearly.alreadyScheduled': 'The follow-up for this year is already scheduled.',
	'yearly.title': 'Satisfaction follow-up a year on',
	'yearly.intro':
		'Creates a follow-up survey from the same template as the post-completion survey; it opens to the households automatically at 09:00 on the first anniversary of the joint acceptance and takes answers for 30 days (at once if the anniversary has passed). You can edit it before it opens.',
	'yearly.schedule': 'Schedule the yearly follow-up',
	'yearly.historyTitle': 'Satisfaction over time',
	'yearly.historyIntro':
		'Overall satisfaction in each published survey of the same compound, including the yearly follow-ups.',
	'yearly.point': '{title} ({date}): {share}',
	'yearly.noData': 'no data',
};
