import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ballotChoices,
	optionAnswers,
	sameChoices,
} from '../../../src/lib/server/ballots/choices.ts';
import { resultsRows } from '../../../src/lib/server/ballots/export.ts';
import { buildResultsView, comparableResults } from '../../../src/lib/server/ballots/results.ts';
import {
	decide,
	decideChoice,
	tallyBallots,
	type ChoiceRule,
	type ScopeUnit,
	type Tally,
} from '../../../src/lib/server/ballots/rules.ts';
import {
	choiceRule,
	recountTallies,
	type ScopeHousehold,
} from '../../../src/lib/server/ballots/tally.ts';
import type { RoundInfo, RoundItem } from '../../../src/lib/server/ballots/types.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';

/** One option's tally from the households' answers: option index, -1 abstain, null no ballot. */
function optionTally(
	units: readonly { area: number; owner: string; answer: number | null }[],
	option: number,
): Tally {
	const scope: ScopeUnit[] = units.map((u, i) => ({
		householdId: i + 1,
		areaCenti: BigInt(u.area),
		ownerKey: u.owner,
	}));
	const ballots = units.flatMap((u, i) =>
		u.answer === null
			? []
			: [
					{
						householdId: i + 1,
						choice:
							u.answer === -1
								? ('abstain' as const)
								: u.answer === option
									? ('agree' as const)
									: ('disagree' as const),
					},
				],
	);
	return tallyBallots(scope, ballots);
}

const plurality: ChoiceRule = { kind: 'plurality' };
const civilMajority: ChoiceRule = { kind: 'civil_code', approval: 'majority' };

