import { describe, expect, it } from 'vitest';
import {
	compareFraction,
	decide,
	formatCenti,
	meetsThreshold,
	MORE_THAN_HALF,
	namesSpecialMatter,
	parseCenti,
	requiredNumerator,
	ruleFor,
	THREE_QUARTERS,
	TWO_THIRDS,
	type CastBallot,
	type Choice,
	type DecisionRule,
	type ScopeUnit,
	type Verdict,
} from '../../../src/lib/server/ballots/rules.ts';
import { decisionRule } from '../../../src/lib/server/ballots/tally.ts';
import { noticeLasted } from '../../../src/lib/server/plans/gates.ts';

const quarters: DecisionRule = { kind: 'civil_code', approval: 'three_quarters' };
const majority: DecisionRule = { kind: 'civil_code', approval: 'majority' };
const simple: DecisionRule = { kind: 'simple_majority' };

/** Units 1…n, 100.00 m² each unless `areas` says otherwise, each with its own owner unless `owners` does. */
function scopeOf(n: number, areas: bigint[] = [], owners: string[] = []): ScopeUnit[] {
	return Array.from({ length: n }, (_, i) => ({
		householdId: i + 1,
		areaCenti: areas[i] ?? 10_000n,
		ownerKey: owners[i] ?? `owner-${i + 1}`,
	}));
}

/** 'a' agree, 'd' disagree, 's' abstain, '.' no ballot — one letter per unit, in order. */
function ballotsOf(pattern: string): CastBallot[] {
	const letters: Record<string, Choice> = { a: 'agree', d: 'disagree', s: 'abstain' };
	return [...pattern].flatMap((letter, i) =>
		letter === '.' ? [] : [{ householdId: i + 1, choice: letters[letter]! }],
	);
}

const margins = (rule: DecisionRule, scope: ScopeUnit[], pattern: string) =>
	Object.fromEntries(decide(rule, scope, ballotsOf(pattern)).checks.map((c) => [c.name, c.margin]));

describe('compareFraction', () => {
	it.each([
		[2n, 3n, 4n, 6n, 0],
		[2n, 3n, 666_666n, 1_000_000n, 1],
		[2n, 3n, 666_667n, 1_000_000n, -1],
		[0n, 5n, 0n, 1n, 0],
		[10n ** 30n * 2n + 1n, 10n ** 30n * 3n, 2n, 3n, 1],
	] as const)('%d/%d vs %d/%d → %d', (an, ad, bn, bd, expected) => {
		expect(compareFraction({ num: an, den: ad }, { num: bn, den: bd })).toBe(expected);
	});

	it('refuses a zero or negative denominator', () => {
		expect(() => compareFraction({ num: 1n, den: 0n }, { num: 1n, den: 2n })).toThrow(RangeError);
		expect(() => compareFraction({ num: 1n, den: 2n }, { num: 1n, den: -2n })).toThrow(RangeError);
	});
});

describe('meetsThreshold', () => {
	it.each([
		['exactly 2/3 (以上 includes it)', 2n, 3n, TWO_THIRDS, true],
		['200/300', 200n, 300n, TWO_THIRDS, true],
		['just under 2/3', 6666n, 10_000n, TWO_THIRDS, false],
		['just over 2/3', 6667n, 10_000n, TWO_THIRDS, true],
		['exactly 3/4', 3n, 4n, THREE_QUARTERS, true],
		['just under 3/4', 749n, 1000n, THREE_QUARTERS, false],
		['exactly 1/2 (过半数 excludes it)', 2n, 4n, MORE_THAN_HALF, false],
		['just over 1/2', 501n, 1000n, MORE_THAN_HALF, true],
		['all of them', 7n, 7n, THREE_QUARTERS, true],
		['none of them', 0n, 7n, TWO_THIRDS, false],
		['an empty base', 0n, 0n, { num: 0n, den: 1n, inclusive: true }, false],
	] as const)('%s', (_label, num, den, threshold, expected) => {
		expect(meetsThreshold(num, den, threshold)).toBe(expected);
	});

	it('refuses a negative base', () => {
		expect(() => meetsThreshold(1n, -3n, TWO_THIRDS)).toThrow(RangeError);
	});
});

describe('requiredNumerator', () => {
	it.each([
		[3n, TWO_THIRDS, 2n],
		[4n, TWO_THIRDS, 3n],
		[10_001n, TWO_THIRDS, 6668n],
		[4n, THREE_QUARTERS, 3n],
		[5n, THREE_QUARTERS, 4n],
		[4n, MORE_THAN_HALF, 3n],
		[5n, MORE_THAN_HALF, 3n],
		[1n, MORE_THAN_HALF, 1n],
	] as const)('over %d at %o → %d', (den, threshold, expected) => {
		expect(requiredNumerator(den, threshold)).toBe(expected);
	});

	it('refuses an empty base', () => {
		expect(() => requiredNumerator(0n, TWO_THIRDS)).toThrow(RangeError);
	});
});

