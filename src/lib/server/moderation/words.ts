/**
 * The sensitive-word list (敏感词): normalisation and matching, pure. Residents who want a word
 * past a filter write it in full-width letters (ＳＢ), with spaces or dots between the
 * characters (傻 逼, f.u.c.k), in mixed case or with accents; every one of those folds to the same
 * text here. A match never refuses an opinion: it only sends it to the committee's queue.
 *
 * An entry is either
 * - Latin (only a–z, 0–9, spaces and `*` after folding): whole words, so "ass" does not match
 *   "class"; a word ending in `*` is a prefix ("idiot*" matches "idiots"), a lone `*` any one
 *   word; several words match in sequence. Single letters written apart ("f u c k") are read
 *   as one word.
 * - anything else (Chinese, mixed): a substring of the text with every space, punctuation mark
 *   and symbol removed; `*` stands for up to three characters ("傻*逼" matches "傻大逼").
 */

/** Longest entry, in characters. */
export const WORD_MAX = 40;
/** Characters one `*` may stand for inside a Chinese entry. */
const GAP = 3;

/**
 * Folds what tricks change but readers do not see: compatibility forms (full-width ＡＢＣ１２３,
 * circled letters, ligatures) via NFKC, case, and accents on Latin letters.
 */
export function foldText(raw: string): string {
	return raw
		.normalize('NFKC')
		.toLowerCase()
		.normalize('NFD')
		.replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
		.normalize('NFC');
}

/** The folded text with nothing but letters and digits: spacing and punctuation tricks gone. */
export function compactText(raw: string): string {
	return foldText(raw).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Latin words of the folded text; runs of single letters or digits ("f u c k", "f.u.c.k") are
 * joined into one word, which is how a spaced-out word is written.
 */
export function latinWords(raw: string): string[] {
	return joinSingles(foldText(raw).match(/[a-z0-9]+/g) ?? []);
}

/** Joins runs of one-character words ("f", "u", "c", "k" → "fuck"); a lone '*' stays a word. */
function joinSingles(tokens: readonly string[]): string[] {
	const words: string[] = [];
	let run = '';
	for (const token of tokens) {
		if (token.length === 1 && token !== '*') {
			run += token;
			continue;
		}
		if (run) words.push(run);
		run = '';
		words.push(token);
	}
	if (run) words.push(run);
	return words;
}

export type CompiledWord = {
	/** The entry as the admin wrote it (shown to moderators). */
	pattern: string;
	kind: 'latin' | 'cjk';
	/** Latin: the words to find in sequence; a trailing '*' marks a prefix, '*' any word. */
	words: string[];
	/** Chinese and mixed entries: a regular expression over the compact text. */
	regex: RegExp | null;
};

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The canonical form of an entry (stored unique), or null when it has nothing to match: empty,
 * only stars, a single Latin letter, or too long.
 */
export function normaliseEntry(raw: string): { kind: 'latin' | 'cjk'; normalised: string } | null {
	const folded = foldText(raw).trim();
	if (folded.length === 0 || [...folded].length > WORD_MAX) return null;
	if (/^[a-z0-9*\s\p{P}]+$/u.test(folded) && /[a-z0-9]/.test(folded)) {
		const words = joinSingles(
			folded
				.replace(/[^a-z0-9*]+/g, ' ')
				.trim()
				.split(' ')
				.map((w) => w.replace(/\*+/g, '*'))
				.filter((w) => w !== ''),
		);
		const letters = words.join('').replace(/\*/g, '');
		if (letters.length < 2 || words.some((w) => w.length > 1 && w.slice(0, -1).includes('*')))
			return null;
		return { kind: 'latin', normalised: words.join(' ') };
	}
	const compact = folded.replace(/[^\p{L}\p{N}*]+/gu, '').replace(/\*+/g, '*');
	const core = compact.replace(/^\*+|\*+$/g, '');
	if (core.replace(/\*/g, '').length === 0) return null;
	return { kind: 'cjk', normalised: core };
}

/** Compiles list entries once; entries that normalise to nothing are skipped. */
export function compileWords(patterns: readonly string[]): CompiledWord[] {
	const compiled: CompiledWord[] = [];
	for (const pattern of patterns) {
		const entry = normaliseEntry(pattern);
		if (!entry) continue;
		if (entry.kind === 'latin') {
			compiled.push({ pattern, kind: 'latin', words: entry.normalised.split(' '), regex: null });
			continue;
		}
		const source = [...entry.normalised]
			.map((c) => (c === '*' ? `.{0,${GAP}}` : escapeRegex(c)))
			.join('');
		compiled.push({ pattern, kind: 'cjk', words: [], regex: new RegExp(source, 'u') });
	}
	return compiled;
}

const wordMatches = (want: string, word: string) =>
	want === '*' || (want.endsWith('*') ? word.startsWith(want.slice(0, -1)) : word === want);

function sequenceAt(words: readonly string[], want: readonly string[], at: number): boolean {
	for (let i = 0; i < want.length; i++) {
		const word = words[at + i];
		if (word === undefined || !wordMatches(want[i]!, word)) return false;
	}
	return true;
}

/** The entries `text` matches (their patterns as written), in list order; empty when clean. */
export function matchWords(text: string, list: readonly CompiledWord[]): string[] {
	if (list.length === 0) return [];
	const compact = compactText(text);
	const words = latinWords(text);
	const found: string[] = [];
	for (const entry of list) {
		const hit =
			entry.kind === 'cjk'
				? entry.regex!.test(compact)
				: words.some((_, at) => sequenceAt(words, entry.words, at));
		if (hit) found.push(entry.pattern);
	}
	return found;
}
