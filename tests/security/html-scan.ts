/**
 * Finds where a marker would run in an HTML page, the way a browser tokenises it: inside a
 * <script> element, in an event-handler attribute (on…), or in a javascript: URL. Text and
 * quoted attribute values are data, so an escaped or merely quoted payload is not a finding.
 */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data']);

type Attribute = { name: string; value: string };

/** Reads the attributes of a tag starting after its name; returns them and the end index. */
function readAttributes(html: string, from: number): { attributes: Attribute[]; end: number } {
	const attributes: Attribute[] = [];
	let i = from;
	while (i < html.length) {
		while (i < html.length && /[\s/]/.test(html[i]!)) i++;
		if (i >= html.length || html[i] === '>') return { attributes, end: i + 1 };
		let name = '';
		while (i < html.length && !/[\s/>=]/.test(html[i]!)) name += html[i++];
		while (i < html.length && /\s/.test(html[i]!)) i++;
		let value = '';
		if (html[i] === '=') {
			i++;
			while (i < html.length && /\s/.test(html[i]!)) i++;
			const quote = html[i];
			if (quote === '"' || quote === "'") {
				const close = html.indexOf(quote, i + 1);
				const stop = close === -1 ? html.length : close;
				value = html.slice(i + 1, stop);
				i = stop + 1;
			} else {
				while (i < html.length && !/[\s>]/.test(html[i]!)) value += html[i++];
			}
		}
		attributes.push({ name: name.toLowerCase(), value });
	}
	return { attributes, end: html.length };
}

/** Places where `marker` would execute; empty when the page is safe. */
export function executableMarkers(html: string, marker: string): string[] {
	const found: string[] = [];
	let i = 0;
	while (i < html.length) {
		const open = html.indexOf('<', i);
		if (open === -1) break;
		if (html.startsWith('<!--', open)) {
			const close = html.indexOf('-->', open + 4);
			i = close === -1 ? html.length : close + 3;
			continue;
		}
		const name = /^<([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(open, open + 40))?.[1];
		if (!name) {
			i = open + 1;
			continue;
		}
		const tag = name.toLowerCase();
		const { attributes, end } = readAttributes(html, open + 1 + name.length);
		for (const { name: attr, value } of attributes) {
			if (!value.includes(marker)) continue;
			if (attr.startsWith('on')) found.push(`<${tag} ${attr}>`);
			if (URL_ATTRIBUTES.has(attr) && /^\s*javascript:/i.test(value))
				found.push(`<${tag} ${attr}=javascript:>`);
		}
		i = end;
		if (RAW_TEXT.has(tag)) {
			const close = html.toLowerCase().indexOf(`</${tag}`, i);
			const content = html.slice(i, close === -1 ? html.length : close);
			if (tag === 'script' && content.includes(marker)) found.push('<script> content');
			i = close === -1 ? html.length : close;
		}
	}
	return found;
}
