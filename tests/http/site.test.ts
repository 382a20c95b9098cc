import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';

/** The built server over HTTP on a fresh embedded database (seeded on first start). */
describe('built server on an embedded database', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		tmp = tempDir();
		server = await startServer({ PGLITE_DIR: path.join(tmp.dir, 'pglite') });
	});
	afterAll(async () => {
		await server?.stop();
		tmp?.remove();
	});

	const get = (p: string, init?: RequestInit) =>
		fetch(`${server.url}${p}`, { redirect: 'manual', ...init });

	it('serves the seeded home page in Chinese with security headers', async () => {
		const response = await get('/');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		const html = await response.text();
		expect(html).toContain('<html lang="zh-CN"');
		expect(html).toContain('红岩新村老旧小区改造');
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self'/);
		expect(csp).not.toContain('unsafe-inline');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it('compresses HTML and CSS for browsers that accept it (brotli first, else gzip)', async () => {
		const html = await (await get('/p/dujuan/v/2')).text();
		const css = /href="(\/_astro\/[^"]+\.css)"/.exec(html)?.[1];
		expect(css).toBeTruthy();
		for (const p of ['/p/dujuan/v/2', '/en/p/dujuan/v/2', css!]) {
			const plain = await wire(p, 'identity');
			expect(plain.encoding).toBeUndefined();
			const br = await wire(p, 'gzip, deflate, br');
			expect(br.encoding).toBe('br');
			// A page is rendered afresh each time: the same document, not the same bytes.
			const same = (decoded: Buffer) =>
				p === css ? decoded.equals(plain.body) : decoded.toString().includes('</html>');
			expect(same(zlib.brotliDecompressSync(br.body))).toBe(true);
			expect(br.body.length).toBeLessThan(plain.body.length / 2);
			const gzip = await wire(p, 'gzip');
			expect(gzip.encoding).toBe('gzip');
			expect(same(zlib.gunzipSync(gzip.body))).toBe(true);
		}
		expect((await wire('/p/dujuan/v/2', 'br')).body.length).toBeLessThan(12_000);
	});

	/** The bytes on the wire, as sent (fetch would decode them). */
	const wire = (p: string, acceptEncoding: string) =>
		new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
			http
				.get(`${server.url}${p}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						resolve({
							encoding: res.headers['content-encoding'],
							body: Buffer.concat(chunks),
						}),
					);
				})
				.on('error', reject);
		});

	it('ships no JavaScript on the home and project pages', async () => {
		for (const p of ['/', '/p/hongyan', '/en/p/hongyan']) {
			const html = await (await get(p)).text();
			expect(html).not.toMatch(/<script/i);
		}
	});

	it('serves English under /en with lang="en" and language alternates', async () => {
		const html = await (await get('/en/p/hongyan')).text();
		expect(html).toContain('<html lang="en"');
		expect(html).toContain('Hongyan New Village renovation');
		expect(html).toContain('hreflang="zh-CN"');
		expect(html).toContain('<meta property="og:title" content="Hongyan New Village renovation"');
	});

	it('answers unknown pages with a translated 404', async () => {
		for (const [p, text] of [
			['/no-such-page', '页面不存在'],
			['/en/no-such-page', 'Page not found'],
			['/p/no-such-project', '页面不存在'],
			['/p/..%2f..%2fetc%2fpasswd', '页面不存在'],
		] as const) {
			const response = await get(p);
			expect(response.status, p).toBe(404);
			expect(await response.text()).toContain(text);
		}
	});

	it('has liveness and readiness endpoints', async () => {
		expect((await get('/healthz')).status).toBe(200);
		const ready = await get('/readyz');
		expect(ready.status).toBe(200);
		expect(ready.headers.get('cache-control')).toBe('no-store');
	});

	it('refuses mutations without a matching Origin, and changes nothing', async () => {
		const body = new URLSearchParams({ size: 'large', back: '/' });
		const headers = { 'content-type': 'application/x-www-form-urlencoded' };
		const none = await get('/prefs/text-size', { method: 'POST', body, headers });
		expect(none.status).toBe(403);
		expect(none.headers.get('set-cookie')).toBeNull();
		const evil = await get('/prefs/text-size', {
			method: 'POST',
			body,
			headers: { ...headers, origin: 'https://evil.example' },
		});
		expect(evil.status).toBe(403);
		expect(evil.headers.get('set-cookie')).toBeNull();
		const json = await get('/prefs/text-size', {
			method: 'POST',
			body: '{}',
			headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
		});
		expect(json.status).toBe(403);
		expect(await json.text()).toContain('请求来源无法验证');
	});

	it('sets the large-text preference in an HttpOnly SameSite cookie and redirects back safely', async () => {
		const response = await get('/prefs/text-size', {
			method: 'POST',
			body: new URLSearchParams({ size: 'large', back: '//evil.example/x' }),
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
		const cookie = response.headers.get('set-cookie') ?? '';
		expect(cookie).toContain('gj_text=large');
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).not.toContain('Secure');
		const page = await (await get('/', { headers: { cookie: 'gj_text=large' } })).text();
		expect(page).toContain('class="large-text"');
		expect(page).toContain('aria-pressed="true"');
	});

	it('marks cookies Secure and sends HSTS behind a TLS proxy only when trusted', async () => {
		const response = await get('/', { headers: { 'x-forwarded-proto': 'https' } });
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it('pages and filters the project list without error on hostile query strings', async () => {
		for (const q of [
			'?page=-1',
			'?page=99999',
			'?stage=%3Cscript%3E',
			"?stage=' or 1=1--",
			'?page=1e9',
		]) {
			const response = await get(`/${q}`);
			expect(response.status, q).toBe(200);
			expect(await response.text()).not.toContain('<script>');
		}
	});

	it('serves the open plan version with renderings as <picture> and lazy immutable variants', async () => {
		const html = await (await get('/p/dujuan/v/2')).text();
		expect(html).toContain('<picture>');
		expect(html).toMatch(/srcset="\/images\/[0-9a-f]{64}\.webp 480w/);
		expect(html).toContain('loading="lazy"');
		const url = /\/images\/[0-9a-f]{64}\.jpg/.exec(html)![0];
		const response = await get(url);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/jpeg');
		expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		const etag = response.headers.get('etag')!;
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
		expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
		expect((await get(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
	});

	it('answers 404 to anything but a variant hash (no traversal, no originals)', async () => {
		for (const p of [
			'/images/..%2f..%2fetc%2fpasswd',
			'/images/abc.jpg',
			`/images/${'0'.repeat(64)}.jpg`,
			`/images/${'a'.repeat(64)}.png`,
			'/images/%00.jpg',
		]) {
			expect((await get(p)).status, p).toBe(404);
		}
	});

	it('shows the diff between plan versions and 404s for unknown versions', async () => {
		const html = await (await get('/p/dujuan/diff?from=1&to=2')).text();
		expect(html).toContain('新增</strong> 适老设施');
		expect(html).toContain('修改</strong> 充电设施');
		expect((await get('/p/dujuan/v/99')).status).toBe(404);
		expect((await get('/p/dujuan/diff?from=1&to=abc')).status).toBe(404);
	});
});
