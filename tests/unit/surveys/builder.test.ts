import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerText } from '../../../src/lib/server/surveys/named.ts';
import {
	displayOrder,
	groupOf,
	orderAfterQuestionMove,
	orderAfterSectionMove,
} from '../../../src/lib/server/surveys/order.ts';
import { responseCounters } from '../../../src/lib/server/surveys/tallies.ts';
import type { Locale } from '../../../src/i18n/index.ts';
import type { AnswerValue, QuestionView } from '../../../src/lib/server/surveys/types.ts';

const sections = [
	{ id: 20, sort: 2 },
	{ id: 10, sort: 1 },
];
type Q = { id: number; sort: number; sectionId: number | null };
const q = (id: number, sort: number, sectionId: number | null): Q => ({ id, sort, sectionId });

describe('displayOrder: by section order, unsectioned last, each group by sort', () => {
	it.each([
		[
			'sections reorder questions',
			[q(1, 1, 20), q(2, 2, 10), q(3, 3, null), q(4, 4, 10)],
			[2, 4, 1, 3],
		],
		['a missing section counts as none', [q(1, 1, 99), q(2, 2, 20)], [2, 1]],
		['equal sorts fall back to ids', [q(5, 1, 10), q(4, 1, 10)], [4, 5]],
		['no sections at all', [q(2, 2, null), q(1, 1, null)], [1, 2]],
	])('%s', (_, questions, expected) => {
		expect(displayOrder(sections, questions).map((x) => x.id)).toEqual(expected);
	});

	it('keeps every question exactly once, grouped contiguously (property)', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						id: fc.integer({ min: 1, max: 10_000 }),
						sort: fc.integer({ min: 0, max: 30 }),
						sectionId: fc.constantFrom(null, 10, 20, 30),
					}),
					{ maxLength: 30 },
				),
				(raw) => {
					const questions = [...new Map(raw.map((x) => [x.id, x])).values()];
					const order = displayOrder(sections, questions);
					expect(order.map((x) => x.id).sort()).toEqual(questions.map((x) => x.id).sort());
					const groups = order.map((x) => groupOf(sections, x));
					const seen: (number | null)[] = [];
					for (const g of groups) if (seen.at(-1) !== g) seen.push(g);
					expect(new Set(seen).size).toBe(seen.length);
					expect(seen.filter((g) => g !== null)).toEqual(
						[10, 20].filter((s) => groups.includes(s)),
					);
				},
			),
		);
	});
});

describe('orderAfterQuestionMove: within its section only', () => {
	const questions = [q(1, 1, 10), q(2, 2, 10), q(3, 3, 20), q(4, 4, null)];
	it.each([
		[2, 'up', [2, 1, 3, 4]],
		[1, 'down', [2, 1, 3, 4]],
		[1, 'up', null],
		[2, 'down', null],
		[3, 'up', null],
		[4, 'up', null],
		[99, 'up', null],
	] as const)('question %i %s → %j', (id, direction, expected) => {
		const order = orderAfterQuestionMove(sections, questions, id, direction);
		expect(order?.map((x) => x.id) ?? null).toEqual(expected);
	});
});

describe('orderAfterSectionMove', () => {
	it.each([
		[20, 'up', [20, 10]],
		[10, 'down', [20, 10]],
		[10, 'up', null],
		[20, 'down', null],
		[99, 'up', null],
	] as const)('section %i %s → %j', (id, direction, expected) => {
		expect(orderAfterSectionMove(sections, id, direction)?.map((s) => s.id) ?? null).toEqual(
			expected,
		);
	});
});

describe('responseCounters: what one response adds to the running totals', () => {
	it('counts the response, each answered question once, each value; the overall per building', () => {
		const counters = responseCounters(
			{
				householdId: 7,
				buildingId: 3,
				answers: [
					{ questionId: 1, value: 4, text: null },
					{ questionId: 2, value: 0, text: null },
					{ questionId: 2, value: 2, text: null },
					{ questionId: 5, value: 0, text: '很好' },
				],
			},
			1,
		);
		expect(Object.fromEntries(counters)).toEqual({
			'0|responses|0|0': 1,
			'3|responses|0|0': 1,
			'0|answered|1|0': 1,
			'3|answered|1|0': 1,
			'0|value|1|4': 1,
			'3|value|1|4': 1,
			'0|answered|2|0': 1,
			'0|value|2|0': 1,
			'0|value|2|2': 1,
			'0|answered|5|0': 1,
		});
	});
});

describe('answerText (named answers page and CSV)', () => {
	const base: QuestionView = {
		id: 1,
		sectionId: null,
		kind: 'multiple',
		prompt: '',
		promptEn: '',
		required: false,
		sort: 1,
		options: [
			{ label: '楼道', labelEn: 'Stairs' },
			{ label: '管网', labelEn: '' },
		],
		minChoices: null,
		maxChoices: null,
		maxLength: null,
		role: null,
		planItemId: null,
	};
	const cases: [Locale, AnswerValue | undefined, string][] = [
		['zh-CN', { kind: 'rating', value: 4 }, '4 · 满意'],
		['en', { kind: 'rating', value: 1 }, '1 · Very dissatisfied'],
		['zh-CN', { kind: 'multiple', values: [0, 1] }, '楼道、管网'],
		['en', { kind: 'multiple', values: [0, 1] }, 'Stairs, 管网'],
		['en', { kind: 'single', value: 0 }, 'Stairs'],
		['zh-CN', { kind: 'text', text: '<b>好</b>' }, '<b>好</b>'],
		['zh-CN', undefined, '未答'],
	];
	it.each(cases)('%s %j → %s', (locale, answer, expected) => {
		expect(answerText(base, answer, locale)).toBe(expected);
	});
});
