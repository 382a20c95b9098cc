import { randomUUID } from 'node:crypto';
import { defineMiddleware } from 'astro:middleware';
import { splitLocale } from '../i18n/index.ts';
import { clientIp, requestOrigin } from '../lib/server/http/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';

/** The request's id, locale, text size, scheme and client address, in `locals`. */
export const identify = defineMiddleware((context, next) => {
	const { url, request, locals } = context;
	const trustProxy = getConfig().TRUST_PROXY;
	const { locale, path } = splitLocale(url.pathname);
	locals.requestId = request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	locals.locale = locale;
	locals.path = path;
	locals.textSize = context.cookies.get('gj_text')?.value === 'large' ? 'large' : 'normal';
	locals.origin = requestOrigin(url, request.headers, trustProxy);
	locals.https = locals.origin.startsWith('https:');
	locals.ip = clientIp(request.headers, context.clientAddress, trustProxy);
	locals.actor = null;
	locals.sessionId = null;
	return next();
});
