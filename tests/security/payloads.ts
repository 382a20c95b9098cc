/** Hostile strings, one table per attack; every text field of every action gets each. */

/** Every XSS payload carries this marker: found in an executable place, the page is open. */
export const XSS_MARKER = 'gj-xss';

export const xssPayloads: string[] = [
	'<script>alert("gj-xss")</script>',
	'"><img src=x onerror=alert("gj-xss")>',
	"'><svg/onload=alert('gj-xss')>",
	'</textarea><script>alert("gj-xss")</script>',
	'javascript:alert("gj-xss")//',
];

export const sqlPayloads: string[] = [
	"' or '1'='1",
	'1; drop table users;--',
	"1' union select password_hash, null from users--",
	"'); delete from audit_log; --",
	'1 or 1=1',
	"\\'; select pg_sleep(5);--",
];

/** Traversal and encoding tricks for file routes (`/images/<hash>.<ext>`, `/files/<hash>.pdf`). */
export const traversalPaths: string[] = [
	'../../../../etc/passwd',
	'..%2f..%2f..%2f..%2fetc%2fpasswd',
	'%2e%2e/%2e%2e/%2e%2e/etc/passwd',
	'..%252f..%252f..%252fetc%252fpasswd',
	'....//....//....//etc/passwd',
	'..\\..\\..\\package.json',
	'%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
	'%00.jpg',
	`${'a'.repeat(64)}.jpg%00.html`,
	`${'0'.repeat(64)}.jpg/../../../package.json`,
	'..%2f..%2fdb%2fclient.ts',
	`${'A'.repeat(64)}.JPG`,
];

/** Static asset paths that must not reach outside dist/client. */
export const staticTraversalPaths: string[] = [
	'/_astro/..%2f..%2fserver%2fentry.mjs',
	'/_astro/%2e%2e/%2e%2e/package.json',
	'/favicon.svg/..%2f..%2f..%2fpackage.json',
	'/..%2f..%2fpackage.json',
	'/_astro/..\\..\\server\\entry.mjs',
];

/** What a traversal must never return: a system file, our package manifest, source code. */
export const leakMarkers: RegExp[] = [
	/root:x:0:0/,
	/"name":\s*"gongjian"/,
	/\bimport\s*\{[^}]*\}\s*from\s*['"]/,
	/DATABASE_URL/,
];

/** CSRF: Origin headers that are not this site's (null = no Origin header at all). */
export function forgedOrigins(base: string): (string | null)[] {
	const url = new URL(base);
	return [
		'https://evil.example',
		'null',
		null,
		`${url.protocol}//${url.hostname}.evil.example:${url.port}`,
		`${url.protocol}//${url.hostname}:${Number(url.port) + 1}`,
		`https://${url.host}`,
	];
}

/** JSON nested `depth` levels deep, as arrays and as objects. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
	return kind === 'array'
		? `${'['.repeat(depth)}${']'.repeat(depth)}`
		: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Bytes that are not UTF-8: a lone continuation byte, an overlong slash, a cut sequence. */
export const invalidUtf8 = Buffer.from([0x66, 0xff, 0xfe, 0x80, 0xc0, 0xaf, 0xe4, 0xb8]);

/** Responses must never carry these: stack frames, file paths, driver errors. */
export const leakPatterns: RegExp[] = [
	/\n\s+at [^\n]+:\d+:\d+\)?/,
	/node_modules\//,
	/file:\/\//,
	/\/work\/main\b/,
	/PostgresError|syntax error at or near|duplicate key value/i,
];
