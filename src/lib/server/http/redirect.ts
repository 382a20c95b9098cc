/** A same-site path to go back to; anything else (absolute URLs, //host, backslashes) → '/'. */
export function safeRedirectPath(value: unknown): string {
	if (typeof value !== 'string' || value.length > 2000) return '/';
	if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
	// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
	if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
	return value;
}
