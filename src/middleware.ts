import { randomUUID } from 'node:crypto';
import { defineMiddleware } from 'astro:middleware';
import { splitLocale, translate } from './i18n/index.ts';
import { getConfig } from './lib/server/shared/config.ts';
import { asDomainError, httpStatus, type DomainError } from './lib/server/shared/errors.ts';
import { logger } from './lib/server/shared/logger.ts';
import { SESSION_COOKIE, validateSessionToken } from './lib/server/auth/sessions.ts';
import { getDb } from './lib/server/db.ts';
import { clearSessionCookie, setSessionCookie } from './lib/server/http/cookies.ts';
import { clientIp } from './lib/server/http/client-ip.ts';
import { loadActor } from './lib/server/policy/actor.ts';
import {
	cacheSlot,
	takeDecidedSlot,
	getCachedPage,
	parseCookies,
	putCachedPage,
	type CacheSlot,
} from './lib/server/http/page-cache.ts';
import {
	badActionBody,
	isActionRequest,
	withActionMessage,
} from './lib/server/http/action-errors.ts';
import {
	bodyLimit,
	formatLimit,
	isMalformedJson,
	readBodyWithin,
	type LimitedBody,
} from './lib/server/http/body-limit.ts';
import { isSessionToken } from './lib/server/auth/secrets.ts';
import {
	asUnavailable,
	isClientAbort,
	isDatabaseUnavailable,
	markDatabaseDown,
	markDatabaseUp,
	probeDatabase,
	refuseWhileDown,
	unavailableResponse,
} from './lib/server/http/unavailable.ts';
import {
	FALLBACK_CSP,
	isMutation,
	isSameOrigin,
	requestOrigin,
	securityHeaders,
} from './lib/server/http/security.ts';

/**
 * Identifies (request id, locale, text size) and protects (origin rule, security headers);
 * it makes no authorisation decision — handlers call the policy module themselves.
 */
export const onRequest = defineMiddleware(async (context, next) => {
	const started = performance.now();
	const config = getConfig();
	const { url, request } = context;
	const requestId = request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	const { locale, path } = splitLocale(url.pathname);
	context.locals.requestId = requestId;
	context.locals.locale = locale;
	context.locals.path = path;
	context.locals.textSize = context.cookies.get('gj_text')?.value === 'large' ? 'large' : 'normal';

	const origin = requestOrigin(url, request.headers, config.TRUST_PROXY);
	context.locals.https = origin.startsWith('https:');
	context.locals.ip = clientIp(request.headers, context.clientAddress, config.TRUST_PROXY);
	context.locals.actor = null;
	context.locals.sessionId = null;
	context.locals.cacheUntil = null;
	let response: Response;
	let served = false;
	const mutation = isMutation(request.method);
	const action = mutation && isActionRequest(url);
	const type = request.headers.get('content-type') ?? '';
	let body: LimitedBody = { ok: true, bytes: null };
	if (mutation && !isSameOrigin(request.headers.get('origin'), origin)) {
		response = new Response(translate(locale, 'error.forbiddenOrigin'), {
			status: 403,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		});
	} else if (!/^\/(healthz|readyz)$/.test(url.pathname) && refuseWhileDown()) {
		response = unavailableResponse(translate(locale, 'error.500.body'), isApi(url));
	} else if (
		mutation &&
		!(body = await readBodyWithin(
			request,
			bodyLimit(url, type, await mayUpload(context.cookies.get(SESSION_COOKIE)?.value, type)),
			action && /^application\/json\b/i.test(type.trim()),
		)).ok
	) {
		// Capped before anything parses it: a declared length is refused unread, a stream is
		// cut at the limit.
		const message = translate(locale, 'error.tooLarge', { size: formatLimit(body.limit) });
		response = badActionBody(url, message, 413);
	} else if (action && isMalformedJson(type, body.bytes)) {
		// Astro would throw on it (a 500): a body we cannot read is the client's error.
		response = badActionBody(url, translate(locale, 'error.badRequest'));
	} else {
		served = true;
		try {
			const db = await getDb();
			const decided = takeDecidedSlot();
			const slot = decided
				? decided.slot
				: await cacheSlot(db, {
						method: request.method,
						path,
						locale,
						search: url.search,
						cookies: parseCookies(request.headers.get('cookie')),
						sessionDays: config.SESSION_DAYS,
					});
			const cached = slot ? getCachedPage(slot.key, slot.version) : null;
			if (cached) {
				response = new Response(
					request.method === 'HEAD' ? null : (cached.body as Uint8Array<ArrayBuffer>),
					{
						status: cached.status,
						headers: [...cached.headers, ['X-Cache', 'hit']],
					},
				);
			} else {
				await identify(context, config.SESSION_DAYS);
				response = path !== url.pathname ? await next(path + url.search) : await next();
				if (context.locals.actor) response = personal(response);
				if (slot) response = await remember(slot, response, () => context.locals.cacheUntil);
			}
		} catch (error) {
			if (isClientAbort(error)) {
				// Nobody is listening any more; say so in the log, not as a failure.
				logger.debug({ requestId, path: url.pathname }, 'client closed the request');
				return new Response(null, { status: 400 });
			}
			const refused = asDomainError(error);
			if (refused) {
				// A page refused its input (a route id out of range, a date that does not exist).
				logger.info({ err: error, requestId, path: url.pathname }, 'request refused');
				response = refusal(translate(locale, refused.messageKey, refused.params), refused);
			} else if (!isDatabaseUnavailable(error)) {
				logger.error({ err: error, requestId, path: url.pathname }, 'request failed');
				throw error;
			} else {
				logger.warn({ err: error, requestId, path: url.pathname }, 'database unavailable');
				markDatabaseDown();
				response = unavailableResponse(translate(locale, 'error.500.body'), isApi(url));
			}
		}
	}
	// A command that failed on the database shows as a 500 (actions/run.ts): if the database
	// does not answer now, it is an outage, not a bug — 503 with Retry-After.
	// Only a connection error opens the breaker: a slow answer under load is not an outage.
	const probe = response.status === 500 ? await probeDatabase(await getDb()) : 'up';
	if (probe !== 'up') {
		if (probe === 'down') markDatabaseDown();
		response = unavailableResponse(translate(locale, 'error.500.body'), isApi(url));
	} else if (served && response.status < 500) markDatabaseUp();
	else if (response.status === 503 && !response.headers.has('Retry-After'))
		response = asUnavailable(response);
	// Astro refuses some unreadable action bodies (415) with an empty message: say what failed.
	if (action) response = await withActionMessage(response, translate(locale, 'error.badRequest'));
	response = withHeaders(response, origin.startsWith('https:'));
	response.headers.set('X-Request-Id', requestId);
	const status = response.status;
	const log = status >= 500 ? logger.error.bind(logger) : logger.debug.bind(logger);
	log(
		{
			requestId,
			method: request.method,
			path: url.pathname,
			status,
			ms: Math.round(performance.now() - started),
		},
		'request',
	);
	return response;
});

