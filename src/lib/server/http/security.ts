/**
 * Security headers and the origin rule for mutations. Pure functions, unit-tested; the
 * middleware applies them to every response.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutation(method: string): boolean {
	return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * A mutation must come from a page of this site: its Origin header must equal the site's own
 * origin (as the browser sees it). A missing Origin is refused too — every browser we support
 * sends it on POST — so cross-site form posts and scripted CSRF fail closed.
 */
export function isSameOrigin(originHeader: string | null, expectedOrigin: string): boolean {
	if (!originHeader || originHeader === 'null') return false;
	try {
		return new URL(originHeader).origin === new URL(expectedOrigin).origin;
	} catch {
		return false;
	}
}

/** The origin the browser used: the request URL, or the proxy's forwarded host/proto if trusted. */
export function requestOrigin(url: URL, headers: Headers, trustProxy: boolean): string {
	if (!trustProxy) return url.origin;
	const header = (name: string) => headers.get(name);
	const proto = header('x-forwarded-proto')?.split(',')[0]?.trim();
	const host = header('x-forwarded-host')?.split(',')[0]?.trim();
	return `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${host || url.host}`;
}

/** Content-Security-Policy for responses that are not Astro pages (APIs, text, redirects). */
export const FALLBACK_CSP =
	"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function securityHeaders(options: { https: boolean }): Record<string, string> {
	const headers: Record<string, string> = {
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'Permissions-Policy': 'camera=(self), geolocation=(), microphone=(), payment=(), usb=()',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin',
	};
	if (options.https) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
	return headers;
}
