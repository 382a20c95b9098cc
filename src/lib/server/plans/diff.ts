/**
 * A readable side-by-side diff of two texts by line (longest common subsequence), for "what
 * changed between versions". Plan texts are short (a few hundred lines), so O(n·m) is fine.
 */
export type DiffRow =
	| { kind: 'same'; left: string; right: string }
	| { kind: 'removed'; left: string; right: null }
	| { kind: 'added'; left: null; right: string };

export function diffLines(before: string, after: string): DiffRow[] {
	const a = before.split('\n');
	const b = after.split('\n');
	const n = a.length;
	const m = b.length;
	const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
	for (let i = n - 1; i >= 0; i--) {
		for (let j = m - 1; j >= 0; j--) {
			lcs[i]![j] =
				a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
		}
	}
	const rows: DiffRow[] = [];
	let i = 0;
	let j = 0;
	while (i < n && j < m) {
		if (a[i] === b[j]) {
			rows.push({ kind: 'same', left: a[i]!, right: b[j]! });
			i++;
			j++;
		} else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
			rows.push({ kind: 'removed', left: a[i++]!, right: null });
		} else {
			rows.push({ kind: 'added', left: null, right: b[j++]! });
		}
	}
	while (i < n) rows.push({ kind: 'removed', left: a[i++]!, right: null });
	while (j < m) rows.push({ kind: 'added', left: null, right: b[j++]! });
	return rows;
}

export type ItemDiff<T extends { key: string }> = {
	added: T[];
	removed: T[];
	changed: { before: T; after: T }[];
};

/** Items added, removed and changed between two versions (matched by key, compared by `same`). */
export function diffItems<T extends { key: string }>(
	before: T[],
	after: T[],
	same: (a: T, b: T) => boolean,
): ItemDiff<T> {
	const old = new Map(before.map((x) => [x.key, x]));
	const next = new Map(after.map((x) => [x.key, x]));
	return {
		added: after.filter((x) => !old.has(x.key)),
		removed: before.filter((x) => !next.has(x.key)),
		changed: after.flatMap((x) => {
			const prior = old.get(x.key);
			return prior && !same(prior, x) ? [{ before: prior, after: x }] : [];
		}),
	};
}
