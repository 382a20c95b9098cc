/**
 * Gaps in Astro's handling of hostile action requests, closed at the edge: a body that claims
 * to be JSON but does not parse made Astro throw (a 500), and some refusals (an unsupported or
 * unreadable body) came back with an empty message. Pure helpers; the middleware applies them.
 */

/** A call of an Astro Action: the RPC endpoint, or a form POST to a page with `?_action=`. */
export function isActionRequest(url: URL): boolean {
	return url.pathname.startsWith('/_actions/') || url.searchParams.has('_action');
}

/**
 * True when the request says it carries JSON and its body does not parse (or nests past what
 * the parser can hold). Reads a clone, so the action still gets the body.
 */
export async function hasMalformedJson(request: Request): Promise<boolean> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type.trim()) || !request.body) return false;
	const text = await request.clone().text();
	if (text.length === 0) return false;
	try {
		JSON.parse(text);
		return false;
	} catch {
		return true;
	}
}

/** The refusal for an action request the server cannot read: JSON for the API, text for pages. */
export function badActionBody(url: URL, message: string): Response {
	if (url.pathname.startsWith('/_actions/')) {
		return new Response(
			JSON.stringify({ type: 'AstroActionError', code: 'BAD_REQUEST', status: 400, message }),
			{ status: 400, headers: { 'Content-Type': 'application/json' } },
		);
	}
	return new Response(message, {
		status: 400,
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
	});
}

/**
 * An action API refusal (4xx JSON) whose message is empty gets `message`; anything else is
 * returned as it is. Only small JSON bodies are read.
 */
export async function withActionMessage(response: Response, message: string): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (response.status < 400 || response.status >= 500 || !type.includes('application/json'))
		return response;
	const length = Number(response.headers.get('content-length') ?? 0);
	if (length > 64 * 1024) return response;
	const text = await response.clone().text();
	let payload: { type?: unknown; message?: unknown };
	try {
		payload = JSON.parse(text) as typeof payload;
	} catch {
		return response;
	}
	if (payload === null || typeof payload !== 'object' || payload.message) return response;
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	return new Response(JSON.stringify({ ...payload, message }), {
		status: response.status,
		statusText: response.statusText,
		headers,
	});
}
