import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	castBallotInput,
	createRoundInput,
	paperBallotInput,
} from '../../../src/lib/server/ballots/schemas.ts';
import { resultsRows } from '../../../src/lib/server/ballots/export.ts';
import { csvCell, toCsv } from '../../../src/lib/server/shared/csv.ts';
import { coverageMet, roundPhase } from '../../../src/lib/server/ballots/phase.ts';
import { parseChinaTime, toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { resultsAccess } from '../../../src/lib/server/ballots/queries/rounds.ts';
import { canonicalJson } from '../../../src/lib/server/ballots/recount.ts';
import { buildResultsView, comparableResults } from '../../../src/lib/server/ballots/results.ts';
import {
	decide,
	decideTally,
	tallyBallots,
	verdictOfTally,
	type CastBallot,
	type Choice,
	type DecisionRule,
} from '../../../src/lib/server/ballots/rules.ts';
import { recountTallies, type ScopeHousehold } from '../../../src/lib/server/ballots/tally.ts';
import type { RoundInfo } from '../../../src/lib/server/ballots/types.ts';

const rules: DecisionRule[] = [
	{ kind: 'simple_majority' },
	{ kind: 'civil_code', approval: 'majority' },
	{ kind: 'civil_code', approval: 'three_quarters' },
];

describe('verdictOfTally', () => {
	it('always equals decideTally(...).verdict and decide(...).verdict', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...rules),
				fc.array(
					fc.record({
						area: fc.oneof(fc.constant(6000), fc.integer({ min: 1, max: 30_000 })),
						owner: fc.integer({ min: 1, max: 5 }),
						choice: fc.constantFrom<Choice | null>('agree', 'disagree', 'abstain', null),
					}),
					{ maxLength: 14 },
				),
				(rule, drawn) => {
					const scope = drawn.map((d, i) => ({
						householdId: i + 1,
						areaCenti: BigInt(d.area),
						ownerKey: `o${d.owner}`,
					}));
					const ballots: CastBallot[] = drawn.flatMap((d, i) =>
						d.choice ? [{ householdId: i + 1, choice: d.choice }] : [],
					);
					const tally = tallyBallots(scope, ballots);
					expect(verdictOfTally(rule, tally)).toBe(decideTally(rule, tally).verdict);
					expect(verdictOfTally(rule, tally)).toBe(decide(rule, scope, ballots).verdict);
				},
			),
			{ numRuns: 1000 },
		);
	});
});

describe('round phase and coverage target', () => {
	const opensAt = new Date('2026-05-01T01:00:00Z');
	const closesAt = new Date('2026-05-10T10:00:00Z');
	it.each([
		{ openedAt: null, now: '2026-05-05T00:00:00Z', phase: 'draft' },
		{ openedAt: opensAt, now: '2026-05-01T00:59:59.999Z', phase: 'scheduled' },
		{ openedAt: opensAt, now: '2026-05-01T01:00:00Z', phase: 'open' },
		{ openedAt: opensAt, now: '2026-05-10T09:59:59.999Z', phase: 'open' },
		{ openedAt: opensAt, now: '2026-05-10T10:00:00Z', phase: 'closed' },
	] as const)('$now → $phase', ({ openedAt, now, phase }) => {
		expect(roundPhase({ openedAt, opensAt, closesAt }, new Date(now))).toBe(phase);
	});

	it.each([
		{ responded: 2, households: 3, met: true },
		{ responded: 1999, households: 3000, met: false },
		{ responded: 2000, households: 3000, met: true },
		{ responded: 0, households: 0, met: false },
		{ responded: 66, households: 100, met: false },
		{ responded: 67, households: 100, met: true },
	])('$responded of $households meets 2/3: $met', ({ responded, households, met }) => {
		expect(coverageMet(responded, households, { num: 2, den: 3 })).toBe(met);
	});

	it('reads datetime-local values as Beijing time and writes them back', () => {
		expect(parseChinaTime('2026-05-01T09:00').toISOString()).toBe('2026-05-01T01:00:00.000Z');
		expect(toChinaLocalInput(new Date('2026-05-01T01:00:00Z'))).toBe('2026-05-01T09:00');
		expect(() => parseChinaTime('2026-05-01 09:00')).toThrow(RangeError);
		expect(() => parseChinaTime('2026-13-01T09:00')).toThrow(RangeError);
	});
});

