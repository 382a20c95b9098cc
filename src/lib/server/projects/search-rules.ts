/**
 * How a resident's search words match a compound (issue 19): by its Chinese name, English
 * name, street address or a project's name — or by the name's pinyin, full ("dujuan") or initials
 * ("djxc"), since many older residents type pinyin initials on a phone keyboard. Pure.
 */
import { pinyin } from 'pinyin-pro';

/** Longest search accepted (characters); longer input is cut, never an error. */
export const QUERY_MAX = 40;

const keys = new Map<string, { full: string; initials: string }>();
const KEYS_KEPT = 5000;

/** "杜鹃新村" → { full: 'dujuanxincun', initials: 'djxc' }, memoised (names rarely change). */
export function pinyinKeys(name: string): { full: string; initials: string } {
	let key = keys.get(name);
	if (!key) {
		const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
		key = {
			full: syllables.join('').toLowerCase().replace(/\s+/g, ''),
			initials: syllables
				.map((s) => s.trim()[0] ?? '')
				.join('')
				.toLowerCase(),
		};
		if (keys.size >= KEYS_KEPT) keys.delete(keys.keys().next().value!);
		keys.set(name, key);
	}
	return key;
}

/** Lower case, no spaces, at most QUERY_MAX characters; '' means "no search". */
export function normaliseQuery(raw: string | null | undefined): string {
	return (raw ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, '').slice(0, QUERY_MAX);
}

export type Searchable = {
	name: string;
	nameEn: string;
	address: string;
	/** Other names the thing goes by (its projects' names). */
	aliases: string[];
};

/**
 * 0 = no match; higher is better: 3 the name or its pinyin starts with the query, 2 the name,
 * address or pinyin contains it, 1 a project's name contains it.
 */
export function matchRank(item: Searchable, query: string): number {
	if (query === '') return 0;
	const flat = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
	const name = flat(item.name);
	const { full, initials } = pinyinKeys(item.name);
	if ([name, full, initials, flat(item.nameEn)].some((s) => s.startsWith(query))) return 3;
	if ([name, full, initials, flat(item.nameEn), flat(item.address)].some((s) => s.includes(query)))
		return 2;
	if (item.aliases.some((a) => flat(a).includes(query))) return 1;
	return 0;
}