describe('parseCenti / formatCenti', () => {
	it.each([
		['85.5', 8550n],
		['72.36', 7236n],
		['100', 10_000n],
		['0.01', 1n],
		[' 60.00 ', 6000n],
	] as const)('%s → %d', (text, centi) => {
		expect(parseCenti(text)).toBe(centi);
	});

	it.each(['', '-1.00', '1.234', '1e3', '1,5', '.5', 'abc'])('refuses %j', (text) => {
		expect(() => parseCenti(text)).toThrow(RangeError);
	});

	it.each([
		[1234n, '12.34'],
		[5n, '0.05'],
		[0n, '0.00'],
		[-250n, '-2.50'],
	] as const)('%d → %s', (centi, text) => {
		expect(formatCenti(centi)).toBe(text);
	});
});

describe('decide — civil_code boundaries', () => {
	it.each([
		// label, rule, units, pattern, verdict
		['empty scope', quarters, 0, '', 'not_quorate'],
		['no ballots', quarters, 3, '...', 'not_quorate'],
		['exactly 2/3 participate, all agree', quarters, 3, 'aa.', 'approved'],
		['1/3 participate', quarters, 3, 'a..', 'not_quorate'],
		['exactly 3/4 agree', quarters, 4, 'aaad', 'approved'],
		['1/2 agree under 3/4', quarters, 4, 'aadd', 'rejected'],
		['exactly 1/2 agree fails 过半数', majority, 4, 'aadd', 'rejected'],
		['3/4 agree passes 过半数', majority, 4, 'aaad', 'approved'],
		['all abstain', quarters, 3, 'sss', 'rejected'],
		['abstain participates but does not approve', majority, 3, 'as.', 'rejected'],
		['everybody agrees', quarters, 5, 'aaaaa', 'approved'],
		['4 of 6 participate (2/3), all agree', quarters, 6, 'aaaa..', 'approved'],
		['7/9 agree of 9 (> 3/4)', quarters, 9, 'aaaaaaadd', 'approved'],
		['6/9 agree of 9 (< 3/4)', quarters, 9, 'aaaaaaddd', 'rejected'],
	] as const)('%s → %s', (_label, rule, n, pattern, verdict: Verdict) => {
		expect(decide(rule, scopeOf(n), ballotsOf(pattern)).verdict).toBe(verdict);
	});

	it('reports every check of an exact-boundary decision', () => {
		const decision = decide(quarters, scopeOf(4), ballotsOf('aaa.'));
		expect(decision).toEqual({
			verdict: 'approved',
			checks: [
				{
					name: 'participation_area',
					numerator: 30_000n,
					denominator: 40_000n,
					threshold: TWO_THIRDS,
					passed: true,
					required: 26_667n,
					margin: '+33.33',
				},
				{
					name: 'participation_heads',
					numerator: 3n,
					denominator: 4n,
					threshold: TWO_THIRDS,
					passed: true,
					required: 3n,
					margin: '+0',
				},
				{
					name: 'approval_area',
					numerator: 30_000n,
					denominator: 30_000n,
					threshold: THREE_QUARTERS,
					passed: true,
					required: 22_500n,
					margin: '+75.00',
				},
				{
					name: 'approval_heads',
					numerator: 3n,
					denominator: 3n,
					threshold: THREE_QUARTERS,
					passed: true,
					required: 3n,
					margin: '+0',
				},
			],
		});
	});

	it('divides by nothing for an empty scope and says so', () => {
		const decision = decide(quarters, [], []);
		expect(decision.checks.map((c) => [c.name, c.passed, c.required, c.margin])).toEqual([
			['participation_area', false, null, 'n/a'],
			['participation_heads', false, null, 'n/a'],
			['approval_area', false, null, 'n/a'],
			['approval_heads', false, null, 'n/a'],
		]);
	});

	it('misses 2/3 of the area by one hundredth of a square metre', () => {
		// 100.01 m² in all: 2/3 is 66.673…, so 66.67 m² is 0.01 m² short.
		const scope = scopeOf(3, [3334n, 3333n, 3334n]);
		const decision = decide(quarters, scope, ballotsOf('aa.'));
		expect(decision.verdict).toBe('not_quorate');
		expect(decision.checks[0]).toMatchObject({
			numerator: 6667n,
			denominator: 10_001n,
			required: 6668n,
			passed: false,
			margin: '-0.01',
		});
		expect(decide(quarters, scope, ballotsOf('a.a')).verdict).toBe('approved');
	});

	it.each([
		// Big flat (200 m²) plus three 10 m² flats.
		['area passes, heads fail participation', 'aa..', 'not_quorate', '+56.66', '-1'],
		['heads pass, area fails participation', '.aaa', 'not_quorate', '-123.34', '+0'],
	] as const)('%s', (_label, pattern, verdict, areaMargin, headsMargin) => {
		const scope = scopeOf(4, [20_000n, 1000n, 1000n, 1000n]);
		expect(decide(quarters, scope, ballotsOf(pattern)).verdict).toBe(verdict);
		expect(margins(quarters, scope, pattern)).toMatchObject({
			participation_area: areaMargin,
			participation_heads: headsMargin,
		});
	});

	it.each([
		['area approves, heads do not', 'adddd', 'rejected', true, false],
		['heads approve, area does not', 'daaaa', 'rejected', false, true],
		['both approve', 'aaaaa', 'approved', true, true],
	] as const)('%s', (_label, pattern, verdict, areaPassed, headsPassed) => {
		const scope = scopeOf(5, [20_000n, 1000n, 1000n, 1000n, 1000n]);
		const decision = decide(quarters, scope, ballotsOf(pattern));
		expect(decision.verdict).toBe(verdict);
		expect(decision.checks.find((c) => c.name === 'approval_area')!.passed).toBe(areaPassed);
		expect(decision.checks.find((c) => c.name === 'approval_heads')!.passed).toBe(headsPassed);
	});
});

