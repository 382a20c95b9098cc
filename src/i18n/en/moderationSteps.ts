import type { moderationSteps as zh } from '../zh-CN/moderationSteps.ts';

/** English — one-step moderation, grouped answers, what carries an adopted opinion. */
export const moderationSteps: Record<keyof typeof zh, string> = {
	'moderation.carrierRequired':
		'For “adopted” or “partly adopted”, choose what in the plan carries this opinion, or “in the next version”.',
	'moderation.carrierInvalid':
		'That part of the plan is not in a later version of this opinion’s project. Choose again.',
	'moderation.carrierLabel': 'Carried by',
	'moderation.carrierHint':
		'Required for adopted and partly adopted. Choose an item or a listed change of the next (draft) version; if it is not decided yet, choose “in the next version”.',
	'moderation.carrierChoose': 'Choose…',
	'moderation.carrierNext': 'In the next version',
	'moderation.carrierItem': 'Version {number} · item: {text}',
	'moderation.carrierChange': 'Version {number} · change: {text}',
	'moderation.approveAndAnswer': 'Approve and publish the answer',
	'moderation.approveAnswerHint':
		'This opinion is not public yet: sending approves it first, then publishes the answer, in one step.',
	'moderation.groupAnswerTitle': 'One answer to the selected opinions',
	'moderation.groupAnswerHint':
		'Tick the opinions that ask the same thing and answer them once: each gets its own answer record and each author is notified.',
	'moderation.groupAnswerSubmit': 'Answer the selected opinions',
	'moderation.groupApproveAnswerSubmit': 'Approve and answer the selected opinions',
	'moderation.groupAnswered':
		'{count} opinions answered ({approved} of them approved); their authors are notified.',
	'moderation.aboutItem': 'Item: {item}',
	'moderation.aboutPlan': 'On the whole plan',
	'moderation.stance': 'Stance: {stance}',
	'moderation.waitingDays': 'Waiting {days} days',
	'moderation.carriedItem': 'Carried by an item of version {number}: {text}',
	'moderation.carriedChange': 'Carried by a change in version {number}: {text}',
	'moderation.carriedNext': 'To be carried in the next version',
	'moderation.unlinkedTitle': 'Adopted opinions not yet carried by a change',
	'moderation.unlinkedHint':
		'These opinions were answered “adopted” or “partly adopted” but no item or listed change carries them yet. Before publishing, link them to a change, or choose what carries them in their answer.',
	'moderation.unlinkedNone': 'Every adopted opinion is carried by a change.',
	'moderation.unlinkedLine': 'Opinion #{id} on version {number} ({disposition}): {excerpt}',
	'moderation.digestTitle': 'Daily SMS digest',
	'moderation.digestHint':
		'On days with new opinions in your communities, one text message at 18:00 with how many await review and an answer (needs a phone number on your account).',
	'moderation.digestOn': 'Turn the daily SMS digest on',
	'moderation.digestOff': 'Turn the daily SMS digest off',
	'moderation.digestIsOn': 'Daily SMS digest: on.',
	'moderation.digestIsOff': 'Daily SMS digest: off.',
	'notifications.kind.opinion.new_in_scope':
		'“{project}” received a new opinion: please review and answer it.',
	'notifications.kind.moderation.digest':
		'Today’s digest: {pending} opinions await review and {unanswered} await an answer in your communities.',
};
