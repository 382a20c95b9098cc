import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	compareFraction,
	decide,
	formatCenti,
	meetsThreshold,
	parseCenti,
	requiredNumerator,
	type CastBallot,
	type Choice,
	type DecisionRule,
	type ScopeUnit,
	type Threshold,
	type Verdict,
} from '../../../src/lib/server/ballots/rules.ts';

/** A scope of up to 12 units drawn from 4 owners (so owners often hold several units), each with or without a ballot. */
const units = (areas: fc.Arbitrary<number>) =>
	fc.array(
		fc.record({
			area: areas,
			owner: fc.constantFrom('owner-a', 'owner-b', 'owner-c', 'owner-d'),
			choice: fc.constantFrom<Choice | null>('agree', 'disagree', 'abstain', null),
		}),
		{ maxLength: 12 },
	);
type Drawn = { area: number; owner: string; choice: Choice | null }[];

// Equal areas land exactly on 2/3, 3/4 and 1/2 often; varied areas cover the rest.
const anyUnits = fc.oneof(units(fc.constant(6000)), units(fc.integer({ min: 1, max: 50_000 })));

const rules: fc.Arbitrary<DecisionRule> = fc.constantFrom<DecisionRule>(
	{ kind: 'simple_majority' },
	{ kind: 'civil_code', approval: 'three_quarters' },
	{ kind: 'civil_code', approval: 'majority' },
);

function toInput(drawn: Drawn): [ScopeUnit[], CastBallot[]] {
	const scope = drawn.map((d, i) => ({
		householdId: i + 1,
		areaCenti: BigInt(d.area),
		ownerKey: d.owner,
	}));
	const ballots = drawn.flatMap((d, i) =>
		d.choice === null ? [] : [{ householdId: i + 1, choice: d.choice }],
	);
	return [scope, ballots];
}

/**
 * An independent reference in plain numbers (exact for these small sizes): sums with filters,
 * heads by listing each owner's units, thresholds written out as integer inequalities.
 */
function reference(rule: DecisionRule, drawn: Drawn): { verdict: Verdict; numbers: number[][] } {
	const sum = (rows: Drawn) => rows.reduce((s, r) => s + r.area, 0);
	const voted = drawn.filter((d) => d.choice !== null);
	if (rule.kind === 'simple_majority') {
		const agree = voted.filter((d) => d.choice === 'agree').length;
		const quorate = drawn.length > 0 && 3 * voted.length >= 2 * drawn.length;
		const verdict = !quorate ? 'not_quorate' : 2 * agree > voted.length ? 'approved' : 'rejected';
		return {
			verdict,
			numbers: [
				[voted.length, drawn.length],
				[agree, voted.length],
			],
		};
	}
	const owners = [...new Set(drawn.map((d) => d.owner))];
	const theirs = (o: string) => drawn.filter((d) => d.owner === o && d.choice !== null);
	const partHeads = owners.filter((o) => theirs(o).length > 0).length;
	const apprHeads = owners.filter(
		(o) => theirs(o).length > 0 && theirs(o).every((d) => d.choice === 'agree'),
	).length;
	const [total, part] = [sum(drawn), sum(voted)];
	const agreeArea = sum(voted.filter((d) => d.choice === 'agree'));
	const quorate = total > 0 && 3 * part >= 2 * total && 3 * partHeads >= 2 * owners.length;
	const approves = (a: number, p: number) =>
		p > 0 && (rule.approval === 'three_quarters' ? 4 * a >= 3 * p : 2 * a > p);
	const approved = approves(agreeArea, part) && approves(apprHeads, partHeads);
	return {
		verdict: !quorate ? 'not_quorate' : approved ? 'approved' : 'rejected',
		numbers: [
			[part, total],
			[partHeads, owners.length],
			[agreeArea, part],
			[apprHeads, partHeads],
		],
	};
}

