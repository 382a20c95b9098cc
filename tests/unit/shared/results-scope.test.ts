import { describe, expect, it } from 'vitest';
import {
	ALL_BUILDINGS_UP_TO,
	chooseResultsScope,
	rowsInScope,
} from '../../../src/lib/server/shared/results-scope.ts';

const LARGE = ALL_BUILDINGS_UP_TO + 1;

describe('chooseResultsScope: what per-building detail a results page shows', () => {
	it.each([
		['a small scope lists every building', [1, 2], 12, Number.NaN, [], { kind: 'all' }],
		[
			'a small scope shows one compound when asked',
			[1, 2],
			12,
			2,
			[],
			{ kind: 'compound', compoundId: 2, requested: true },
		],
		[
			'a large scope shows the compound asked for, not the own one',
			[1, 2, 3],
			LARGE,
			3,
			[1],
			{ kind: 'compound', compoundId: 3, requested: true },
		],
		[
			'a large scope shows the resident’s own compound',
			[1, 2, 3],
			LARGE,
			Number.NaN,
			[9, 2],
			{ kind: 'compound', compoundId: 2, requested: false },
		],
		[
			'a compound outside the scope is ignored (another community’s id)',
			[1, 2, 3],
			LARGE,
			77,
			[],
			{ kind: 'none' },
		],
		[
			'a visitor on a large scope gets the summary and the filter',
			[1, 2],
			LARGE,
			Number.NaN,
			[],
			{ kind: 'none' },
		],
	] as const)('%s', (_name, compoundIds, buildings, requested, own, expected) => {
		expect(chooseResultsScope({ compoundIds, buildings, requested, own })).toEqual(expected);
	});
});

describe('rowsInScope', () => {
	const rows = [
		{ id: 'a', compoundId: 1 },
		{ id: 'b', compoundId: 2 },
		{ id: 'c', compoundId: null },
	];
	it('keeps every row, one compound’s rows, or none', () => {
		expect(rowsInScope(rows, { kind: 'all' }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
		expect(
			rowsInScope(rows, { kind: 'compound', compoundId: 2, requested: true }).map((r) => r.id),
		).toEqual(['b']);
		expect(rowsInScope(rows, { kind: 'none' })).toEqual([]);
	});
});
