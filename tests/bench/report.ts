import type { LoadResult } from './load.ts';
import type { BenchRow } from './rows.ts';
import type { PageWeight } from './weight.ts';

export type MeasuredRow = BenchRow & LoadResult;

/** autocannon records latency in whole milliseconds: 0 means under one. */
const ms = (value: number) => (value < 1 ? '<1' : String(Math.round(value)));
const ratioOf = (value: number, baseline: number) => {
	if (baseline <= 0) return '–';
	const ratio = value / baseline;
	return ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2);
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The load table; the ratio is each row's req/s over the first (bare Node) row's. */
export function loadTable(rows: MeasuredRow[]): string {
	const baseline = rows[0]?.requestsPerSecond ?? 0;
	const lines = rows.map((row) => {
		const ratio = ratioOf(row.requestsPerSecond, baseline);
		return `| ${row.name} | ${Math.round(row.requestsPerSecond)} | ${ms(row.p50)} | ${ms(row.p99)} | ${ratio} |`;
	});
	return [
		'| path | req/s | p50 ms | p99 ms | ratio vs bare Node |',
		'| --- | ---: | ---: | ---: | ---: |',
		...lines,
	].join('\n');
}

/** The page-weight table against the budget (gzip level 6). */
export function weightTable(pages: PageWeight[], budget: number): string {
	const lines = pages.map((p) => {
		const verdict =
			p.total <= budget ? `within (${Math.round((p.total / budget) * 100)} %)` : 'OVER';
		return `| \`${p.path}\` | ${kb(p.html)} | ${kb(p.css)} | ${kb(p.js)} | ${kb(p.total)} | ${kb(p.raw)} | ${verdict} |`;
	});
	return [
		`| page | HTML gz | CSS gz | JS gz | total gz | uncompressed | budget ${kb(budget)} |`,
		'| --- | ---: | ---: | ---: | ---: | ---: | --- |',
		...lines,
	].join('\n');
}

/** The assets the weighed pages link, by path. */
export function assetList(pages: PageWeight[]): string {
	const paths = new Set(pages.flatMap((p) => p.assets.map((asset) => new URL(asset).pathname)));
	return `Linked assets: ${[...paths].join(', ') || 'none'}.`;
}
