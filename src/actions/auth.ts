import { defineAction } from 'astro:actions';
import { translate } from '../i18n/index.ts';
import {
	invalidateSession,
	normalizePhone,
	passwordSignInInput,
	requestCodeInput,
	requestLoginCode,
	signInWithPassword,
	smsSenderFor,
	staffSignInInput,
	verifyCodeInput,
	verifyLoginCode,
} from '../lib/server/auth/index.ts';
import { getDb } from '../lib/server/db.ts';
import {
	clearSessionCookie,
	LOGIN_PHONE_COOKIE,
	LOGIN_TICKET_COOKIE,
	setSessionCookie,
} from '../lib/server/http/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';
import { z } from 'zod';
import { recordPrivacyConsent } from '../lib/server/account/index.ts';
import { run } from './run.ts';

export const auth = {
	requestCode: defineAction({
		accept: 'form',
		input: requestCodeInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const config = getConfig();
				const locale = ctx.locals.locale;
				const { phone, ticket } = await requestLoginCode(await getDb(), input, {
					ip: ctx.locals.ip,
					sender: smsSenderFor(config),
					locale,
					message: (code) => translate(locale, 'auth.smsBody', { code }),
				});
				ctx.cookies.set(LOGIN_PHONE_COOKIE, phone, {
					path: '/',
					httpOnly: true,
					sameSite: 'lax',
					secure: ctx.locals.https,
					maxAge: 600,
				});
				// This browser's tries on the code are its own (a stranger's cannot use them up).
				ctx.cookies.set(LOGIN_TICKET_COOKIE, ticket, {
					path: '/',
					httpOnly: true,
					sameSite: 'lax',
					secure: ctx.locals.https,
					maxAge: 600,
				});
				return { sent: true };
			}),
	}),
	verifyCode: defineAction({
		accept: 'form',
		// The sign-in form's consent box carries the privacy notice's version (issue 19).
		input: verifyCodeInput.extend({ privacyVersion: z.string().trim().max(20).optional() }),
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const db = await getDb();
				const session = await verifyLoginCode(db, input, {
					ip: ctx.locals.ip,
					sessionDays: getConfig().SESSION_DAYS,
					ticket: ctx.cookies.get(LOGIN_TICKET_COOKIE)?.value,
				});
				if (input.privacyVersion)
					await recordPrivacyConsent(db, session.userId, input.privacyVersion, 'sign_in');
				setSessionCookie(ctx.cookies, session.token, session.expiresAt, ctx.locals.https);
				ctx.cookies.delete(LOGIN_PHONE_COOKIE, { path: '/' });
				ctx.cookies.delete(LOGIN_TICKET_COOKIE, { path: '/' });
				return { signedIn: true };
			}),
	}),
	passwordSignIn: defineAction({
		accept: 'form',
		input: passwordSignInInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const session = await signInWithPassword(
					await getDb(),
					{
						kind: 'resident',
						login: normalizePhone(input.phone) ?? input.phone,
						password: input.password,
					},
					{ ip: ctx.locals.ip, sessionDays: getConfig().SESSION_DAYS },
				);
				setSessionCookie(ctx.cookies, session.token, session.expiresAt, ctx.locals.https);
				return { signedIn: true };
			}),
	}),
	staffSignIn: defineAction({
		accept: 'form',
		input: staffSignInInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const session = await signInWithPassword(
					await getDb(),
					{ kind: 'staff', login: input.username, password: input.password },
					{ ip: ctx.locals.ip, sessionDays: getConfig().SESSION_DAYS },
				);
				setSessionCookie(ctx.cookies, session.token, session.expiresAt, ctx.locals.https);
				return { signedIn: true };
			}),
	}),
	signOut: defineAction({
		accept: 'form',
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				if (ctx.locals.sessionId) await invalidateSession(await getDb(), ctx.locals.sessionId);
				clearSessionCookie(ctx.cookies, ctx.locals.https);
				return { signedOut: true };
			}),
	}),
};
