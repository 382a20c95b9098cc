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
};
