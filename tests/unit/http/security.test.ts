import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../../src/lib/server/http/redirect.ts';
import {
	isMutation,
	isSameOrigin,
	requestOrigin,
	securityHeaders,
} from '../../../src/lib/server/http/security.ts';

describe('origin rule for mutations', () => {
	it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post'])('%s is a mutation', (method) => {
		expect(isMutation(method)).toBe(true);
	});
	it.each(['GET', 'HEAD', 'OPTIONS'])('%s is safe', (method) => {
		expect(isMutation(method)).toBe(false);
	});
	it.each([
		['http://127.0.0.1:4321', 'http://127.0.0.1:4321', true],
		['http://127.0.0.1:4321', 'http://127.0.0.1:4322', false],
		['https://evil.example', 'http://127.0.0.1:4321', false],
		['null', 'http://127.0.0.1:4321', false],
		[null, 'http://127.0.0.1:4321', false],
		['not a url', 'http://127.0.0.1:4321', false],
		['http://127.0.0.1:4321.evil.example', 'http://127.0.0.1:4321', false],
	])('Origin %s against %s → %s', (origin, expected, ok) => {
		expect(isSameOrigin(origin, expected)).toBe(ok);
	});

	it('trusts forwarded host and proto only when told to', () => {
		const url = new URL('http://10.0.0.5:4321/x');
		const headers = new Headers({
			'x-forwarded-proto': 'https',
			'x-forwarded-host': 'gj.example.cn',
		});
		expect(requestOrigin(url, headers, false)).toBe('http://10.0.0.5:4321');
		expect(requestOrigin(url, headers, true)).toBe('https://gj.example.cn');
		expect(requestOrigin(url, new Headers({ 'x-forwarded-proto': 'gopher' }), true)).toBe(
			'http://10.0.0.5:4321',
		);
	});
});

describe('security headers', () => {
	it('always forbid sniffing and framing; HSTS only over TLS', () => {
		const plain = securityHeaders({ https: false });
		expect(plain['X-Content-Type-Options']).toBe('nosniff');
		expect(plain['X-Frame-Options']).toBe('DENY');
		expect(plain['Strict-Transport-Security']).toBeUndefined();
		expect(securityHeaders({ https: true })['Strict-Transport-Security']).toContain('max-age=');
	});
});

describe('safeRedirectPath', () => {
	it.each([
		['/en/p/hongyan?x=1', '/en/p/hongyan?x=1'],
		['//evil.example', '/'],
		['https://evil.example', '/'],
		['/\\evil.example', '/'],
		['javascript:alert(1)', '/'],
		['/a\r\nSet-Cookie: x', '/'],
		[undefined, '/'],
		[42, '/'],
	])('%o → %s', (input, expected) => {
		expect(safeRedirectPath(input)).toBe(expected);
	});
});