describe('who sees results', () => {
	it.each([
		{ committee: true, published: false, talliesPublic: false, phase: 'open', access: 'live' },
		{
			committee: false,
			published: true,
			talliesPublic: false,
			phase: 'closed',
			access: 'published',
		},
		{ committee: false, published: false, talliesPublic: true, phase: 'open', access: 'live' },
		{ committee: false, published: false, talliesPublic: true, phase: 'scheduled', access: 'none' },
		{ committee: false, published: false, talliesPublic: false, phase: 'closed', access: 'none' },
	] as const)('$access', ({ access, ...input }) => {
		expect(resultsAccess(input)).toBe(access);
	});
});

describe('form inputs as Astro hands them over', () => {
	it('reads empty optional fields (null or "") as absent and texts as empty', () => {
		const parsed = createRoundInput.parse({
			projectId: '3',
			kind: 'needs',
			title: '需求调查',
			titleEn: null,
			description: null,
			descriptionEn: null,
			planVersionId: null,
			scopeBuildingId: '',
			itemIds: [1, 2],
			questions: null,
			rule: 'simple_majority',
			decisionScope: 'building',
			opensAt: '2026-05-01T09:00',
			closesAt: '2026-05-10T18:00',
			talliesPublic: false,
			targetPercent: null,
		});
		expect(parsed).toMatchObject({
			titleEn: '',
			planVersionId: undefined,
			targetPercent: undefined,
		});
		expect(
			castBallotInput.parse({
				roundId: '1',
				householdId: '2',
				choices: { '5': 'agree' },
				overall: null,
				comment: null,
			}),
		).toEqual({
			roundId: 1,
			householdId: 2,
			choices: { '5': 'agree' },
			options: {},
			overall: undefined,
			comment: '',
		});
	});

	it.each([
		{ input: { choices: { '5': 'maybe' } }, path: 'choices' },
		{ input: { choices: { abc: 'agree' } }, path: 'choices' },
		{ input: { options: { '3': 'maybe' } }, path: 'options' },
		{ input: { options: { x: '12' } }, path: 'options' },
		{ input: { comment: 'x'.repeat(2001) }, path: 'comment' },
	])('refuses $path', ({ input, path }) => {
		const result = castBallotInput.safeParse({ roundId: 1, householdId: 2, ...input });
		expect(result.success).toBe(false);
		expect(result.error!.issues[0]!.path[0]).toBe(path);
		expect(result.error!.issues[0]!.message).toMatch(/^ballots\./);
	});

	it('requires a plan version for opinion rounds, a photo and a time for paper ballots', () => {
		const round = createRoundInput.safeParse({
			projectId: 1,
			kind: 'plan_opinion',
			title: '方案意见',
			rule: 'simple_majority',
			decisionScope: 'compound',
			opensAt: '2026-05-01T09:00',
			closesAt: '2026-05-10T18:00',
		});
		expect(round.error!.issues[0]!.message).toBe('ballots.planVersionRequired');
		const paper = paperBallotInput.safeParse({ roundId: 1, householdId: 2, filledAt: 'yesterday' });
		expect(paper.error!.issues.map((i) => i.message).sort()).toEqual([
			'ballots.photoRequired',
			'ballots.timeInvalid',
		]);
	});
});