describe('single-choice questions (decideChoice)', () => {
	const simple = (answers: (number | null)[], n = 3) => {
		const units = answers.map((answer, i) => ({ area: 10_000, owner: `o${i}`, answer }));
		return Array.from({ length: n }, (_, option) => optionTally(units, option));
	};

	it.each([
		{
			name: 'the most chosen option wins',
			answers: [0, 0, 1, 2, 0],
			outcome: 'chosen',
			winner: 0,
			lead: 2n,
		},
		{
			name: 'a plurality without a majority still wins',
			answers: [0, 0, 1, 1, 2, 0, -1, -1],
			outcome: 'chosen',
			winner: 0,
			lead: 1n,
		},
		{
			name: 'a tie for the most decides nothing',
			answers: [0, 1, 0, 1, 2],
			outcome: 'tie',
			winner: null,
			lead: 0n,
		},
		{
			name: 'everyone abstaining chooses nothing',
			answers: [-1, -1, null],
			outcome: 'none',
			winner: null,
			lead: null,
		},
		{
			name: 'nobody responding is not quorate',
			answers: [null, null],
			outcome: 'not_quorate',
			winner: null,
			lead: null,
		},
		{
			name: 'fewer than two thirds answering decides nothing',
			answers: [0, 0, null, null, null],
			outcome: 'not_quorate',
			winner: null,
			lead: null,
		},
		{
			name: 'abstentions do not count for any option',
			answers: [2, -1, -1, -1],
			outcome: 'chosen',
			winner: 2,
			lead: 1n,
		},
	])('plurality: $name', ({ answers, outcome, winner, lead }) => {
		const decision = decideChoice(plurality, simple(answers));
		expect(decision).toMatchObject({ outcome, winner, lead });
		expect(decision.options.filter((o) => o.verdict === 'approved')).toHaveLength(
			outcome === 'chosen' ? 1 : 0,
		);
		if (outcome === 'not_quorate') {
			expect(decision.options.every((o) => o.verdict === 'not_quorate')).toBe(true);
		}
	});

	it('Civil Code: an option passes only with the double thresholds, exactly at the boundaries', () => {
		// 6 flats of equal area, 6 owners: 4 take part (exactly 2/3); 3 of 4 choose option 0
		// (3/4 > 1/2 of area and heads): chosen.
		const chosen = decideChoice(civilMajority, simple([0, 0, 0, 1, null, null]));
		expect(chosen).toMatchObject({ outcome: 'chosen', winner: 0, lead: null });
		expect(chosen.options[0]!.checks.map((c) => c.passed)).toEqual([true, true, true, true]);
		// Exactly half for option 0 is not "过半数": no option passes.
		const half = decideChoice(civilMajority, simple([0, 0, 1, 2, null, null]));
		expect(half.outcome).toBe('none');
		expect(half.options[0]!.checks.find((c) => c.name === 'approval_heads')!.margin).toBe('-1');
		// 3 of 6 take part: below 2/3, whatever they chose.
		expect(decideChoice(civilMajority, simple([0, 0, 0, null, null, null])).outcome).toBe(
			'not_quorate',
		);
		// ≥ 3/4 (matters 6–8): 3 of 4 is exactly 3/4 and passes ("以上" includes the boundary).
		expect(
			decideChoice(
				{ kind: 'civil_code', approval: 'three_quarters' },
				simple([0, 0, 0, 1, null, null]),
			).outcome,
		).toBe('chosen');
	});

	it('refuses no options and options with different respondents', () => {
		expect(() => decideChoice(plurality, [])).toThrow(RangeError);
		const [a] = simple([0, 1]);
		const b = { ...simple([0, 1])[1]!, responding: 5n };
		expect(() => decideChoice(plurality, [a!, b])).toThrow(RangeError);
	});

	const drawn = fc.array(
		fc.record({
			area: fc.oneof(fc.constant(6000), fc.integer({ min: 1, max: 40_000 })),
			owner: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
			answer: fc.constantFrom<number | null>(0, 1, 2, -1, null),
		}),
		{ maxLength: 14 },
	);

	it('plurality agrees with a plain count of the answers (property)', () => {
		fc.assert(
			fc.property(drawn, (units) => {
				const decision = decideChoice(
					plurality,
					[0, 1, 2].map((o) => optionTally(units, o)),
				);
				const counts = [0, 1, 2].map((o) => units.filter((u) => u.answer === o).length);
				const responded = units.filter((u) => u.answer !== null).length;
				const top = Math.max(...counts);
				const leaders = counts.filter((c) => c === top).length;
				const quorate = 3 * responded >= 2 * units.length && responded > 0;
				const expected = !quorate
					? 'not_quorate'
					: top === 0
						? 'none'
						: leaders > 1
							? 'tie'
							: 'chosen';
				expect(decision.outcome).toBe(expected);
				if (expected === 'chosen') {
					expect(decision.winner).toBe(counts.indexOf(top));
					const next = Math.max(0, ...counts.filter((c) => c !== top));
					expect(decision.lead).toBe(BigInt(top - next));
				}
			}),
			{ numRuns: 500 },
		);
	});

	it('Civil Code: each option decided as its own yes/no matter, at most one passes (property)', () => {
		const rules: ChoiceRule[] = [civilMajority, { kind: 'civil_code', approval: 'three_quarters' }];
		fc.assert(
			fc.property(drawn, fc.constantFrom(...rules), (units, rule) => {
				const tallies = [0, 1, 2].map((o) => optionTally(units, o));
				const decision = decideChoice(rule, tallies);
				const approved = decision.options.filter((o) => o.verdict === 'approved').length;
				expect(approved).toBeLessThanOrEqual(1);
				tallies.forEach((_t, o) => {
					const scope = units.map((u, i) => ({
						householdId: i + 1,
						areaCenti: BigInt(u.area),
						ownerKey: u.owner,
					}));
					const ballots = units.flatMap((u, i) =>
						u.answer === null
							? []
							: [
									{
										householdId: i + 1,
										choice:
											u.answer === -1
												? ('abstain' as const)
												: u.answer === o
													? ('agree' as const)
													: ('disagree' as const),
									},
								],
					);
					expect(decision.options[o]!.verdict).toBe(decide(rule as never, scope, ballots).verdict);
				});
				if (decision.outcome === 'chosen') expect(approved).toBe(1);
			}),
			{ numRuns: 500 },
		);
	});

	it('maps stored rule kinds', () => {
		expect(choiceRule('plurality')).toEqual({ kind: 'plurality' });
		expect(choiceRule('civil_code_three_quarters')).toEqual({
			kind: 'civil_code',
			approval: 'three_quarters',
		});
	});
});

