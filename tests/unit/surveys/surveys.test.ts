import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAnswers, answersToRaw } from '../../../src/lib/server/surveys/answers.ts';
import {
	compareRatio,
	sortDashboard,
	type DashboardRow,
} from '../../../src/lib/server/surveys/dashboard.ts';
import {
	buildResults,
	isSuppressed,
	meanText,
	MIN_GROUP,
	percentText,
	ratingStats,
	roundedRatio,
	type ResultsInput,
} from '../../../src/lib/server/surveys/results.ts';
import type { QuestionView } from '../../../src/lib/server/surveys/types.ts';

const question = (
	over: Partial<QuestionView> & Pick<QuestionView, 'id' | 'kind'>,
): QuestionView => ({
	sectionId: null,
	prompt: '题目<script>',
	promptEn: '',
	required: true,
	sort: over.id,
	options: [],
	minChoices: null,
	maxChoices: null,
	maxLength: null,
	role: null,
	planItemId: null,
	...over,
});

describe('roundedRatio / percentText / meanText (exact, half up)', () => {
	const cases: [number, number, number, string][] = [
		[2, 3, 1, '0.7'],
		[1, 3, 2, '0.33'],
		[1, 8, 2, '0.13'], // 0.125 → half up
		[5, 8, 2, '0.63'],
		[0, 7, 1, '0.0'],
		[7, 7, 1, '1.0'],
		[1, 0, 1, '—'],
		[17, 4, 0, '4'], // 4.25 → 4
		[9, 2, 0, '5'], // 4.5 → 5
	];
	for (const [num, den, digits, expected] of cases) {
		it(`${num}/${den} to ${digits} → ${expected}`, () =>
			expect(roundedRatio(num, den, digits)).toBe(expected));
	}
	it('percentText', () => {
		expect(percentText({ num: 2, den: 3 })).toBe('66.7%');
		expect(percentText({ num: 1, den: 6 })).toBe('16.7%');
		expect(percentText({ num: 1, den: 8 })).toBe('12.5%');
		expect(percentText({ num: 1, den: 1600 })).toBe('0.1%'); // 0.0625 → 0.1
		expect(percentText({ num: 0, den: 0 })).toBe('—');
	});
	it('meanText of 4,4,5 is 4.33 and of 1,2 is 1.50', () => {
		expect(
			meanText(
				ratingStats(
					new Map([
						[4, 2],
						[5, 1],
					]),
				),
			),
		).toBe('4.33');
		expect(
			meanText(
				ratingStats(
					new Map([
						[1, 1],
						[2, 1],
					]),
				),
			),
		).toBe('1.50');
	});
	it('property: roundedRatio agrees with BigInt half-up rounding', () => {
		fc.assert(
			fc.property(
				fc.nat(1_000_000),
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.integer({ min: 0, max: 3 }),
				(num, den, digits) => {
					const scale = 10n ** BigInt(digits);
					const scaled = (2n * BigInt(num) * scale + BigInt(den)) / (2n * BigInt(den));
					const text = roundedRatio(num, den, digits);
					const expected =
						digits === 0
							? String(scaled)
							: `${scaled / scale}.${String(scaled % scale).padStart(digits, '0')}`;
					return text === expected;
				},
			),
		);
	});
});