/**
 * Reads the session cookie: sets locals.actor (memberships or staff roles, read fresh on every
 * request so a new household binding counts at once) or clears a dead cookie. Anonymous
 * visitors cost no database query.
 */
async function identify(
	context: Parameters<Parameters<typeof defineMiddleware>[0]>[0],
	days: number,
) {
	const token = context.cookies.get(SESSION_COOKIE)?.value;
	if (!token) return;
	const db = await getDb();
	const session = await validateSessionToken(db, token, days);
	if (!session) {
		clearSessionCookie(context.cookies, context.locals.https);
		return;
	}
	if (session.fresh)
		setSessionCookie(context.cookies, token, session.expiresAt, context.locals.https);
	context.locals.sessionId = session.sessionId;
	context.locals.actor = await loadActor(db, session.user.id, session.user.kind);
}

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

/** Stores a cacheable page (200, HTML, no cookie set) and returns an equivalent response. */
async function remember(
	slot: CacheSlot,
	response: Response,
	until: () => number | null,
): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (
		response.status !== 200 ||
		!type.startsWith('text/html') ||
		response.headers.has('set-cookie')
	)
		return response;
	// Read the body first: components set `cacheUntil` while the page streams.
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = [...response.headers.entries()].filter(([name]) => name !== 'content-length');
	putCachedPage(slot.key, { body, headers, status: 200, version: slot.version }, until());
	return new Response(body, { status: 200, headers: [...headers, ['X-Cache', 'miss']] });
}

/**
 * A page rendered for a signed-in user: no shared cache may keep it (set before the page cache
 * stores it, so hits served before Astro carry it too).
 */
function personal(response: Response): Response {
	if (response.headers.has('cache-control')) return response;
	if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
	try {
		response.headers.set('Cache-Control', 'private, no-cache');
		return response;
	} catch {
		const copy = new Response(response.body, response);
		copy.headers.set('Cache-Control', 'private, no-cache');
		return copy;
	}
}

/** A refusal shown as a short translated text with the error code's status. */
function refusal(message: string, error: DomainError): Response {
	const headers: Record<string, string> = {
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store',
	};
	if (error.retryAfter) headers['Retry-After'] = String(error.retryAfter);
	return new Response(message, { status: httpStatus[error.code], headers });
}

const isApi = (url: URL) => url.pathname.startsWith('/_actions/');

function withHeaders(response: Response, https: boolean): Response {
	let target = response;
	try {
		target.headers.set('X-Content-Type-Options', 'nosniff');
	} catch {
		// Immutable headers (e.g. Response.redirect): copy into a mutable response.
		target = new Response(response.body, response);
	}
	for (const [name, value] of Object.entries(securityHeaders({ https })))
		target.headers.set(name, value);
	if (target.headers.get('Content-Type') === 'text/html') {
		target.headers.set('Content-Type', 'text/html; charset=utf-8');
	}
	if (!target.headers.has('Content-Security-Policy'))
		target.headers.set('Content-Security-Policy', FALLBACK_CSP);
	return target;
}
