import { defineMiddleware } from 'astro:middleware';
import { translate } from '../i18n/index.ts';
import { isSessionToken, SESSION_COOKIE, validateSessionToken } from '../lib/server/auth/index.ts';
import { getDb } from '../lib/server/db.ts';
import {
	badActionBody,
	bodyLimit,
	formatLimit,
	isActionRequest,
	isMalformedJson,
	isMutation,
	readBodyWithin,
	withActionMessage,
} from '../lib/server/http/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';

/**
 * Every mutation's body is capped before anything parses it (a declared length over the
 * route's limit is refused unread, a stream is cut at the limit: 413, translated); an action
 * body we cannot read is the client's error (400), with a message, not Astro's 500.
 */
export const actionBody = defineMiddleware(async (context, next) => {
	const { request, url } = context;
	if (!isMutation(request.method)) return next();
	const { locale } = context.locals;
	const type = request.headers.get('content-type') ?? '';
	const action = isActionRequest(url);
	const limit = bodyLimit(
		url,
		type,
		await mayUpload(context.cookies.get(SESSION_COOKIE)?.value, type),
	);
	const body = await readBodyWithin(
		request,
		limit,
		action && /^application\/json\b/i.test(type.trim()),
	);
	if (!body.ok) {
		const message = translate(locale, 'error.tooLarge', { size: formatLimit(body.limit) });
		return badActionBody(url, message, 413);
	}
	if (!action) return next();
	const message = translate(locale, 'error.badRequest');
	if (isMalformedJson(type, body.bytes)) return badActionBody(url, message);
	// Astro refuses some unreadable action bodies (415) with an empty message: say what failed.
	return withActionMessage(await next(), message);
});

/**
 * Whether a multipart body may have the upload limit: only for a live session (a forged cookie
 * must not buy 20 MB). One session read, for multipart mutations only; a database that does not
 * answer means no upload now.
 */
async function mayUpload(token: string | undefined, type: string): Promise<boolean> {
	if (!isSessionToken(token) || !/^multipart\/form-data\b/i.test(type.trim())) return false;
	try {
		return (await validateSessionToken(await getDb(), token, getConfig().SESSION_DAYS)) !== null;
	} catch {
		return false;
	}
}
