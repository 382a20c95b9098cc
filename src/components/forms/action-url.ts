/**
 * The `action` attribute of a form bound to an Astro Action: the page that handles the result,
 * its own query parameters, and the action's `_action` parameter.
 */
export function formAction(
	path: string,
	action: { toString(): string },
	params: Record<string, string> = {},
): string {
	const query = new URLSearchParams(params);
	for (const [key, value] of new URLSearchParams(String(action).replace(/^\?/, '')))
		query.set(key, value);
	return `${path}?${query.toString()}`;
}
