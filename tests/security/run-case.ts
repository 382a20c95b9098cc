import http from 'node:http';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import type { Case } from './corpus.ts';
import { executableMarkers } from './html-scan.ts';
import { leakMarkers, leakPatterns, XSS_MARKER } from './payloads.ts';

export type Outcome = { case: Case; status: number; problems: string[] };

/** Titles of our error pages (404, 500, …) in both languages. */
const errorTitles = [zhCN, en].flatMap((catalog) =>
	Object.entries(catalog)
		.filter(([key]) => /^error\.\d{3}\.title$/.test(key))
		.map(([, value]) => value),
);

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Turns any case body into bytes (FormData through the platform's own multipart encoder). */
async function materialise(c: Case): Promise<{
	bytes: Uint8Array | null;
	stream: ReadableStream<Uint8Array> | null;
	type: string | null;
}> {
	const body = c.body;
	if (body === undefined) return { bytes: null, stream: null, type: c.contentType ?? null };
	if (typeof body === 'function')
		return { bytes: null, stream: body(), type: c.contentType ?? null };
	if (body instanceof FormData) {
		const encoded = new Response(body);
		return {
			bytes: new Uint8Array(await encoded.arrayBuffer()),
			stream: null,
			type: encoded.headers.get('content-type'),
		};
	}
	return {
		bytes: typeof body === 'string' ? Buffer.from(body) : body,
		stream: null,
		type: c.contentType ?? null,
	};
}

/**
 * Sends one case over node:http (paths byte for byte, bodies the server may refuse halfway)
 * and resolves with the reply; a connection the server closed early resolves with status 0.
 */
export async function send(
	base: string,
	c: Case,
	extraHeaders: Record<string, string>,
): Promise<Reply> {
	const url = new URL(base);
	const { bytes, stream, type } = await materialise(c);
	const headers: Record<string, string> = { ...extraHeaders, ...c.headers };
	if (type) headers['content-type'] = type;
	if (bytes) headers['content-length'] = String(bytes.byteLength);
	if (stream) headers['transfer-encoding'] = 'chunked';
	return new Promise((resolve) => {
		let settled = false;
		const done = (reply: Reply) => {
			if (!settled) {
				settled = true;
				resolve(reply);
			}
		};
		const request = http.request(
			{
				host: url.hostname,
				port: url.port,
				method: c.method,
				path: c.path,
				headers,
				// A fresh connection per case: a kept-alive socket the server has just closed would
				// read as a dropped answer.
				agent: false,
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					done({
						status: response.statusCode ?? 0,
						headers: response.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				response.on('error', () =>
					done({ status: response.statusCode ?? 0, headers: response.headers, body: '' }),
				);
			},
		);
		request.setTimeout(60_000, () => request.destroy(new Error('timeout')));
		request.on('error', () => done({ status: 0, headers: {}, body: '' }));
		if (stream) {
			void (async () => {
				try {
					for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
						if (settled || !request.write(chunk))
							await new Promise((r) => (settled ? r(null) : request.once('drain', r)));
						if (settled) break;
					}
				} catch {
					// the server closed the connection: the reply (if any) says why
				}
				request.end();
			})();
		} else request.end(bytes ?? undefined);
	});
}

/** Whether a 4xx body says what went wrong (JSON message, form alert, or an error page). */
function hasClearMessage(reply: Reply): boolean {
	const type = String(reply.headers['content-type'] ?? '');
	const body = reply.body.trim();
	if (!body) return false;
	if (type.includes('json')) {
		try {
			const json = JSON.parse(body) as { message?: string; issues?: unknown[]; error?: string };
			return Boolean(json.message || json.error || (json.issues && json.issues.length > 0));
		} catch {
			return false;
		}
	}
	if (type.includes('html'))
		return (
			/role="alert"/.test(body) || errorTitles.some((title) => body.includes(`<h1>${title}</h1>`))
		);
	return body.length > 3;
}

/** Checks one reply against its case's expectation; returns the problems found (none = pass). */
export function judge(c: Case, reply: Reply): string[] {
	const problems: string[] = [];
	const { status } = reply;
	if (status === 0 && !c.transport) problems.push('no HTTP answer (connection dropped)');
	if (status >= 500) problems.push(`answered ${status}`);
	if (c.expect === 'refused' && status !== 0 && (status < 400 || status >= 500))
		problems.push(`answered ${status}, wanted 4xx`);
	if (c.status && status !== c.status) problems.push(`answered ${status}, wanted ${c.status}`);
	if (c.expect === 'sign-in') {
		const location = String(reply.headers.location ?? '');
		if (!(status === 303 && /\/login/.test(location)) && !(status === 401 || status === 403))
			problems.push(`answered ${status} ${location}, wanted a redirect to sign in`);
	}
	if (status >= 400 && status < 500 && !c.transport && !hasClearMessage(reply))
		problems.push(`${status} without a clear message: ${reply.body.slice(0, 120) || '(empty)'}`);
	for (const pattern of leakPatterns)
		if (pattern.test(reply.body)) problems.push(`body leaks internals (${pattern})`);
	if (c.category === 'path-traversal')
		for (const marker of leakMarkers)
			if (marker.test(reply.body)) problems.push(`traversal served a file (${marker})`);
	const html = String(reply.headers['content-type'] ?? '').includes('html');
	if (html && c.reflect) {
		const found = executableMarkers(reply.body, XSS_MARKER);
		if (found.length) problems.push(`the payload runs in HTML: ${found.join(', ')}`);
	}
	return problems;
}

/** Runs cases `parallel` at a time; each gets its own client address (TRUST_PROXY). */
export async function runCases(
	base: string,
	cases: Case[],
	cookieFor: (c: Case) => string | null,
	parallel = 4,
): Promise<Outcome[]> {
	const outcomes: Outcome[] = new Array(cases.length);
	let next = 0;
	const worker = async () => {
		for (;;) {
			const index = next++;
			if (index >= cases.length) return;
			const c = cases[index]!;
			const headers: Record<string, string> = {
				'x-forwarded-for': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
			};
			const origin = c.origin === undefined || c.origin === 'same' ? base : c.origin;
			if (origin !== null) headers.origin = origin;
			const cookie = cookieFor(c);
			if (cookie) headers.cookie = cookie;
			const reply = await send(base, c, headers);
			outcomes[index] = { case: c, status: reply.status, problems: judge(c, reply) };
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return outcomes;
}
