import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Db } from '../../../../db/client.ts';
import { splitLocale } from '../../../i18n/index.ts';
import {
	cacheSlot,
	getCachedPage,
	parseCookies,
	withDecidedSlot,
	type CachedPage,
	type CacheSlot,
} from './page-cache.ts';
import { isHttps, requestId } from './node-request.ts';
import { FALLBACK_CSP, securityHeaders } from './security.ts';
import { databaseSeemsDown } from './unavailable.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type FastPathOptions = { db: Db; trustProxy: boolean; sessionDays: number };

/**
 * Wraps Astro's request listener (src/start.ts): a cached page is answered here, before Astro's
 * pipeline, with the same cache slot the middleware uses (page-cache.ts) and the same headers
 * it adds. Everything else — misses, non-GET requests, a database that seems down (the
 * middleware's breaker answers 503), any error — goes to Astro, carrying the slot decided here
 * so the middleware does not read the versions again.
 */
export function createFastPath(options: FastPathOptions, astro: Listener): Listener {
	return (req, res) => {
		void lookUp(req).then((found) => {
			if (found.page && !res.headersSent) return serve(req, res, found.page, options.trustProxy);
			if (found.decided) withDecidedSlot(found.slot, () => astro(req, res));
			else astro(req, res);
		});
	};

	async function lookUp(
		req: IncomingMessage,
	): Promise<{ decided: boolean; slot: CacheSlot | null; page: CachedPage | null }> {
		const method = req.method ?? 'GET';
		if ((method !== 'GET' && method !== 'HEAD') || databaseSeemsDown())
			return { decided: false, slot: null, page: null };
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
			return { decided: true, slot, page: slot ? getCachedPage(slot.key, slot.version) : null };
		} catch {
			return { decided: false, slot: null, page: null };
		}
	}
}

/**
 * Puts the fast path in front of the request listener Astro's Node adapter attached to `server`
 * (src/start.ts and the ballot bench's server start the app this one way).
 */
export function installFastPath(server: Server, options: FastPathOptions): void {
	const [astro] = server.listeners('request') as Listener[];
	if (!astro) return;
	server.removeAllListeners('request');
	server.on('request', createFastPath(options, astro));
}

function serve(req: IncomingMessage, res: ServerResponse, page: CachedPage, trustProxy: boolean) {
	const https = isHttps(req, trustProxy);
	res.writeHead(
		page.status,
		responseHeaders(page.headers, https, requestId(req), page.body.byteLength),
	);
	res.end(req.method === 'HEAD' ? undefined : page.body);
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
