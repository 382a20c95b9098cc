import { describe, expect, it } from 'vitest';
import { responseHeaders } from '../../../src/lib/server/http/fast-path.ts';
import { isCacheablePath, parseCookies } from '../../../src/lib/server/http/page-cache.ts';

describe('cached page headers (fast path)', () => {
	const stored: [string, string][] = [
		['Content-Type', 'text/html'],
		['Content-Security-Policy', "default-src 'self'"],
		['Vary', 'Cookie'],
		['Link', '</a.css>; rel=preload'],
		['Link', '</b.css>; rel=preload'],
	];

	it('adds the security headers, the charset, the length and the request id', () => {
		const h = responseHeaders(stored, false, 'req-1', 123);
		expect(h['content-type']).toBe('text/html; charset=utf-8');
		expect(h['content-security-policy']).toBe("default-src 'self'");
		expect(h['x-content-type-options']).toBe('nosniff');
		expect(h['x-frame-options']).toBe('DENY');
		expect(h['content-length']).toBe('123');
		expect(h['x-request-id']).toBe('req-1');
		expect(h['x-cache']).toBe('hit');
		expect(h['link']).toEqual(['</a.css>; rel=preload', '</b.css>; rel=preload']);
		expect(h['strict-transport-security']).toBeUndefined();
	});

	it('sends HSTS only over TLS, and a strict CSP when the page had none', () => {
		const h = responseHeaders([['content-type', 'text/html; charset=utf-8']], true, 'r', 0);
		expect(h['strict-transport-security']).toMatch(/max-age=31536000/);
		expect(h['content-security-policy']).toMatch(/default-src 'none'/);
	});
});

describe('page cache request parsing', () => {
	it('parses a Cookie header, first value of a name winning', () => {
		const cookies = parseCookies('gj_session=abc; gj_text=large;gj_session=other; bad; =x');
		expect(cookies.get('gj_session')).toBe('abc');
		expect(cookies.get('gj_text')).toBe('large');
		expect(cookies.has('bad')).toBe(false);
		expect(parseCookies(undefined).size).toBe(0);
	});

	it('caches only the public pages', () => {
		for (const path of ['/', '/p/dujuan', '/p/dujuan/', '/p/dujuan/v/2', '/p/dujuan/diff'])
			expect(isCacheablePath(path), path).toBe(true);
		for (const path of ['/account', '/staff', '/p/dujuan/progress', '/p/DUJUAN', '/p/x/v/2/notice'])
			expect(isCacheablePath(path), path).toBe(false);
	});
});

describe('outage classification', () => {
	it('a client that hung up is not a database outage', async () => {
		const { isClientAbort, isDatabaseUnavailable } =
			await import('../../../src/lib/server/http/unavailable.ts');
		const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		expect(isClientAbort(aborted)).toBe(true);
		expect(isDatabaseUnavailable(aborted)).toBe(false);
		const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
		expect(isDatabaseUnavailable(new Error('query failed', { cause: reset }))).toBe(true);
	});
});

describe('the slot decided before Astro', () => {
	it('is taken once, inside the request it was decided for', async () => {
		const { takeDecidedSlot, withDecidedSlot } =
			await import('../../../src/lib/server/http/page-cache.ts');
		const slot = { key: 'a|zh-CN|normal|/', version: '7' };
		expect(takeDecidedSlot()).toBeUndefined();
		const [first, again] = await withDecidedSlot(slot, async () => {
			await Promise.resolve();
			return [takeDecidedSlot(), takeDecidedSlot()];
		});
		expect(first).toMatchObject({ slot });
		expect(again).toBeUndefined();
		expect(withDecidedSlot(null, () => takeDecidedSlot())).toMatchObject({ slot: null });
	});
});
