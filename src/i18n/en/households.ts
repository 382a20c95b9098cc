import type { MessageKey } from '../zh-CN.ts';

/** English — households. */
export const households = {
	'households.bindTitle': 'Join your household',
	'households.bindIntro':
		'Enter the household code your neighbourhood committee gave you. Then you can vote and give feedback for your household.',
	'households.code': 'Household code',
	'households.codeHint': '12 letters and digits, e.g. ABCD-EFGH-JKLM',
	'households.codeFormat': 'The code has 12 letters and digits. Please check it and try again.',
	'households.codeUnknown':
		'This code is not valid or has been withdrawn. Please contact your neighbourhood committee.',
	'households.codeUsedUp':
		'This code has been used by as many people as allowed. Please contact your neighbourhood committee.',
	'households.bindSubmit': 'Join',
	'households.boundNotice': 'You have joined the household.',
	'households.signInToBind': 'Please sign in first, then join your household.',
	'households.staffCannotBind': 'Staff accounts cannot join households.',
	'households.registerIntro':
		'First time here: enter the code and your mobile number, and choose a password.',
	'households.alreadyRegistered': 'Already registered? Sign in first',
	'households.maxMembersInvalid': 'A code can be used by 1 to 20 people.',
	'households.relationInvalid': 'Please choose the relation to the household.',
	'households.scopeRequired': 'Please choose a household, building or compound.',
	'account.title': 'My account',
	'account.phone': 'Mobile number: {phone}',
	'account.households': 'My households',
	'account.noHouseholds': 'You have not joined a household yet.',
	'account.householdAddress': 'Bldg {building}, Unit {unit}, Room {room}',
	'account.mayConsent': 'authorised by the owner to vote',
	'account.publicLabel': 'Shown publicly as: {label}',
	'account.authoriseConsent': 'Authorise to vote',
	'account.withdrawConsent': 'Withdraw authorisation',
	'account.bindAnother': 'Join another household',
	'account.myData': 'My data',
	'account.myDataIntro': 'You can download everything we keep about you.',
	'account.export': 'Download my data (JSON)',
	'account.sessions': 'Signed-in devices',
	'account.signOutEverywhere': 'Sign out on all devices',
	'account.delete': 'Delete my account',
	'account.deleteIntro':
		'Your number is erased, your opinions show as "deleted user", and ballots already cast still count for your household.',
	'account.deleteConfirm': 'I confirm I want to delete my account',
	'account.deleteSubmit': 'Delete account',
	'account.confirmRequired': 'Please tick the box to confirm.',
} satisfies Partial<Record<MessageKey, string>>;
