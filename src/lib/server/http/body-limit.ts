/**
 * Request bodies are capped before anything reads them: a Content-Length above the route's
 * limit is refused unread, and a body without one (chunked) is read only up to the limit.
 * Without this, the action runtime's malformed-JSON check and Astro's 45 MB action limit let
 * four anonymous 50 MB POSTs take half a gigabyte of memory before any refusal.
 */

const KB = 1024;
const MB = 1024 * KB;

/** The limits by kind of body; a route may say otherwise (`uploadRoutes`). */
export const BODY_LIMITS = {
	json: 256 * KB,
	form: 1 * MB,
	upload: 20 * MB,
} as const;

/**
 * Actions whose form carries several files of up to 20 MB each (images; PDF scans): the limit
 * Astro itself applies to actions (astro.config.mjs `actionBodySizeLimit`).
 */
const uploadRoutes: Record<string, number> = {
	'plans.addRendering': 45 * MB,
	'progress.postUpdate': 45 * MB,
	'progress.publishMinutes': 45 * MB,
	'progress.reportProblem': 45 * MB,
};

/** The action a request calls (`/_actions/<name>` or a page form's `?_action=<name>`), if any. */
function actionName(url: URL): string | null {
	if (url.pathname.startsWith('/_actions/')) return url.pathname.slice('/_actions/'.length);
	return url.searchParams.get('_action');
}

/**
 * The most bytes a request's body may have: JSON 256 KB, forms 1 MB, multipart uploads 20 MB
 * (more for the actions in `uploadRoutes`). Uploads need a session: nobody uploads anonymously,
 * so a visitor's multipart body is held to the form limit.
 */
export function bodyLimit(url: URL, contentType: string, signedIn: boolean): number {
	const type = contentType.trim().toLowerCase();
	if (type.startsWith('application/json')) return BODY_LIMITS.json;
	if (!type.startsWith('multipart/form-data') || !signedIn) return BODY_LIMITS.form;
	const name = actionName(url);
	return (name && uploadRoutes[name]) || BODY_LIMITS.upload;
}

export type LimitedBody = { ok: true; bytes: Uint8Array | null } | { ok: false; limit: number };

/**
 * Checks a request's body against `limit` bytes, leaving the body for Astro to read: a declared
 * length above the limit is refused without reading a byte (Node enforces a declared length,
 * so one within the limit needs no counting); a body without one is read from a clone and
 * cancelled as soon as it passes the limit. `keep`: return the bytes (for a JSON check).
 */
export async function readBodyWithin(
	request: Request,
	limit: number,
	keep = false,
): Promise<LimitedBody> {
	const declared = request.headers.get('content-length');
	if (declared !== null) {
		if (!/^\d+$/.test(declared) || Number(declared) > limit) return { ok: false, limit };
		if (!keep || !request.body) return { ok: true, bytes: null };
	}
	if (!request.body) return { ok: true, bytes: null };
	const reader = request.clone().body!.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > limit) {
			// Not awaited: a tee'd branch's cancel settles only once the other branch ends too.
			reader.cancel().catch(() => {});
			return { ok: false, limit };
		}
		if (keep) chunks.push(value);
	}
	if (!keep) return { ok: true, bytes: null };
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return { ok: true, bytes };
}

/** "20 MB", "256 KB": a limit as people read it. */
export function formatLimit(bytes: number): string {
	return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} KB`;
}

/** Whether a JSON body does not parse (Astro would throw on it: a 500). */
export function isMalformedJson(contentType: string, bytes: Uint8Array | null): boolean {
	if (!/^application\/json\b/i.test(contentType.trim()) || !bytes || bytes.length === 0)
		return false;
	try {
		JSON.parse(new TextDecoder().decode(bytes));
		return false;
	} catch {
		return true;
	}
}
