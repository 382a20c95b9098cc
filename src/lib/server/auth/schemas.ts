import { z } from 'zod';

/** Form inputs for sign-in. Messages are i18n keys, translated where the form is rendered. */
const trimmed = (max: number, message: string) =>
	z.string({ error: message }).trim().min(1, message).max(max, message);

export const requestCodeInput = z.object({ phone: trimmed(32, 'auth.phoneInvalid') });

export const verifyCodeInput = z.object({
	phone: trimmed(32, 'auth.phoneInvalid'),
	code: trimmed(16, 'auth.codeFormat'),
	next: z.string().max(500).optional(),
});

export const passwordSignInInput = z.object({
	phone: trimmed(32, 'auth.phoneInvalid'),
	password: z.string().min(1, 'auth.passwordRequired').max(128, 'auth.passwordRequired'),
	next: z.string().max(500).optional(),
});

export const staffSignInInput = z.object({
	username: trimmed(64, 'staff.usernameRequired'),
	password: z.string().min(1, 'auth.passwordRequired').max(128, 'auth.passwordRequired'),
	next: z.string().max(500).optional(),
});
