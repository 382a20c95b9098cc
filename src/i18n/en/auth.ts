import type { MessageKey } from '../zh-CN.ts';

/** English — auth. */
export const auth = {
	'auth.signInTitle': 'Sign in',
	'auth.signInIntroSms':
		'Enter your mobile number and we will text you a 6-digit code. Your account is created the first time.',
	'auth.signInIntroPassword':
		'Sign in with your mobile number and password. No account yet? Register with the household code from your neighbourhood committee.',
	'auth.phone': 'Mobile number',
	'auth.phoneHint': 'An 11-digit mainland China mobile number',
	'auth.phoneInvalid': 'Please enter a valid 11-digit mobile number.',
	'auth.sendCode': 'Send code',
	'auth.signIn': 'Sign in',
	'auth.password': 'Password',
	'auth.newPassword': 'Choose a password',
	'auth.passwordRequired': 'Please enter your password.',
	'auth.passwordRules': 'At least 8 characters.',
	'auth.passwordWrong': 'The number or password is not correct.',
	'auth.privacyNote': 'Your number is used only to sign in and is never shown publicly.',
	'auth.haveHouseholdCode': 'I have a household code',
	'auth.staffSignInLink': 'Staff sign-in',
	'auth.enterCodeTitle': 'Enter your code',
	'auth.codeSentTo': 'We sent a code to {phone}. It is valid for 5 minutes.',
	'auth.code': 'Code',
	'auth.codeHint': '6 digits',
	'auth.codeFormat': 'The code is 6 digits.',
	'auth.codeWrong': 'That code is not correct. {left} tries left.',
	'auth.codeExpired': 'This code is no longer valid. Please ask for a new one.',
	'auth.codeExhausted':
		'Too many wrong tries: this code no longer works. Please ask for a new one.',
	'auth.resend': 'No code? Send a new one',
	'auth.smsBody': '[Gongjian] Your sign-in code is {code}. Valid for 5 minutes. Do not share it.',
	'auth.signInFirst': 'Please sign in first.',
	'auth.accountDisabled': 'This account is disabled. Please contact your neighbourhood committee.',
	'auth.alreadyRegistered':
		'This number is already registered. Sign in first, then bind your household.',
} satisfies Partial<Record<MessageKey, string>>;
