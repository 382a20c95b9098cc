import { defineMiddleware } from 'astro:middleware';
import { translate } from '../i18n/index.ts';
import {
	FALLBACK_CSP,
	isMutation,
	isSameOrigin,
	securityHeaders,
} from '../lib/server/http/index.ts';

/**
 * The origin rule for every mutation, and the security headers of every response (the only
 * place they are set).
 *
 * The origin rule is ours, not Astro's `security.checkOrigin`: Astro 7's check refuses only
 * form-like content types (a cross-site JSON call to an action passes it), answers an
 * untranslated 403 before this middleware runs (so without these headers), and compares with
 * the URL Astro sees — behind a TLS-terminating proxy that is the public origin only through
 * `security.allowedDomains`, which is fixed at build time, while our public origin is runtime
 * configuration (TRUST_PROXY).
 */
export const protect = defineMiddleware(async (context, next) => {
	const { request, locals } = context;
	const refused =
		isMutation(request.method) && !isSameOrigin(request.headers.get('origin'), locals.origin);
	const response = refused
		? new Response(translate(locals.locale, 'error.forbiddenOrigin'), {
				status: 403,
				headers: { 'Content-Type': 'text/plain; charset=utf-8' },
			})
		: await next();
	return withHeaders(response, locals.https, locals.requestId);
});

function withHeaders(response: Response, https: boolean, requestId: string): Response {
	let target = response;
	try {
		target.headers.set('X-Request-Id', requestId);
	} catch {
		// Immutable headers (e.g. Response.redirect): copy into a mutable response.
		target = new Response(response.body, response);
		target.headers.set('X-Request-Id', requestId);
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