describe('decide against a reference implementation', () => {
	it('agrees on the verdict and every check’s numbers', () => {
		fc.assert(
			fc.property(rules, anyUnits, (rule, drawn) => {
				const [scope, ballots] = toInput(drawn);
				const decision = decide(rule, scope, ballots);
				const expected = reference(rule, drawn);
				expect(decision.verdict).toBe(expected.verdict);
				expect(decision.checks.map((c) => [Number(c.numerator), Number(c.denominator)])).toEqual(
					expected.numbers,
				);
			}),
			{ numRuns: 2000 },
		);
	});

	it('keeps margin, required and passed consistent', () => {
		fc.assert(
			fc.property(rules, anyUnits, (rule, drawn) => {
				for (const check of decide(rule, ...toInput(drawn)).checks) {
					if (check.required === null) {
						expect([check.denominator, check.passed, check.margin]).toEqual([0n, false, 'n/a']);
						continue;
					}
					expect(check.passed).toBe(check.numerator >= check.required);
					expect(check.margin.startsWith('+')).toBe(check.passed);
					const digits = check.margin.slice(1).replace('.', '');
					const diff = check.numerator - check.required;
					expect(BigInt(digits)).toBe(diff < 0n ? -diff : diff);
				}
			}),
		);
	});

	it('does not depend on the order of units or ballots', () => {
		fc.assert(
			fc.property(rules, anyUnits, fc.integer(), (rule, drawn, seed) => {
				const [scope, ballots] = toInput(drawn);
				const shuffle = <T>(xs: T[]) =>
					xs
						.map((x, i) => ({ x, k: (i * 7919 + seed) % 104_729 }))
						.sort((a, b) => a.k - b.k)
						.map((e) => e.x);
				expect(decide(rule, shuffle(scope), shuffle(ballots))).toEqual(
					decide(rule, scope, ballots),
				);
			}),
		);
	});
});

describe('decide is monotone', () => {
	const rank: Record<Verdict, number> = { not_quorate: 0, rejected: 1, approved: 2 };

	it('turning any ballot into agree never turns approved into anything else', () => {
		fc.assert(
			fc.property(rules, anyUnits, fc.nat(), (rule, drawn, pick) => {
				const voters = drawn.flatMap((d, i) => (d.choice && d.choice !== 'agree' ? [i] : []));
				fc.pre(voters.length > 0);
				const changed = drawn.map((d, i) =>
					i === voters[pick % voters.length] ? { ...d, choice: 'agree' as const } : d,
				);
				const before = decide(rule, ...toInput(drawn)).verdict;
				const after = decide(rule, ...toInput(changed)).verdict;
				// Participation is unchanged, so a quorate decision can only stay or improve.
				expect(rank[after]).toBeGreaterThanOrEqual(rank[before]);
			}),
		);
	});

	it('a further agree ballot from a silent unit never undoes an approval', () => {
		fc.assert(
			fc.property(rules, anyUnits, fc.nat(), (rule, drawn, pick) => {
				const silent = drawn.flatMap((d, i) => (d.choice === null ? [i] : []));
				fc.pre(silent.length > 0);
				const changed = drawn.map((d, i) =>
					i === silent[pick % silent.length] ? { ...d, choice: 'agree' as const } : d,
				);
				if (decide(rule, ...toInput(drawn)).verdict === 'approved') {
					expect(decide(rule, ...toInput(changed)).verdict).toBe('approved');
				}
			}),
		);
	});
});

describe('fraction helpers', () => {
	const threshold: fc.Arbitrary<Threshold> = fc
		.record({ den: fc.bigInt({ min: 1n, max: 100n }), k: fc.nat(), inclusive: fc.boolean() })
		.map(({ den, k, inclusive }) => ({ num: BigInt(k) % (den + 1n), den, inclusive }));

	it('requiredNumerator is the smallest numerator meetsThreshold accepts', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: 1n, max: 10n ** 24n }), threshold, (den, t) => {
				const required = requiredNumerator(den, t);
				expect(meetsThreshold(required, den, t)).toBe(true);
				if (required > 0n) expect(meetsThreshold(required - 1n, den, t)).toBe(false);
			}),
		);
	});

	it('compareFraction matches integer cross-multiplication and is antisymmetric', () => {
		const frac = fc.record({
			num: fc.integer({ min: 0, max: 10_000 }),
			den: fc.integer({ min: 1, max: 10_000 }),
		});
		fc.assert(
			fc.property(frac, frac, (a, b) => {
				const big = (f: typeof a) => ({ num: BigInt(f.num), den: BigInt(f.den) });
				const expected = Math.sign(a.num * b.den - b.num * a.den);
				expect(compareFraction(big(a), big(b))).toBe(expected);
				expect(compareFraction(big(b), big(a))).toBe(-expected || 0);
			}),
		);
	});

	it('parseCenti and formatCenti round-trip', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (centi) => {
				expect(parseCenti(formatCenti(centi))).toBe(centi);
			}),
		);
	});
});
