/**
 * A link or form target on the page: `returnPath` with the current query (other lists' order
 * and page, never `_action`) and the given changes (null removes a parameter).
 */
export function pageUrl(
	returnPath: string,
	current: URLSearchParams,
	changes: Record<string, string | null> = {},
): { path: string; params: Record<string, string>; href: string } {
	const base = new URL(returnPath, 'http://local');
	const params = new URLSearchParams(base.search);
	for (const [key, value] of current) if (!params.has(key)) params.set(key, value);
	params.delete('_action');
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) params.delete(key);
		else params.set(key, value);
	}
	const query = params.toString();
	return {
		path: base.pathname,
		params: Object.fromEntries(params),
		href: base.pathname + (query ? `?${query}` : ''),
	};
}