describe('exports', () => {
	it.each([
		{ value: 'plain', cell: 'plain' },
		{ value: '红岩新村, 3号楼', cell: '"红岩新村, 3号楼"' },
		{ value: 'say "hi"', cell: '"say ""hi"""' },
		{ value: '=HYPERLINK("x")', cell: `"'=HYPERLINK(""x"")"` },
		{ value: '+1', cell: "'+1" },
		{ value: '-12.50', cell: '-12.50' },
		{ value: '@cmd', cell: "'@cmd" },
		{ value: 42, cell: '42' },
	])('CSV cell $value', ({ value, cell }) => {
		expect(csvCell(value)).toBe(cell);
	});

	it('writes a BOM, CRLF lines and Chinese headers; the numbers match the tallies', () => {
		const households: ScopeHousehold[] = [1, 2, 3].map((id) => ({
			householdId: id,
			compoundId: 1,
			buildingId: 10 + (id % 2),
			unitId: 100 + id,
			areaCenti: 5050 * id,
			ownerKey: `owner-${id}`,
		}));
		const round: RoundInfo = {
			id: 9,
			projectId: 1,
			projectSlug: 'x',
			projectName: '项目',
			projectNameEn: 'Project',
			communityId: 1,
			kind: 'needs',
			planVersionId: null,
			title: '需求',
			titleEn: 'Needs',
			description: '',
			descriptionEn: '',
			scopeBuildingId: null,
			consent: false,
			talliesPublic: false,
			doubleEntry: false,
			target: { num: 2, den: 3 },
			opensAt: new Date('2026-05-01T01:00:00Z'),
			closesAt: new Date('2026-05-10T10:00:00Z'),
			openedAt: new Date('2026-05-01T00:00:00Z'),
			earlyCloseReason: '',
			items: [
				{
					id: 7,
					itemId: 1,
					planItemId: null,
					buildingId: null,
					title: '加装电梯',
					titleEn: 'Elevator',
					rule: 'civil_code_three_quarters',
					decisionScope: 'compound',
					specialMatter: true,
					questionId: null,
				},
			],
			questions: [],
		};
		const ballots = new Map([
			[1, { '7': 'agree' as const }],
			[2, { '7': 'agree' as const }],
		]);
		const names = new Map([
			['compound:1', { name: '红岩新村', nameEn: 'Hongyan', compoundId: 1 }],
			['building:10', { name: '红岩新村 10号楼', nameEn: 'Hongyan, Bldg 10', compoundId: 1 }],
			['building:11', { name: '红岩新村 11号楼', nameEn: 'Hongyan, Bldg 11', compoundId: 1 }],
		]);
		const view = buildResultsView(
			round,
			[...recountTallies(round.items, households, ballots).values()],
			[{ level: 'compound', scopeId: 1, households: 3, responded: 2 }],
			names,
			new Date('2026-05-11T00:00:00Z'),
		);
		// 2 of 3 flats by count and 151.50 of 303.00 m² by area: participation fails (area < 2/3).
		expect(view.items[0]!.decisions[0]!.verdict).toBe('not_quorate');
		expect(view.coverage).toMatchObject({ households: 3, responded: 2, met: true });
		const csv = toCsv(resultsRows(view, 'zh-CN'));
		expect(csv.startsWith('\uFEFF序号,事项,表决规则')).toBe(true);
		expect(csv).toContain('\r\n1,加装电梯,');
		expect(csv).toContain('151.50');
		expect(csv).toContain('参与不足，结果不成立');
		expect(toCsv(resultsRows(view, 'en'))).toContain('Too few took part');
		// Comparable results ignore names and times, not numbers.
		const renamed = {
			...view,
			asOf: 'later',
			items: view.items.map((i) => ({
				...i,
				decisions: i.decisions.map((d) => ({ ...d, name: '新名' })),
			})),
		};
		expect(canonicalJson(comparableResults(renamed))).toBe(canonicalJson(comparableResults(view)));
	});

	it('canonical JSON sorts keys at every depth', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }], e: undefined })).toBe(
			'{"a":[{"c":null,"d":2}],"b":1}',
		);
	});
});