const item = (id: number, extra: Partial<RoundItem> = {}): RoundItem => ({
	id,
	itemId: null,
	planItemId: null,
	buildingId: null,
	title: `事项${id}`,
	titleEn: `Item ${id}`,
	rule: 'simple_majority',
	decisionScope: 'compound',
	specialMatter: false,
	questionId: null,
	...extra,
});

const round: RoundInfo = {
	id: 3,
	projectId: 1,
	projectSlug: 'x',
	projectName: '项目',
	projectNameEn: 'Project',
	communityId: 1,
	kind: 'special',
	planVersionId: null,
	title: '物业管理模式选择',
	titleEn: 'Property management',
	description: '',
	descriptionEn: '',
	scopeBuildingId: null,
	consent: true,
	talliesPublic: false,
	doubleEntry: false,
	target: { num: 2, den: 3 },
	opensAt: new Date('2026-05-01T01:00:00Z'),
	closesAt: new Date('2026-05-10T10:00:00Z'),
	openedAt: new Date('2026-05-01T00:00:00Z'),
	earlyCloseReason: '',
	items: [
		item(10),
		item(21, { questionId: 2, title: '物业服务企业', titleEn: 'Company' }),
		item(22, { questionId: 2, title: '居民自治', titleEn: 'Self-management' }),
		item(23, { questionId: 2, title: '社区托管', titleEn: 'Community' }),
	],
	questions: [
		{
			id: 2,
			title: '物业管理模式',
			titleEn: 'Management model',
			rule: 'plurality',
			decisionScope: 'compound',
			buildingId: null,
			optionIds: [21, 22, 23],
		},
	],
};

const household: ScopeHousehold = {
	householdId: 1,
	compoundId: 1,
	buildingId: 5,
	unitId: 50,
	areaCenti: 8000,
	ownerKey: 'o1',
};

describe('ballot choices with a single-choice question', () => {
	const invalid = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			expect(error).toBeInstanceOf(DomainError);
			return (error as DomainError).messageKey;
		}
		throw new Error('expected a refusal');
	};

	it('stores the chosen option as agree, the others as disagree, none as abstain', () => {
		expect(
			ballotChoices(round, household, { choices: { '10': 'agree' }, options: { '2': '22' } }),
		).toEqual({ '10': 'agree', '21': 'disagree', '22': 'agree', '23': 'disagree' });
		const none = ballotChoices(round, household, {
			choices: { '10': 'disagree' },
			options: { '2': 'abstain' },
		});
		expect(none).toEqual({ '10': 'disagree', '21': 'abstain', '22': 'abstain', '23': 'abstain' });
		expect(optionAnswers(round, none)).toEqual({ '2': 'abstain' });
		expect(
			optionAnswers(round, { '10': 'agree', '21': 'disagree', '22': 'disagree', '23': 'agree' }),
		).toEqual({ '2': '23' });
	});

	it.each([
		{
			name: 'no answer to the question',
			given: { choices: { '10': 'agree' } },
			key: 'ballots.choiceMissing',
		},
		{
			name: 'an option of another question',
			given: { choices: { '10': 'agree' }, options: { '2': '10' } },
			key: 'ballots.choiceInvalid',
		},
		{
			name: 'an unknown question',
			given: { choices: { '10': 'agree' }, options: { '2': '21', '9': '21' } },
			key: 'ballots.choiceInvalid',
		},
		{
			name: 'an option answered as a yes/no item',
			given: { choices: { '10': 'agree', '21': 'agree' }, options: { '2': '21' } },
			key: 'ballots.choiceInvalid',
		},
		{
			name: 'a yes/no item left out',
			given: { choices: {}, options: { '2': '21' } },
			key: 'ballots.choiceMissing',
		},
	] as const)('refuses $name', ({ given, key }) => {
		expect(invalid(() => ballotChoices(round, household, given as never))).toBe(key);
	});

	it('compares two entries of a form exactly', () => {
		expect(sameChoices({ a: 'agree', b: 'abstain' }, { b: 'abstain', a: 'agree' })).toBe(true);
		expect(sameChoices({ a: 'agree' }, { a: 'agree', b: 'abstain' })).toBe(false);
		expect(sameChoices({ a: 'agree' }, { a: 'disagree' })).toBe(false);
	});
});

