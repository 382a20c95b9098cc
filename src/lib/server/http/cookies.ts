import type { AstroCookies } from 'astro';
import { SESSION_COOKIE } from '../auth/index.ts';

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS, lives as long as the session. */
export function setSessionCookie(
	cookies: AstroCookies,
	token: string,
	expiresAt: Date,
	secure: boolean,
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt,
	});
}

export function clearSessionCookie(cookies: AstroCookies, secure: boolean): void {
	cookies.set(SESSION_COOKIE, '', {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: 0,
	});
}

/** Remembers the number between "send code" and "enter code" (10 minutes, HttpOnly). */
export const LOGIN_PHONE_COOKIE = 'gj_login_phone';

/** The ticket of the browser that asked for the current sign-in code (10 minutes, HttpOnly). */
export const LOGIN_TICKET_COOKIE = 'gj_login_ticket';
