/**
 * A project's Open Graph image (issue 19): the project's name, its compounds and stage on the
 * site's colours, 1200×630 PNG, so a link shared in a chat shows which project it is. Text is
 * escaped into SVG and rendered by sharp (librsvg, system fonts).
 */
import sharp from 'sharp';

export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;

const escapeXml = (text: string) =>
	text.replace(
		/[<>&"']/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
	);

/** Splits text into lines of at most `width` characters (CJK-friendly: by character). */
export function wrapText(text: string, width: number, maxLines: number): string[] {
	const chars = [...text];
	const lines: string[] = [];
	for (let i = 0; i < chars.length && lines.length < maxLines; i += width) {
		lines.push(chars.slice(i, i + width).join(''));
	}
	if (chars.length > width * maxLines)
		lines[maxLines - 1] = `${lines[maxLines - 1]!.slice(0, -1)}…`;
	return lines;
}

export type OgCard = { site: string; title: string; subtitle: string; badge: string };

/** The card as SVG (exported for tests: every text is escaped). */
export function ogSvg(card: OgCard): string {
	const title = wrapText(card.title, 14, 2)
		.map((line, i) => `<text x="80" y="${260 + i * 96}" class="t">${escapeXml(line)}</text>`)
		.join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="${OG_HEIGHT}">
<style>.s{font:700 44px sans-serif;fill:#fff}.t{font:700 80px sans-serif;fill:#fff}.u{font:400 40px sans-serif;fill:#d7ece9}.b{font:700 36px sans-serif;fill:#0b5d57}</style>
<rect width="100%" height="100%" fill="#0b5d57"/>
<text x="80" y="120" class="s">${escapeXml(card.site)}</text>
${title}
<text x="80" y="500" class="u">${escapeXml(wrapText(card.subtitle, 26, 1)[0] ?? '')}</text>
<rect x="80" y="535" rx="30" width="${Math.max(160, [...card.badge].length * 40 + 60)}" height="60" fill="#fff"/>
<text x="110" y="577" class="b">${escapeXml(card.badge)}</text>
</svg>`;
}

/** The card as PNG bytes. */
export async function renderOgImage(card: OgCard): Promise<Buffer> {
	return sharp(Buffer.from(ogSvg(card)))
		.png({ compressionLevel: 9 })
		.toBuffer();
}