describe('results of a single-choice question', () => {
	const households: ScopeHousehold[] = [1, 2, 3, 4, 5].map((id) => ({
		householdId: id,
		compoundId: 1,
		buildingId: id <= 3 ? 5 : 6,
		unitId: 50 + id,
		areaCenti: 7000 + id,
		ownerKey: `o${id}`,
	}));
	const answer = (option: string) =>
		ballotChoices(round, households[0]!, { choices: { '10': 'agree' }, options: { '2': option } });
	const ballots = new Map([
		[1, answer('22')],
		[2, answer('22')],
		[3, answer('21')],
		[4, answer('abstain')],
	]);
	const names = new Map([
		['compound:1', { name: '红岩新村', nameEn: 'Hongyan', compoundId: 1 }],
		['building:5', { name: '红岩新村 5号楼', nameEn: 'Hongyan, Bldg 5', compoundId: 1 }],
		['building:6', { name: '红岩新村 6号楼', nameEn: 'Hongyan, Bldg 6', compoundId: 1 }],
	]);
	const view = buildResultsView(
		round,
		[...recountTallies(round.items, households, ballots).values()],
		[{ level: 'compound', scopeId: 1, households: 5, responded: 4 }],
		names,
		new Date('2026-05-11T00:00:00Z'),
	);

	it('keeps options out of the yes/no items and decides the question per scope', () => {
		expect(view.items.map((i) => i.id)).toEqual([10]);
		const question = view.questions![0]!;
		expect(question.options.map((o) => o.id)).toEqual([21, 22, 23]);
		const [compound] = question.decisions;
		expect(compound).toMatchObject({
			name: '红岩新村',
			households: 5,
			responded: 4,
			abstain: 1,
			outcome: 'chosen',
			winner: 22,
			lead: 1,
		});
		expect(compound!.options.map((o) => [o.count, o.verdict])).toEqual([
			[1, 'rejected'],
			[2, 'approved'],
			[0, 'rejected'],
		]);
		expect(compound!.options[1]!.areaCenti).toBe(7001 + 7002);
		// Building 6: one abstention of its two households, under two thirds: no valid result.
		const six = question.buildings.find((b) => b.scopeId === 6)!;
		expect(six).toMatchObject({
			households: 2,
			responded: 1,
			outcome: 'not_quorate',
			winner: null,
		});
		expect(JSON.parse(JSON.stringify(comparableResults(view)))).toHaveProperty('questions');
	});

	it('exports one row per option and scope in the results columns', () => {
		const rows = resultsRows(view, 'zh-CN');
		const options = rows.filter((r) => String(r[1]).startsWith('物业管理模式：'));
		expect(options.map((r) => r[1]).slice(0, 3)).toEqual([
			'物业管理模式：物业服务企业',
			'物业管理模式：居民自治',
			'物业管理模式：社区托管',
		]);
		const chosen = options[1]!;
		expect(chosen[0]).toBe(2);
		expect(chosen[10]).toBe(2); // chose it
		expect(chosen[11]).toBe(1); // chose another
		expect(chosen[12]).toBe(1); // abstained
		expect(chosen.at(-1)).toBe('通过');
		expect(resultsRows(view, 'en').some((r) => r[1] === 'Management model: Self-management')).toBe(
			true,
		);
	});
});
