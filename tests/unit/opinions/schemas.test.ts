import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	BODY_MAX,
	codePoints,
	meTooInput,
	normaliseText,
	opinionCommandInput,
	parseOrThrow,
	postOpinionInput,
	replyInput,
	reportInput,
} from '../../../src/lib/server/opinions/schemas.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { zhCN } from '../../../src/i18n/zh-CN.ts';
import { alignment, reportReason } from '../../../db/schema/opinions.ts';
import { alignments, reportReasons } from '../../../src/lib/server/opinions/types.ts';

describe('normaliseText', () => {
	it.each([
		['plain', '楼道灯太暗', '楼道灯太暗'],
		['trims', '  \n 楼道 \t ', '楼道'],
		['CRLF and CR', 'a\r\nb\rc', 'a\nb\nc'],
		['Unicode line separators', 'a\u2028b\u2029c\u0085d', 'a\nb\nc\nd'],
		['runs of spaces and tabs', 'a  \t  b', 'a b'],
		['ideographic and no-break spaces', '　　第一段\u00a0\u00a0内容', '第一段 内容'],
		['spaces around line breaks', 'a  \n  b', 'a\nb'],
		['at most one blank line', 'a\n\n\n\n\nb', 'a\n\nb'],
		['blank lines made of spaces', 'a\n \n \n \nb', 'a\n\nb'],
		['zero-width and BOM', '\ufeff楼\u200b道\u2060灯', '楼道灯'],
		['bidi overrides (spoofing)', 'abc\u202edcba\u202c', 'abcdcba'],
		['control characters', 'a\u0000b\u0007c\u001bd\u007f', 'abcd'],
		['NFC', 'e\u0301', '\u00e9'],
		['only whitespace', ' \n\t\u3000 ', ''],
		['keeps HTML as text', '<script>alert(1)</script>', '<script>alert(1)</script>'],
		['keeps emoji joiners', '👨\u200d👩\u200d👧', '👨\u200d👩\u200d👧'],
	])('%s', (_, raw, expected) => {
		expect(normaliseText(raw)).toBe(expected);
	});

	const anyText = fc.string({
		unit: fc.oneof(
			fc.constantFrom(
				' ',
				'\t',
				'\n',
				'\r',
				'\u3000',
				'\u00a0',
				'\u200b',
				'\u202e',
				'e',
				'\u0301',
				'楼',
			),
			fc.constantFrom('a', '<', '&', '"', '😀'),
			fc.string({ unit: 'grapheme', maxLength: 1 }),
		),
		maxLength: 80,
	});

	it('is idempotent', () => {
		fc.assert(
			fc.property(anyText, (raw) => normaliseText(normaliseText(raw)) === normaliseText(raw)),
		);
	});

	it('never starts or ends with whitespace, never leaves CR, tabs or double spaces', () => {
		fc.assert(
			fc.property(anyText, (raw) => {
				const text = normaliseText(raw);
				return (
					text === text.trim() &&
					!/[\r\t\u200b\u202e]/.test(text) &&
					!text.includes('  ') &&
					!text.includes('\n\n\n')
				);
			}),
		);
	});
});