describe('ratingStats', () => {
	it('satisfaction = (4 + 5) over valid answers; mean from the exact sum', () => {
		const stats = ratingStats(
			new Map([
				[1, 1],
				[2, 2],
				[3, 3],
				[4, 4],
				[5, 5],
			]),
		);
		expect(stats.distribution).toEqual([1, 2, 3, 4, 5]);
		expect(stats.valid).toBe(15);
		expect(stats.sum).toBe(1 + 4 + 9 + 16 + 25);
		expect(stats.satisfied).toEqual({ num: 9, den: 15 });
		expect(percentText(stats.satisfied)).toBe('60.0%');
		expect(meanText(stats)).toBe('3.67');
	});
	it('property: counts add up and satisfied ≤ valid; mean within 1..5', () => {
		fc.assert(
			fc.property(fc.array(fc.nat(10_000), { minLength: 5, maxLength: 5 }), (counts) => {
				const stats = ratingStats(new Map(counts.map((n, i) => [i + 1, n])));
				const valid = counts.reduce((a, b) => a + b, 0);
				expect(stats.valid).toBe(valid);
				expect(stats.satisfied.num).toBe(counts[3]! + counts[4]!);
				expect(stats.satisfied.num).toBeLessThanOrEqual(valid);
				if (valid > 0) {
					expect(stats.sum).toBeGreaterThanOrEqual(valid);
					expect(stats.sum).toBeLessThanOrEqual(5 * valid);
				}
			}),
		);
	});
});

describe('suppression below MIN_GROUP', () => {
	it.each([
		[0, false],
		[1, true],
		[4, true],
		[5, false],
		[100, false],
	])('%i responses → suppressed %s', (n, expected) => expect(isSuppressed(n)).toBe(expected));

	const rating = question({ id: 1, kind: 'rating', role: 'overall' });
	const choice = question({
		id: 2,
		kind: 'multiple',
		options: [
			{ label: 'a', labelEn: '' },
			{ label: 'b', labelEn: '' },
		],
	});
	const input = (responses: number, perBuilding: [number, number]): ResultsInput => ({
		surveyId: 1,
		title: 't',
		titleEn: '',
		anonymous: true,
		mode: 'household',
		closedAt: null,
		households: 40,
		respondedHouseholds: responses,
		responses,
		sections: [],
		questions: [rating, choice],
		counts: [
			{ questionId: 1, value: 5, n: responses - 1 },
			{ questionId: 1, value: 2, n: 1 },
			{ questionId: 2, value: 0, n: responses },
			{ questionId: 2, value: 1, n: 2 },
		],
		answered: new Map([
			[1, responses],
			[2, responses],
		]),
		texts: new Map(),
		buildings: [
			{ buildingId: 10, name: 'A', nameEn: 'A', households: 20, responded: perBuilding[0] },
			{ buildingId: 11, name: 'B', nameEn: 'B', households: 20, responded: perBuilding[1] },
		],
		buildingOverall: [
			{ buildingId: 10, value: 5, n: perBuilding[0] },
			{ buildingId: 11, value: 5, n: perBuilding[1] - 1 },
			{ buildingId: 11, value: 2, n: 1 },
		],
	});
	it('a survey with 4 responses shows nothing but participation', () => {
		const view = buildResults(input(4, [2, 2]));
		expect(view.suppressed).toBe(true);
		expect(view.overall).toBeNull();
		expect(view.questions.every((q) => q.suppressed && q.stats === null)).toBe(true);
		expect(view.buildings.every((b) => b.suppressed && b.overall === null)).toBe(true);
		expect(view.respondedHouseholds).toBe(4);
	});
	it('a building with 4 responses is suppressed while one with 5 is shown', () => {
		const view = buildResults(input(9, [5, 4]));
		expect(view.suppressed).toBe(false);
		expect(view.overall?.satisfied).toEqual({ num: 8, den: 9 });
		expect(view.buildings[0]).toMatchObject({ suppressed: false, responded: 5 });
		expect(view.buildings[0]!.overall?.satisfied).toEqual({ num: 5, den: 5 });
		expect(view.buildings[1]).toMatchObject({ suppressed: true, overall: null });
		const multiple = view.questions[1]!;
		expect(multiple.stats).toEqual({ kind: 'multiple', answered: 9, counts: [9, 2] });
		expect(MIN_GROUP).toBe(5);
	});
});

