import { describe, expect, it } from 'vitest';
import { diffItems, diffLines } from '../../../src/lib/server/plans/diff.ts';
import { renderMarkdown } from '../../../src/lib/server/plans/markdown.ts';
import {
	acceptsOpinions,
	checkItemMoney,
	effectiveStatus,
	parseYuan,
} from '../../../src/lib/server/plans/rules.ts';

const at = (iso: string) => new Date(iso);
const window = {
	commentOpensAt: at('2026-05-01T00:00:00Z'),
	commentClosesAt: at('2026-05-15T00:00:00Z'),
};

describe('effectiveStatus and the comment window', () => {
	it.each([
		['2026-04-30T23:59:59Z', 'upcoming', false],
		['2026-05-01T00:00:00Z', 'open', true],
		['2026-05-14T23:59:59Z', 'open', true],
		['2026-05-15T00:00:00Z', 'closed', false],
	] as const)('at %s an open version is %s', (now, status, accepts) => {
		const version = { status: 'open' as const, ...window };
		expect(effectiveStatus(version, at(now))).toBe(status);
		expect(acceptsOpinions(version, at(now))).toBe(accepts);
	});
	it.each(['draft', 'closed', 'superseded', 'final'] as const)(
		'a %s version never accepts opinions',
		(status) => {
			expect(acceptsOpinions({ status, ...window }, at('2026-05-05T00:00:00Z'))).toBe(false);
		},
	);
});

describe('money', () => {
	it.each([
		['100', '60', '40', true],
		['100.00', '60.01', '40', false],
		['0', '0', '0', true],
		['1e5', '0', '0', false],
		['-1', '0', '0', false],
		['100.001', '0', '0', false],
	])('cost %s, government %s, residents %s → %s', (c, g, r, ok) => {
		expect(checkItemMoney(c, g, r)).toBe(ok);
	});
	it('parses exact cents', () => {
		expect(parseYuan('123456789012.34')).toBe(12345678901234n);
		expect(parseYuan('0.1')).toBe(10n);
		expect(parseYuan('abc')).toBeNull();
	});
});

describe('renderMarkdown', () => {
	it('escapes raw HTML and script, refuses javascript: links, marks links nofollow ugc', () => {
		const html = renderMarkdown(
			'<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](https://gov.cn)\n\n![x](https://evil/x.png)',
		);
		expect(html).not.toContain('<script');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('href="javascript');
		expect(html).toContain('<a href="https://gov.cn" rel="nofollow ugc noopener">b</a>');
	});
});

describe('diff', () => {
	it('diffs lines by longest common subsequence', () => {
		expect(diffLines('a\nb\nc', 'a\nc\nd').map((r) => r.kind)).toEqual([
			'same',
			'removed',
			'same',
			'added',
		]);
		expect(diffLines('', '')).toEqual([{ kind: 'same', left: '', right: '' }]);
	});
	it('diffs items by key', () => {
		const a = [
			{ key: '1', v: 1 },
			{ key: '2', v: 2 },
		];
		const b = [
			{ key: '2', v: 3 },
			{ key: '3', v: 3 },
		];
		const d = diffItems(a, b, (x, y) => x.v === y.v);
		expect(d.added.map((x) => x.key)).toEqual(['3']);
		expect(d.removed.map((x) => x.key)).toEqual(['1']);
		expect(d.changed.map((x) => x.after.key)).toEqual(['2']);
	});
});
