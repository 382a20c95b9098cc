import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Readers for a raw Node request, for the paths answered before Astro (fast-path.ts). */

/** A request header's first value. */
export function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Whether the browser used HTTPS: the socket, or a trusted proxy's X-Forwarded-Proto. */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
	if (trustProxy) {
		const proto = header(req, 'x-forwarded-proto')?.split(',')[0]?.trim();
		if (proto === 'https' || proto === 'http') return proto === 'https';
	}
	return Boolean((req.socket as TLSSocket).encrypted);
}

/** The request id to answer with: the client's (64 characters at most) or a new one. */
export function requestId(req: IncomingMessage): string {
	return header(req, 'x-request-id')?.slice(0, 64) || crypto.randomUUID();
}