describe('checkAnswers', () => {
	const questions = [
		question({ id: 1, kind: 'rating' }),
		question({
			id: 2,
			kind: 'single',
			options: [
				{ label: 'x', labelEn: '' },
				{ label: 'y', labelEn: '' },
			],
		}),
		question({
			id: 3,
			kind: 'multiple',
			required: false,
			minChoices: 2,
			maxChoices: 3,
			options: ['a', 'b', 'c', 'd'].map((label) => ({ label, labelEn: '' })),
		}),
		question({ id: 4, kind: 'text', required: false, maxLength: 5 }),
	];
	const cases: [string, Record<string, string>, Record<number, string>][] = [
		['all good', { '1': '5', '2': '1', '3.0': 'on', '3.2': 'on', '4': '好' }, {}],
		['required missing', { '2': '0' }, { 1: 'surveys.answerRequired' }],
		['rating out of range', { '1': '6', '2': '0' }, { 1: 'surveys.answerInvalid' }],
		['rating not a number', { '1': '4.5', '2': '0' }, { 1: 'surveys.answerInvalid' }],
		['unknown option', { '1': '3', '2': '2' }, { 2: 'surveys.answerInvalid' }],
		['too few', { '1': '3', '2': '0', '3.1': 'on' }, { 3: 'surveys.tooFewChoices' }],
		[
			'too many',
			{ '1': '3', '2': '0', '3.0': 'on', '3.1': 'on', '3.2': 'on', '3.3': 'on' },
			{ 3: 'surveys.tooManyChoices' },
		],
		[
			'option index out of range',
			{ '1': '3', '2': '0', '3.0': 'on', '3.9': 'on' },
			{ 3: 'surveys.answerInvalid' },
		],
		['text too long', { '1': '3', '2': '0', '4': '六个字的话呀' }, { 4: 'surveys.textTooLong' }],
		['unknown question', { '1': '3', '2': '0', '99': '1' }, { 0: 'surveys.unknownQuestion' }],
	];
	for (const [name, raw, expected] of cases) {
		it(name, () => {
			const { errors } = checkAnswers(questions, raw);
			expect(Object.fromEntries(errors)).toEqual(expected);
		});
	}
	it('normalises and round-trips through answersToRaw', () => {
		const { answers } = checkAnswers(questions, {
			'1': ' 4 ',
			'2': '1',
			'3.2': 'on',
			'3.0': 'on',
			'4': ' ok ',
		});
		expect([...answers]).toEqual([
			[1, { kind: 'rating', value: 4 }],
			[2, { kind: 'single', value: 1 }],
			[3, { kind: 'multiple', values: [0, 2] }],
			[4, { kind: 'text', text: 'ok' }],
		]);
		expect(checkAnswers(questions, answersToRaw(answers)).answers).toEqual(answers);
	});
});

describe('dashboard sorting', () => {
	const row = (
		projectId: number,
		num: number,
		den: number,
		households: number,
		investment: string,
	): DashboardRow => ({
		projectId,
		slug: `p${projectId}`,
		name: '',
		nameEn: '',
		year: 2024 + projectId,
		subdistrict: '',
		subdistrictEn: '',
		surveyId: projectId,
		version: 1,
		households,
		respondedHouseholds: 0,
		satisfaction: { num, den },
		participation: { num: 0, den: households },
		investment,
	});
	const rows = [
		row(1, 2, 3, 100, '900.50'),
		row(2, 667, 1000, 50, '1000.00'),
		row(3, 0, 0, 70, '99.99'),
	];
	it('satisfaction: exact comparison (667/1000 > 2/3), empty last', () => {
		expect(sortDashboard(rows, 'satisfaction').map((r) => r.projectId)).toEqual([2, 1, 3]);
		expect(compareRatio({ num: 2, den: 3 }, { num: 4, den: 6 })).toBe(0);
	});
	it('investment compared as exact yuan, households numerically', () => {
		expect(sortDashboard(rows, 'investment').map((r) => r.projectId)).toEqual([2, 1, 3]);
		expect(sortDashboard(rows, 'households', true).map((r) => r.projectId)).toEqual([2, 3, 1]);
	});
});
