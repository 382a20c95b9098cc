/**
 * What the committee learns from many opinions: the most frequent terms and opinions grouped by
 * menu item. Chinese word breaking uses `Intl.Segmenter` (ICU's dictionary-based word
 * segmentation, built into Node 24): no dependency. Pure functions, unit-tested.
 */

/**
 * Words that say nothing about what residents want: particles, pronouns, filler verbs and the
 * portal's own vocabulary. One list, in one place; terms shorter than two characters are
 * dropped anyway (single Chinese characters are mostly particles).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
	// Chinese
	'我们',
	'你们',
	'他们',
	'她们',
	'大家',
	'自己',
	'这个',
	'那个',
	'这些',
	'那些',
	'这样',
	'那样',
	'什么',
	'怎么',
	'为什么',
	'因为',
	'所以',
	'但是',
	'而且',
	'如果',
	'还是',
	'或者',
	'以及',
	'然后',
	'就是',
	'不是',
	'没有',
	'可以',
	'能够',
	'应该',
	'需要',
	'希望',
	'建议',
	'觉得',
	'认为',
	'一下',
	'一个',
	'一些',
	'非常',
	'比较',
	'特别',
	'已经',
	'现在',
	'目前',
	'还有',
	'问题',
	'意见',
	'情况',
	'小区',
	'居民',
	'方案',
	'改造',
	'谢谢',
	'请问',
	'是否',
	'能否',
	'的话',
	'时候',
	'一定',
	'考虑',
	'能不能',
	'可不可以',
	'是不是',
	'好不好',
	'我家',
	'我们家',
	'楼里',
	'这里',
	'那里',
	'太多',
	'很多',
	'不要',
	'不能',
	'不会',
	'不用',
	'了吧',
	// English
	'the',
	'and',
	'for',
	'are',
	'but',
	'not',
	'you',
	'our',
	'this',
	'that',
	'with',
	'have',
	'was',
	'please',
	'would',
	'could',
	'should',
	'there',
	'they',
	'them',
	'from',
	'what',
	'when',
	'will',
]);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Meaningful words of one text, in order, each once (a text counts once per term). */
export function termsOf(text: string): string[] {
	const seen = new Set<string>();
	for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC'))) {
		if (!isWordLike) continue;
		const word = segment.toLowerCase();
		if ([...word].length < 2 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
		seen.add(word);
	}
	return [...seen];
}

export type TermCount = { term: string; count: number };

/**
 * The most frequent terms over texts (how many texts use each), most frequent first; a term only
 * one text uses is not a pattern and is left out.
 */
export function topTerms(texts: readonly string[], limit = 5): TermCount[] {
	const counts = new Map<string, number>();
	for (const text of texts) {
		for (const term of termsOf(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
	}
	return [...counts]
		.map(([term, count]) => ({ term, count }))
		.filter((t) => t.count > 1)
		.sort((a, b) => b.count - a.count || a.term.localeCompare(b.term, 'zh-CN'))
		.slice(0, limit);
}

/** One opinion as grouping needs it: its menu item (null: the plan as a whole) and whether answered. */
export type OpinionFact = {
	id: number;
	itemId: number | null;
	itemName: string;
	itemNameEn: string;
	body: string;
	answered: boolean;
};

/** Opinions sharing a frequent term within a group, with those still waiting for an answer. */
export type TermGroup = {
	term: string;
	opinions: number;
	unanswered: number;
	/** The unanswered opinions using the term, oldest id first (to answer them together). */
	unansweredIds: number[];
};

export type ItemGroup = {
	itemId: number | null;
	name: string;
	nameEn: string;
	opinions: number;
	unanswered: number;
	terms: TermGroup[];
};

/**
 * Opinions grouped by menu item, the largest group first (the plan as a whole last among equals),
 * each with its most frequent terms and how many opinions using each are unanswered.
 */
export function groupByItem(facts: readonly OpinionFact[], termLimit = 5): ItemGroup[] {
	const groups = new Map<number | null, OpinionFact[]>();
	for (const fact of facts) {
		const list = groups.get(fact.itemId) ?? [];
		list.push(fact);
		groups.set(fact.itemId, list);
	}
	return [...groups.values()]
		.map((list) => {
			const first = list[0]!;
			const terms = topTerms(
				list.map((f) => f.body),
				termLimit,
			).map(({ term }) => {
				const using = list.filter((f) => termsOf(f.body).includes(term));
				const waiting = using.filter((f) => !f.answered).map((f) => f.id);
				return {
					term,
					opinions: using.length,
					unanswered: waiting.length,
					unansweredIds: waiting.sort((a, b) => a - b),
				};
			});
			return {
				itemId: first.itemId,
				name: first.itemName,
				nameEn: first.itemNameEn,
				opinions: list.length,
				unanswered: list.filter((f) => !f.answered).length,
				terms,
			};
		})
		.sort(
			(a, b) =>
				b.opinions - a.opinions ||
				Number(a.itemId === null) - Number(b.itemId === null) ||
				(a.itemId ?? 0) - (b.itemId ?? 0),
		);
}
