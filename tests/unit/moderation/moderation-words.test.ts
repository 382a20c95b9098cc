import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	compactText,
	compileWords,
	latinWords,
	matchWords,
	normaliseEntry,
} from '../../../src/lib/server/moderation/words.ts';

const list = compileWords(['傻逼', '滚*蛋', 'idiot', 'scam*', 'kill yourself', 'SB', '垃圾 物业']);

/** Full-width forms of printable ASCII (U+FF01–FF5E), the classic evasion. */
const fullWidth = (s: string) =>
	[...s]
		.map((c) => {
			const code = c.charCodeAt(0);
			if (c === ' ') return '\u3000';
			return code >= 0x21 && code <= 0x7e ? String.fromCharCode(code + 0xfee0) : c;
		})
		.join('');

describe('sensitive words: evasion is folded away', () => {
	const cases: [string, string, string[]][] = [
		['plain Chinese', '你是傻逼吗', ['傻逼']],
		['spaces between characters', '你是 傻 逼 吗', ['傻逼']],
		['ideographic space (全角空格)', '傻\u3000逼', ['傻逼']],
		['punctuation and zero-width space', '傻.逼 / 傻\u200b逼', ['傻逼']],
		['gap pattern "*": up to three characters', '你滚远点蛋', ['滚*蛋']],
		['gap pattern: too far apart', '滚出去远一点再说蛋', []],
		['English whole word, any case', 'You IDIOT!', ['idiot']],
		['full-width English (全角)', 'ｙｏｕ ＩＤＩＯＴ', ['idiot']],
		['spaced-out English', 'you i d i o t', ['idiot']],
		['dotted English', 'I.D.I.O.T', ['idiot']],
		['accents are folded', 'ídíöt', ['idiot']],
		['English next to Chinese characters', '你就是idiot吧', ['idiot']],
		['not inside a longer word', 'idiotic idiots', []],
		['prefix pattern', 'this is a scammer', ['scam*']],
		['several words in sequence', 'go Kill   Yourself', ['kill yourself']],
		['sequence split by punctuation', 'kill, yourself', ['kill yourself']],
		['words out of order do not match', 'yourself kill', []],
		['a Latin entry in a Chinese text', '你个ＳＢ', ['SB']],
		['an entry with a space matches joined text', '垃圾物业不管事', ['垃圾 物业']],
		['clean text', '希望增加休息座椅，楼道灯太暗。', []],
		['"class" does not contain the word "SB"', 'sbc class', []],
	];
	for (const [name, text, expected] of cases) {
		it(name, () => expect(matchWords(text, list)).toEqual(expected));
	}

	it('finds every entry in a text that contains them all', () => {
		expect(matchWords('傻逼 滚蛋 idiot scams kill yourself sb 垃圾物业', list)).toHaveLength(7);
	});

	it('an empty list matches nothing', () => {
		expect(matchWords('傻逼', [])).toEqual([]);
	});
});

describe('sensitive words: entries', () => {
	const entries: [string, ReturnType<typeof normaliseEntry>][] = [
		['傻逼', { kind: 'cjk', normalised: '傻逼' }],
		['傻 逼', { kind: 'cjk', normalised: '傻逼' }],
		['＊滚＊蛋＊', { kind: 'cjk', normalised: '滚*蛋' }],
		['IDIOT', { kind: 'latin', normalised: 'idiot' }],
		['ＩＤＩＯＴ', { kind: 'latin', normalised: 'idiot' }],
		['f u c k', { kind: 'latin', normalised: 'fuck' }],
		['Kill  Yourself', { kind: 'latin', normalised: 'kill yourself' }],
		['scam**', { kind: 'latin', normalised: 'scam*' }],
		['', null],
		['***', null],
		['a', null],
		['a*', null],
		['sc*am', null],
		['x'.repeat(41), null],
	];
	for (const [raw, expected] of entries) {
		it(`"${raw.slice(0, 12)}" → ${JSON.stringify(expected)}`, () =>
			expect(normaliseEntry(raw)).toEqual(expected));
	}

	it('reads spaced-out letters as one word and keeps real words apart', () => {
		expect(latinWords('f u c k you, A B C plan')).toEqual(['fuck', 'you', 'abc', 'plan']);
		expect(compactText('Ａ Ｂ，c！')).toBe('abc');
	});
});

describe('sensitive words: properties', () => {
	const separators = fc.constantFrom(' ', '\u3000', '.', '-', '_', '\u200b', '·', '、');
	const chinese = fc
		.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 2, maxLength: 6 })
		.map((codes) => String.fromCharCode(...codes));

	it('a Chinese entry matches its text with any separators between the characters', () => {
		fc.assert(
			fc.property(chinese, fc.array(separators, { minLength: 6, maxLength: 6 }), (word, seps) => {
				const evaded = [...word].map((c, i) => c + seps[i]!).join('');
				expect(matchWords(`前文${evaded}后文`, compileWords([word]))).toEqual([word]);
			}),
		);
	});

	it('an English entry matches in full width, any case, or spelled out letter by letter', () => {
		const word = fc.stringMatching(/^[a-z]{3,10}$/);
		const casing = fc.array(fc.boolean(), { minLength: 10, maxLength: 10 });
		fc.assert(
			fc.property(word, casing, separators, (w, upper, sep) => {
				const cased = [...w].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
				const list = compileWords([w]);
				expect(matchWords(`hello ${cased} there`, list)).toEqual([w]);
				expect(matchWords(fullWidth(`hello ${cased} there`), list)).toEqual([w]);
				expect(matchWords(`hello ${[...cased].join(sep)} there`, list)).toEqual([w]);
			}),
		);
	});

	it('an English entry never matches inside a longer word', () => {
		const word = fc.stringMatching(/^[a-z]{3,8}$/);
		const affix = fc.stringMatching(/^[a-z]{1,4}$/);
		fc.assert(
			fc.property(word, affix, (w, a) => {
				expect(matchWords(`前${a}${w}，${w}${a}后`, compileWords([w]))).toEqual([]);
			}),
		);
	});
});
