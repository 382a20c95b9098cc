import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { langOf } from '../../../src/lib/lang.ts';
import { ogSvg, renderOgImage, wrapText } from '../../../src/lib/server/projects/og-image.ts';

describe('Open Graph card', () => {
	it('escapes every text into the SVG', () => {
		const svg = ogSvg({
			site: '共建',
			title: '<script>alert(1)</script>',
			subtitle: 'a & "b"',
			badge: "施工'中",
		});
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;');
		expect(svg).toContain('a &amp; &quot;b&quot;');
		expect(svg).toContain('施工&apos;中');
	});

	it('wraps long names by character and marks the cut', () => {
		expect(wrapText('杜鹃新村老旧小区改造', 6, 2)).toEqual(['杜鹃新村老旧', '小区改造']);
		expect(wrapText('一二三四五六七八九十', 4, 2)).toEqual(['一二三四', '五六七…']);
	});

	it('renders a 1200×630 PNG', async () => {
		const png = await renderOgImage({
			site: '共建',
			title: '杜鹃新村',
			subtitle: 'x',
			badge: '设计',
		});
		const meta = await sharp(png).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
	});
});

describe('language of parts', () => {
	it.each([
		['en', '反对占用2号楼前绿地。', 'zh-CN'],
		['en', 'Keep the lawn', undefined],
		['zh-CN', 'Keep the lawn', 'en'],
		['zh-CN', '保留绿地 (lawn)', undefined],
		['zh-CN', '2026', undefined],
		['en', '', undefined],
	] as const)('%s page, %s → %s', (locale, text, lang) => {
		expect(langOf(locale, text)).toBe(lang);
	});
});
