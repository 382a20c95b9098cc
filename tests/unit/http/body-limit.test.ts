import { describe, expect, it } from 'vitest';
import { BODY_LIMITS, bodyLimit, readBodyWithin } from '../../../src/lib/server/http/body-limit.ts';

const MB = 1024 * 1024;

describe('body limits by route and type', () => {
	it.each([
		['/_actions/opinions.post', 'application/json', true, 256 * 1024],
		['/_actions/opinions.post', 'application/x-www-form-urlencoded', true, MB],
		['/p/x/v/1?_action=opinions.post', 'text/plain', false, MB],
		['/p/x/v/1', 'application/x-www-form-urlencoded', false, MB],
		['/_actions/ballots.enterPaper', 'multipart/form-data; boundary=x', true, 20 * MB],
		[
			'/staff/projects/x?_action=plans.addRendering',
			'multipart/form-data; boundary=x',
			true,
			45 * MB,
		],
		// Nobody uploads without signing in.
		['/_actions/plans.addRendering', 'multipart/form-data; boundary=x', false, MB],
	])('%s as %s (signed in: %s) → %d bytes', (path, type, signedIn, limit) => {
		expect(bodyLimit(new URL(path, 'http://x'), type, signedIn)).toBe(limit);
	});
});

/** A body of `total` bytes in 64 KB chunks that counts what the reader pulled. */
function counted(total: number) {
	const seen = { pulled: 0 };
	const chunk = new Uint8Array(64 * 1024).fill(0x78);
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (seen.pulled >= total) return controller.close();
			seen.pulled += chunk.length;
			controller.enqueue(chunk);
		},
	});
	return { stream, seen };
}

const post = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
	new Request('http://x/_actions/a.b', {
		method: 'POST',
		body,
		headers,
		duplex: 'half',
	} as RequestInit);

describe('reading a body within its limit', () => {
	it('refuses a declared length above the limit without reading a byte', async () => {
		const { stream, seen } = counted(50 * MB);
		const result = await readBodyWithin(post(stream, { 'content-length': String(50 * MB) }), MB);
		expect(result).toEqual({ ok: false, limit: MB });
		expect(seen.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream pre-buffered
	});

	it('cuts a chunked body at the limit: reads about the limit, not 50 MB', async () => {
		const { stream, seen } = counted(50 * MB);
		const result = await readBodyWithin(post(stream), BODY_LIMITS.json);
		expect(result.ok).toBe(false);
		expect(seen.pulled).toBeLessThan(BODY_LIMITS.json + 8 * 64 * 1024); // of 50 MB
	});

	it('returns a body within the limit whole', async () => {
		const result = await readBodyWithin(post('a=1&b=2'), MB, true);
		expect(result.ok && new TextDecoder().decode(result.bytes!)).toBe('a=1&b=2');
	});
});
