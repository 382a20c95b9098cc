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
 * The refusal for a request the server will not read (400 unreadable, 413 too large): JSON for
 * the action API, text otherwise.
 */
export function badActionBody(url: URL, message: string, status: 400 | 413 = 400): Response {
	if (url.pathname.startsWith('/_actions/')) {
		const code = status === 413 ? 'CONTENT_TOO_LARGE' : 'BAD_REQUEST';
		return new Response(JSON.stringify({ type: 'AstroActionError', code, status, message }), {
			status,
			headers: { 'Content-Type': 'application/json' },
		});
	}
	return new Response(message, {
		status,
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
