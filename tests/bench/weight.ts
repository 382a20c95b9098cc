import { gzipSync } from 'node:zlib';

export type PageWeight = {
	path: string;
	/** gzip level 6 bytes, what a server or proxy would send */
	html: number;
	css: number;
	js: number;
	total: number;
	/** uncompressed bytes of everything */
	raw: number;
	assets: string[];
};

const attribute = (tag: string, name: string) =>
	new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
		.exec(tag)
		?.slice(1)
		.find(Boolean) ?? null;

/** Same-origin stylesheet and script URLs linked from an HTML page. */
export function linkedAssets(html: string, pageUrl: string): { css: string[]; js: string[] } {
	const origin = new URL(pageUrl).origin;
	const resolve = (href: string | null) => {
		if (!href) return null;
		const url = new URL(href.replaceAll('&amp;', '&'), pageUrl);
		return url.origin === origin ? url.toString() : null;
	};
	const links = (html.match(/<link\b[^>]*>/gi) ?? []).filter((tag) =>
		/\bstylesheet\b/i.test(attribute(tag, 'rel') ?? ''),
	);
	const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
	const unique = (urls: (string | null)[]) => [
		...new Set(urls.filter((u): u is string => u !== null)),
	];
	return {
		css: unique(links.map((tag) => resolve(attribute(tag, 'href')))),
		js: unique(scripts.map((tag) => resolve(attribute(tag, 'src')))),
	};
}

async function download(url: string): Promise<Buffer> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`bench: ${url} answered ${response.status}`);
	return Buffer.from(await response.arrayBuffer());
}

const gzipped = (body: Buffer) => gzipSync(body, { level: 6 }).length;

/** Downloads a page and every same-origin CSS/JS it links; sizes them gzipped and raw. */
export async function measurePageWeight(baseUrl: string, path: string): Promise<PageWeight> {
	const pageUrl = new URL(path, baseUrl).toString();
	const html = await download(pageUrl);
	const { css, js } = linkedAssets(html.toString('utf8'), pageUrl);
	const cssBodies = await Promise.all(css.map(download));
	const jsBodies = await Promise.all(js.map(download));
	const sum = (bodies: Buffer[], size: (b: Buffer) => number) =>
		bodies.reduce((n, b) => n + size(b), 0);
	const weight = { html: gzipped(html), css: sum(cssBodies, gzipped), js: sum(jsBodies, gzipped) };
	const raw = html.length + sum(cssBodies, (b) => b.length) + sum(jsBodies, (b) => b.length);
	return {
		path,
		...weight,
		total: weight.html + weight.css + weight.js,
		raw,
		assets: [...css, ...js],
	};
}