describe('decide — an owner of several units is one head (SPC interpretation art. 9)', () => {
	// Owner X holds units 1 and 2; Y holds 3; Z holds 4. Four units, three heads.
	const scope = scopeOf(4, [], ['owner-x', 'owner-x', 'owner-y', 'owner-z']);
	const heads = (rule: DecisionRule, pattern: string) =>
		decide(rule, scope, ballotsOf(pattern))
			.checks.filter((c) => c.name.endsWith('_heads'))
			.map((c) => [c.name, c.numerator, c.denominator]);

	it.each([
		// pattern, participating heads, approving heads
		['aaaa', 3n, 3n],
		['a...', 1n, 1n],
		['a.a.', 2n, 2n],
		['.aa.', 2n, 2n],
		['adaa', 3n, 2n],
		['asaa', 3n, 2n],
		['dda.', 2n, 1n],
		['a.d.', 2n, 1n],
		['....', 0n, 0n],
	] as const)('%s → %d participating, %d approving of 3 heads', (pattern, part, appr) => {
		expect(heads(quarters, pattern)).toEqual([
			['participation_heads', part, 3n],
			['approval_heads', appr, part],
		]);
	});

	it('a split owner is no approving head: fails 3/4 of heads, passes 过半数', () => {
		// Area: 3 of 4 units agree (exactly 3/4). Heads: X split → 2 of 3 approve.
		expect(decide(quarters, scope, ballotsOf('adaa')).verdict).toBe('rejected');
		expect(decide(majority, scope, ballotsOf('adaa')).verdict).toBe('approved');
	});

	it('one unit of an owner makes the head participate, but not the other unit’s area', () => {
		// Heads 2/3 participate (X via unit 1, Y); area 2/4 does not reach 2/3.
		const decision = decide(quarters, scope, ballotsOf('a.a.'));
		expect(decision.verdict).toBe('not_quorate');
		expect(margins(quarters, scope, 'a.a.')).toMatchObject({
			participation_area: '-66.67',
			participation_heads: '+0',
		});
	});

	it('an owner of every unit is one head', () => {
		const single = scopeOf(3, [], ['same', 'same', 'same']);
		const decision = decide(quarters, single, ballotsOf('a.a'));
		expect(decision.verdict).toBe('approved');
		expect(decision.checks[1]).toMatchObject({ numerator: 1n, denominator: 1n });
	});
});

