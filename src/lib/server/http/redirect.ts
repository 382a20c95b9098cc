/**
 * A same-site path to go back to; anything else (absolute URLs, //host, backslashes, control
 * characters, unpaired surrogates) → '/'. Characters a header cannot carry (non-ASCII such as
 * `/账户`, spaces) are percent-encoded, so the path can always go in a Location header.
 */
export function safeRedirectPath(value: unknown): string {
	if (typeof value !== 'string' || value.length > 2000) return '/';
	if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
	// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
	if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
	try {
		return value.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
	} catch {
		return '/'; // an unpaired surrogate cannot be encoded
	}
}
