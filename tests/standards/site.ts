import path from 'node:path';
import { createServerDatabase } from '../helpers/test-db.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';

/**
 * The built server with the demo (PostgreSQL when TEST_DATABASE_URL is set, else PGlite) and
 * a crawler that finds every page type by following links, as a visitor, a resident and an
 * administrator: a new page is checked as soon as something links to it.
 */
export const STAFF_PASSWORD = 'demo-staff-password';

export type Site = { server: RunningServer; stop(): Promise<void> };

export async function startSite(extraEnv: Record<string, string> = {}): Promise<Site> {
	const env: Record<string, string> = {
		DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
		GONGJIAN_WORKER: 'off',
		TRUST_PROXY: 'true',
		...extraEnv,
	};
	let tmp: ReturnType<typeof tempDir> | undefined;
	let drop: (() => Promise<void>) | undefined;
	if (process.env.TEST_DATABASE_URL) {
		const created = await createServerDatabase();
		drop = created.drop;
		Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
	} else {
		tmp = tempDir('gj-standards-');
		env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
	}
	const server = await startServer(env, 120_000);
	return {
		server,
		async stop() {
			await server.stop();
			await drop?.();
			tmp?.remove();
		},
	};
}

/** Signs in and returns the Cookie header: staff by password, a resident by SMS code. */
export async function signIn(base: string, who: 'admin' | 'resident'): Promise<string> {
	const post = (p: string, form: Record<string, string>, cookie = '') =>
		fetchOnce(base + p, {
			method: 'POST',
			redirect: 'manual',
			body: new URLSearchParams(form),
			headers: {
				origin: base,
				cookie,
				'content-type': 'application/x-www-form-urlencoded',
				'x-forwarded-for': `10.77.0.${who === 'admin' ? 1 : 2}`,
			},
		});
	const session = (response: Response) => {
		const line = response.headers.getSetCookie().find((l) => l.startsWith('gj_session='));
		if (!line) throw new Error(`standards: sign-in as ${who} failed (${response.status})`);
		return line.split(';')[0]!;
	};
	if (who === 'admin')
		return session(
			await post('/staff/login?_action=auth.staffSignIn', {
				username: 'admin',
				password: STAFF_PASSWORD,
			}),
		);
	const phone = '13700004242';
	await post('/login?_action=auth.requestCode', { phone });
	const outbox = await (await fetchOnce(`${base}/dev/outbox`)).text();
	const code = new RegExp(`data-phone="\\+86${phone}"[\\s\\S]*?<p>[^<]*?(\\d{6})`).exec(
		outbox,
	)?.[1];
	if (!code) throw new Error('standards: no sign-in code in /dev/outbox');
	return session(await post('/login/verify?_action=auth.verifyCode', { phone, code }));
}

/**
 * fetch, once more on a dropped connection: undici may reuse a kept-alive socket at the moment
 * the server's 5-second keep-alive timeout closes it.
 */
export async function fetchOnce(url: string, init: RequestInit = {}): Promise<Response> {
	try {
		return await fetch(url, init);
	} catch {
		return fetch(url, init);
	}
}

export type CrawledPage = { url: string; path: string; status: number; html: string; key: string };

/** Paths never crawled: downloads, assets, sign-out, developer tools, form posts. */
const SKIP = [
	/^\/_astro\//,
	/^\/(en\/)?(images|files)\//,
	/\.(csv|json|xlsx|pdf|png|jpg|svg|ico|txt|xml)(\?|$)/,
	/^\/(en\/)?logout/,
	/^\/(en\/)?dev\//,
	/[?&]_action=/,
	/^\/(en\/)?(healthz|readyz)/,
];

/**
 * A page type: the path with numbers and the slug after /p/ generalised and query values
 * dropped, so /p/a/v/1 and /p/b/v/2 count once.
 */
export function pageKey(pathAndQuery: string): string {
	const [pathname, query = ''] = pathAndQuery.split('?');
	const generic = pathname!
		.replace(/^\/en(?=\/|$)/, '')
		.replace(/^\/p\/[^/]+/, '/p/:slug')
		.replace(/\/projects\/[^/]+/, '/projects/:slug')
		.replace(/\/\d+(?=\/|$)/g, '/:n')
		.replace(/\/[0-9a-f-]{32,36}(?=\/|$)/g, '/:id');
	const keys = [...new URLSearchParams(query).keys()].sort().join('&');
	return keys ? `${generic}?${keys}` : generic;
}

/**
 * Breadth-first over same-origin links from `seeds`, one page per page type (`pageKey`), at
 * most `limit` pages. Only HTML answers count; redirects are followed by the link they name.
 */
export async function crawl(
	base: string,
	seeds: string[],
	cookie: string,
	limit = 60,
	headers: Record<string, string> = {},
): Promise<CrawledPage[]> {
	const queue = [...seeds];
	const seenKeys = new Set<string>();
	const seenPaths = new Set<string>();
	const pages: CrawledPage[] = [];
	while (queue.length && pages.length < limit) {
		const next = queue.shift()!;
		const key = pageKey(next);
		if (seenKeys.has(key) || seenPaths.has(next) || SKIP.some((r) => r.test(next))) continue;
		seenPaths.add(next);
		const response = await fetchOnce(base + next, {
			redirect: 'manual',
			headers: { cookie, ...headers },
		});
		const type = response.headers.get('content-type') ?? '';
		if (response.status >= 300 && response.status < 400) {
			const location = response.headers.get('location');
			if (location) queue.push(new URL(location, base + next).pathname);
			continue;
		}
		if (!type.includes('text/html')) continue;
		const pageType = response.status === 404 ? '/404' : key;
		seenKeys.add(key);
		const html = await response.text();
		pages.push({ url: base + next, path: next, status: response.status, html, key: pageType });
		for (const m of html.matchAll(/\shref="([^"#]+)"/g)) {
			const href = m[1]!.replaceAll('&amp;', '&');
			if (!href.startsWith('/') || href.startsWith('//')) continue;
			queue.push(href);
		}
	}
	return pages;
}
