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

/**
 * Same-origin stylesheet and script URLs linked from an HTML page: <link rel=stylesheet>,
 * <script src>, <link rel=modulepreload>, and Astro islands (<astro-island component-url=…
 * renderer-url=… before-hydration-url=…>), which load their JavaScript themselves.
 */
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
	const preloads = (html.match(/<link\b[^>]*>/gi) ?? []).filter((tag) =>
		/\bmodulepreload\b/i.test(attribute(tag, 'rel') ?? ''),
	);
	const islands = html.match(/<astro-island\b[^>]*>/gi) ?? [];
	const unique = (urls: (string | null)[]) => [
		...new Set(urls.filter((u): u is string => u !== null)),
	];
	return {
		css: unique(links.map((tag) => resolve(attribute(tag, 'href')))),
		js: unique([
			...scripts.map((tag) => resolve(attribute(tag, 'src'))),
			...preloads.map((tag) => resolve(attribute(tag, 'href'))),
			...islands.flatMap((tag) =>
				['component-url', 'renderer-url', 'before-hydration-url'].map((name) =>
					resolve(attribute(tag, name)),
				),
			),
		]),
	};
}

/** Relative static imports of an ES module (`import…from"./x.js"`, `import"./y.js"`). */
export function staticImports(source: string, moduleUrl: string): string[] {
	const found = new Set<string>();
	for (const m of source.matchAll(
		/\b(?:import|export)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"']+)["']/g,
	)) {
		const specifier = m[1]!;
		if (specifier.startsWith('.') || specifier.startsWith('/'))
			found.add(new URL(specifier, moduleUrl).toString());
	}
	return [...found];
}

async function download(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
	// Once more on a dropped connection: a kept-alive socket may close as it is reused.
	const response = await fetch(url, { headers }).catch(() => fetch(url, { headers }));
	if (!response.ok) throw new Error(`bench: ${url} answered ${response.status}`);
	return Buffer.from(await response.arrayBuffer());
}

const gzipped = (body: Buffer) => gzipSync(body, { level: 6 }).length;

/**
 * Downloads a page (with `headers`, e.g. a session cookie) and every same-origin CSS/JS it links,
 * islands and their imports included; sizes them gzipped and raw.
 */
export async function measurePageWeight(
	baseUrl: string,
	path: string,
	headers: Record<string, string> = {},
): Promise<PageWeight> {
	const pageUrl = new URL(path, baseUrl).toString();
	const html = await download(pageUrl, headers);
	const { css, js } = linkedAssets(html.toString('utf8'), pageUrl);
	const cssBodies = await Promise.all(css.map((url) => download(url)));
	// Islands' modules import shared chunks (the Svelte runtime…): follow static imports.
	const jsUrls = [...js];
	const jsBodies: Buffer[] = [];
	for (let i = 0; i < jsUrls.length; i++) {
		const body = await download(jsUrls[i]!);
		jsBodies.push(body);
		for (const url of staticImports(body.toString('utf8'), jsUrls[i]!))
			if (!jsUrls.includes(url)) jsUrls.push(url);
	}
	const sum = (bodies: Buffer[], size: (b: Buffer) => number) =>
		bodies.reduce((n, b) => n + size(b), 0);
	const weight = { html: gzipped(html), css: sum(cssBodies, gzipped), js: sum(jsBodies, gzipped) };
	const raw = html.length + sum(cssBodies, (b) => b.length) + sum(jsBodies, (b) => b.length);
	return {
		path,
		...weight,
		total: weight.html + weight.css + weight.js,
		raw,
		assets: [...css, ...jsUrls],
	};
}