describe('decide — simple_majority (⅔ of households take part, then 过半数 of those answering)', () => {
	it.each([
		// label, households, ballots, verdict, participation margin, majority margin
		['nobody responded', 4, '....', 'not_quorate', '-3', 'n/a'],
		['tie', 4, 'aadd', 'rejected', '+1', '-1'],
		['abstentions count as responding', 4, 'aads', 'rejected', '+1', '-1'],
		['3 of 5 with two abstaining', 5, 'aaass', 'approved', '+1', '+0'],
		['one of one', 1, 'a', 'approved', '+0', '+0'],
		['one agree among many silent stands for nothing', 10, 'a.........', 'not_quorate', '-6', '+0'],
		['exactly ⅔ take part (以上 includes the boundary)', 6, 'aaad..', 'approved', '+0', '+0'],
		['one short of ⅔', 7, 'aaaa...', 'not_quorate', '-1', '+1'],
		['all abstain', 3, 'sss', 'rejected', '+1', '-2'],
		['clear majority', 7, 'aaaaadd', 'approved', '+2', '+1'],
	] as const)('%s → %s (%s)', (_label, n, pattern, verdict, participation, majority) => {
		const decision = decide(simple, scopeOf(n), ballotsOf(pattern));
		expect(decision.verdict).toBe(verdict);
		expect(decision.checks.map((c) => [c.name, c.margin])).toEqual([
			['participation_households', participation],
			['majority', majority],
		]);
		expect(decision.checks[0]!.threshold).toEqual(TWO_THIRDS);
		expect(decision.checks[1]!.threshold).toEqual(MORE_THAN_HALF);
	});

	it('counts households, not heads', () => {
		const scope = scopeOf(3, [], ['x', 'x', 'y']);
		const decision = decide(simple, scope, ballotsOf('aad'));
		expect(decision.checks[1]).toMatchObject({ numerator: 2n, denominator: 3n, passed: true });
	});
});

describe('ruleFor — special matters of art. 278 (6)–(8) always need ¾', () => {
	const kinds = ['simple_majority', 'civil_code_majority', 'civil_code_three_quarters'] as const;
	it.each(kinds)('a special matter chosen as %s is decided with ¾', (chosen) => {
		expect(ruleFor(chosen, true)).toBe('civil_code_three_quarters');
	});
	it.each(kinds)('an ordinary item keeps the committee’s %s (stricter allowed)', (chosen) => {
		expect(ruleFor(chosen, false)).toBe(chosen);
	});
	it('a choice question on a special matter is decided with ¾, else as chosen', () => {
		expect(ruleFor('plurality', true)).toBe('civil_code_three_quarters');
		expect(ruleFor('plurality', false)).toBe('plurality');
	});
	it.each([
		['加装电梯', true],
		['2号楼增设电梯意见征询', true],
		['续筹专项维修资金', true],
		['将自行车棚改建为老年活动室', true],
		['改变一楼架空层用途为快递驿站', true],
		['利用小区公共场地从事经营活动（广告位出租）', true],
		['Adding a lift to building 2', true],
		['屋面防水翻新', false],
		['更换单元防盗门', false],
		['选聘物业服务企业', false],
	] as const)('“%s” names a special matter: %s', (text, special) => {
		expect(namesSpecialMatter(text)).toBe(special);
	});
	it('an elevator counted with the form’s default rule does not pass with 2 of 9 households', () => {
		// The finding: 9 flats of 60 m², 2 agree, counted by simple majority → "approved".
		const scope = scopeOf(9);
		const ballots = ballotsOf('aa.......');
		const rule = decisionRule(ruleFor('simple_majority', true));
		expect(decide(rule, scope, ballots).verdict).toBe('not_quorate');
		// With everybody taking part, 7 of 9 agreeing (77.8% ≥ ¾) passes; 6 of 9 does not.
		expect(decide(rule, scope, ballotsOf('aaaaaaadd')).verdict).toBe('approved');
		expect(decide(rule, scope, ballotsOf('aaaaaaddd')).verdict).toBe('rejected');
	});
});

describe('decide — caller contract', () => {
	const scope = scopeOf(2);
	it.each([
		['a household twice in the scope', [...scope, scope[0]!], []],
		['a non-positive area', [{ ...scope[0]!, areaCenti: 0n }], []],
		['an empty owner key', [{ ...scope[0]!, ownerKey: '' }], []],
		['a ballot outside the scope', scope, [{ householdId: 9, choice: 'agree' }]],
		['two ballots for one household', scope, ballotsOf('a').concat(ballotsOf('d'))],
		['an unknown choice', scope, [{ householdId: 1, choice: 'yes' as Choice }]],
	] as const)('throws RangeError on %s', (_label, units, ballots) => {
		for (const rule of [quarters, simple]) {
			expect(() => decide(rule, units, ballots)).toThrow(RangeError);
		}
	});
});

describe('noticeLasted — a plan version’s public notice (公示) in days', () => {
	const day = 86_400_000;
	const at = (days: number) => new Date(Date.UTC(2026, 4, 1) + days * day);
	it.each([
		['a closed window counts in full', at(0), at(7), at(30), 7],
		['a running window counts until now', at(0), at(10), at(3), 3],
		['a window not yet open counts nothing', at(5), at(12), at(3), 0],
		['no window at all', null, null, at(3), 0],
	] as const)('%s', (_label, opensAt, closesAt, now, days) => {
		expect(noticeLasted({ opensAt, closesAt }, now)).toBe(days);
	});
});