describe('opinion inputs', () => {
	it('counts characters as PostgreSQL does (code points)', () => {
		expect(codePoints('😀😀')).toBe(2);
		expect('😀😀'.length).toBe(4);
		const emoji = '😀'.repeat(BODY_MAX);
		expect(
			postOpinionInput.safeParse({ planVersionId: 1, alignment: 'support', body: emoji }).success,
		).toBe(true);
	});

	it.each([
		['empty', '', 'opinions.bodyRequired'],
		['whitespace only', ' \n\u3000 ', 'opinions.bodyRequired'],
		['one character too long', '字'.repeat(BODY_MAX + 1), 'opinions.bodyTooLong'],
		['huge', 'x'.repeat(100_000), 'opinions.bodyTooLong'],
	])('refuses a body that is %s', (_, body, key) => {
		const parsed = postOpinionInput.safeParse({ planVersionId: 1, alignment: 'support', body });
		expect(parsed.success).toBe(false);
		expect(parsed.error!.issues[0]!.message).toBe(key);
		expect(parsed.error!.issues[0]!.path).toEqual(['body']);
	});

	it('accepts exactly 2000 characters once whitespace is normalised', () => {
		const body = `   ${'字'.repeat(BODY_MAX)}   `;
		const parsed = postOpinionInput.parse({ planVersionId: '3', alignment: 'object', body });
		expect(parsed).toEqual({ planVersionId: 3, alignment: 'object', body: '字'.repeat(BODY_MAX) });
	});

	it.each([
		[undefined, {}],
		['', {}],
		['version', {}],
		['r12', { renderingId: 12 }],
		['i7', { planItemId: 7 }],
	])('reads the composer\'s "about" %s', (about, target) => {
		const parsed = postOpinionInput.parse({
			planVersionId: 1,
			alignment: 'neutral',
			body: 'x',
			about,
		});
		expect(parsed).toEqual({ planVersionId: 1, alignment: 'neutral', body: 'x', ...target });
	});

	it.each(['r0', 'x12', 'r-1', 'r99999999999', 'r1 ', 'i'])('refuses "about" %j', (about) => {
		const parsed = postOpinionInput.safeParse({
			planVersionId: 1,
			alignment: 'neutral',
			body: 'x',
			about,
		});
		expect(parsed.error?.issues[0]?.message).toBe('opinions.targetInvalid');
	});

	it('needs an alignment on a new opinion; a reply defaults to neutral', () => {
		const missing = postOpinionInput.safeParse({ planVersionId: 1, body: 'x' });
		expect(missing.error?.issues[0]?.message).toBe('opinions.alignmentRequired');
		const wrong = postOpinionInput.safeParse({ planVersionId: 1, body: 'x', alignment: 'maybe' });
		expect(wrong.error?.issues[0]?.message).toBe('opinions.alignmentRequired');
		expect(replyInput.parse({ planVersionId: 1, parentId: 2, body: ' y ' })).toEqual({
			planVersionId: 1,
			parentId: 2,
			alignment: 'neutral',
			body: 'y',
		});
	});

	it('refuses two targets at once in a command', () => {
		const both = opinionCommandInput.safeParse({
			planVersionId: 1,
			renderingId: 2,
			planItemId: 3,
			alignment: 'neutral',
			body: 'x',
		});
		expect(both.error?.issues[0]?.message).toBe('opinions.targetInvalid');
	});

	it.each([0, -1, 1.5, 'abc', 2 ** 31])('refuses the id %j', (opinionId) => {
		expect(meTooInput.safeParse({ opinionId }).success).toBe(false);
	});

	it('bounds and normalises report notes; the reason is required', () => {
		expect(reportInput.parse({ opinionId: 1, reason: 'spam' })).toEqual({
			opinionId: 1,
			reason: 'spam',
		});
		expect(reportInput.parse({ opinionId: 1, reason: 'spam', text: ' a\u200b  b ' }).text).toBe(
			'a b',
		);
		// Astro sends undefined for an empty optional field (null for an empty required one).
		expect(reportInput.shape.text.def.type).toBe('optional');
		expect(
			reportInput.safeParse({ opinionId: 1, reason: 'spam', text: 'x'.repeat(501) }).error
				?.issues[0]?.message,
		).toBe('opinions.reportTooLong');
		expect(reportInput.safeParse({ opinionId: 1 }).error?.issues[0]?.message).toBe(
			'opinions.reasonRequired',
		);
	});

	it('turns a failed parse into DomainError("invalid") with a catalog key', () => {
		const thrown = (run: () => unknown): unknown => {
			try {
				run();
			} catch (e) {
				return e;
			}
			return null;
		};
		const error = thrown(() =>
			parseOrThrow(postOpinionInput, { planVersionId: 1, alignment: 'support', body: '' }),
		);
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).code).toBe('invalid');
		expect((error as DomainError).messageKey).toBe('opinions.bodyRequired');
		const generic = thrown(() => parseOrThrow(meTooInput, { opinionId: 'x' }));
		expect((generic as DomainError).messageKey).toBe('error.invalidField');
		expect(parseOrThrow(meTooInput, { opinionId: '4' })).toEqual({ opinionId: 4 });
	});

	it('uses message keys that exist, and the enums of the schema', () => {
		for (const key of [
			'opinions.bodyRequired',
			'opinions.bodyTooLong',
			'opinions.alignmentRequired',
			'opinions.targetInvalid',
			'opinions.reasonRequired',
			'opinions.reportTooLong',
		])
			expect(key in zhCN).toBe(true);
		expect([...alignments]).toEqual(alignment.enumValues);
		expect([...reportReasons]).toEqual(reportReason.enumValues);
	});
});
