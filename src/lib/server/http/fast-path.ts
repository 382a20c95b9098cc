import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Db } from '../../../../db/client.ts';
import { splitLocale } from '../../../i18n/index.ts';
import { cacheSlot, getCachedPage, parseCookies } from './page-cache.ts';
import { FALLBACK_CSP, securityHeaders } from './security.ts';
import { databaseSeemsDown } from './unavailable.ts';

type FastPathOptions = { db: Db; trustProxy: boolean; sessionDays: number };

/**
 * Serves a cached page before Astro's pipeline (src/start.ts puts it in front of the built
 * server): the same cache slot the middleware uses (page-cache.ts), the same headers the
 * middleware adds. Resolves false — and writes nothing — whenever the request is not a hit, so
 * the full pipeline answers it: misses, non-GET requests, a database that seems down (the
 * middleware's breaker answers 503), or any error.
 */
export function createFastPath(options: FastPathOptions) {
	return async function serveCached(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const method = req.method ?? 'GET';
		if ((method !== 'GET' && method !== 'HEAD') || databaseSeemsDown()) return false;
		try {
			const url = new URL(req.url ?? '/', 'http://localhost');
			decodeURI(url.pathname);
			const { locale, path } = splitLocale(url.pathname);
			const slot = await cacheSlot(options.db, {
				method,
				path,
				locale,
				search: url.search,
				cookies: parseCookies(req.headers.cookie),
				sessionDays: options.sessionDays,
			});
			const page = slot ? getCachedPage(slot.key, slot.version) : null;
			if (!page || res.headersSent) return false;
			const requestId = header(req, 'x-request-id')?.slice(0, 64) || randomUUID();
			res.writeHead(
				page.status,
				responseHeaders(
					page.headers,
					isHttps(req, options.trustProxy),
					requestId,
					page.body.byteLength,
				),
			);
			res.end(method === 'HEAD' ? undefined : page.body);
			return true;
		} catch {
			return false;
		}
	};
}

/** What the middleware's withHeaders() gives a cached page, for a raw Node response. */
export function responseHeaders(
	stored: [string, string][],
	https: boolean,
	requestId: string,
	bodyLength: number,
): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of stored) {
		const lower = name.toLowerCase();
		const previous = out[lower];
		out[lower] = previous === undefined ? value : [...[previous].flat(), value];
	}
	for (const [name, value] of Object.entries(securityHeaders({ https })))
		out[name.toLowerCase()] = value;
	if (out['content-type'] === 'text/html') out['content-type'] = 'text/html; charset=utf-8';
	out['content-security-policy'] ??= FALLBACK_CSP;
	out['content-length'] = String(bodyLength);
	out['x-request-id'] = requestId;
	out['x-cache'] = 'hit';
	return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
	if (trustProxy) {
		const proto = header(req, 'x-forwarded-proto')?.split(',')[0]?.trim();
		if (proto === 'https' || proto === 'http') return proto === 'https';
	}
	return Boolean((req.socket as TLSSocket).encrypted);
}
