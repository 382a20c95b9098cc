import { defineMiddleware } from 'astro:middleware';
import { SESSION_COOKIE, validateSessionToken } from '../lib/server/auth/index.ts';
import { getDb } from '../lib/server/db.ts';
import { clearSessionCookie, setSessionCookie } from '../lib/server/http/index.ts';
import { loadActor } from '../lib/server/policy/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';

/**
 * The signed-in user from the session cookie (lucia): `locals.actor` with memberships or staff
 * roles, read fresh on every request so a new household binding counts at once; a dead cookie
 * is cleared. Anonymous visitors cost no query. A page rendered for a user is private.
 */
export const session = defineMiddleware(async (context, next) => {
	const token = context.cookies.get(SESSION_COOKIE)?.value;
	if (!token) return next();
	const { locals } = context;
	const db = await getDb();
	const found = await validateSessionToken(db, token, getConfig().SESSION_DAYS);
	if (!found) {
		clearSessionCookie(context.cookies, locals.https);
		return next();
	}
	if (found.fresh) setSessionCookie(context.cookies, token, found.expiresAt, locals.https);
	locals.sessionId = found.sessionId;
	locals.actor = await loadActor(db, found.user.id, found.user.kind);
	return personal(await next());
});

function personal(response: Response): Response {
	if (response.headers.has('cache-control')) return response;
	if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
	try {
		response.headers.set('Cache-Control', 'private, no-cache');
		return response;
	} catch {
		// Immutable headers (e.g. Response.redirect): copy into a mutable response.
		const copy = new Response(response.body, response);
		copy.headers.set('Cache-Control', 'private, no-cache');
		return copy;
	}
}
