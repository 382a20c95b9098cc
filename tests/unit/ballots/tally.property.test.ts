import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	decide,
	decideTally,
	type CastBallot,
	type Choice,
} from '../../../src/lib/server/ballots/rules.ts';
import {
	applyDelta,
	ballotDelta,
	covers,
	decisionRule,
	diffTallies,
	levelsOf,
	recountTallies,
	scopeIdOf,
	tallyKey,
	toRulesTally,
	zeroCounts,
	type Choices,
	type RuleKind,
	type ScopeHousehold,
	type TallyItem,
	type TallyRow,
} from '../../../src/lib/server/ballots/tally.ts';

/**
 * The running aggregates (one delta per ballot revision, as the ballot transaction applies them)
 * must equal a recount after any sequence of ballots, and the verdict decided from an aggregate
 * row must equal `decide` over the raw ballots of that scope — including owners of several flats,
 * items limited to one building, and every decision scope.
 */
const choice = fc.constantFrom<Choice>('agree', 'disagree', 'abstain');

const world = fc
	.record({
		flats: fc.array(
			fc.record({
				compound: fc.integer({ min: 1, max: 2 }),
				building: fc.integer({ min: 1, max: 3 }),
				unit: fc.integer({ min: 1, max: 2 }),
				owner: fc.integer({ min: 1, max: 6 }),
				// Equal areas land on 2/3 and 3/4 often; varied ones cover the rest.
				area: fc.oneof(fc.constant(6000), fc.integer({ min: 1, max: 20_000 })),
			}),
			{ minLength: 1, maxLength: 18 },
		),
		items: fc.array(
			fc.record({
				building: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
				scope: fc.constantFrom('compound' as const, 'building' as const, 'unit' as const),
				rule: fc.constantFrom<RuleKind>(
					'simple_majority',
					'civil_code_majority',
					'civil_code_three_quarters',
				),
			}),
			{ minLength: 1, maxLength: 3 },
		),
		votes: fc.array(
			fc.record({ flat: fc.nat(), choices: fc.array(choice, { minLength: 3, maxLength: 3 }) }),
			{
				maxLength: 40,
			},
		),
	})
	.map(({ flats, items, votes }) => {
		// Buildings and units are numbered inside their compound, as in the tree.
		const households: ScopeHousehold[] = flats.map((f, i) => ({
			householdId: i + 1,
			compoundId: f.compound,
			buildingId: f.compound * 10 + f.building,
			unitId: (f.compound * 10 + f.building) * 10 + f.unit,
			areaCenti: f.area,
			ownerKey: `owner-${f.owner}`,
		}));
		const tallyItems: (TallyItem & { rule: RuleKind })[] = items.map((item, i) => ({
			id: 100 + i,
			buildingId: item.building === null ? null : households[0]!.compoundId * 10 + item.building,
			decisionScope: item.scope,
			rule: item.rule,
		}));
		return { households, items: tallyItems, votes };
	});

function ballotFor(items: TallyItem[], household: ScopeHousehold, picks: Choice[]): Choices {
	return Object.fromEntries(
		items
			.filter((item) => covers(item, household))
			.map((item, i) => [String(item.id), picks[i % picks.length]!]),
	);
}

/** Scopes as `decide` sees them: the units of each scope and the ballots that count there. */
function referenceDecisions(
	items: (TallyItem & { rule: RuleKind })[],
	households: ScopeHousehold[],
	ballots: Map<number, Choices>,
) {
	const result = new Map<string, ReturnType<typeof decide>>();
	for (const item of items) {
		const scopes = new Map<string, { units: ScopeHousehold[]; cast: CastBallot[] }>();
		for (const h of households.filter((x) => covers(item, x))) {
			for (const level of levelsOf(item)) {
				const key = tallyKey(item.id, level, scopeIdOf(h, level));
				const scope = scopes.get(key) ?? { units: [], cast: [] };
				scope.units.push(h);
				const c = ballots.get(h.householdId)?.[String(item.id)];
				if (c) scope.cast.push({ householdId: h.householdId, choice: c });
				scopes.set(key, scope);
			}
		}
		for (const [key, scope] of scopes) {
			const units = scope.units.map((u) => ({
				householdId: u.householdId,
				areaCenti: BigInt(u.areaCenti),
				ownerKey: u.ownerKey,
			}));
			result.set(key, decide(decisionRule(item.rule), units, scope.cast));
		}
	}
	return result;
}

describe('tally aggregates', () => {
	it('running deltas equal a recount, and verdicts from rows equal decide() on the ballots', () => {
		fc.assert(
			fc.property(world, ({ households, items, votes }) => {
				const rows = recountTallies(items, households, new Map());
				const ballots = new Map<number, Choices>();
				for (const vote of votes) {
					const household = households[vote.flat % households.length]!;
					const after = ballotFor(items, household, vote.choices);
					const siblings = households
						.filter(
							(h) => h.ownerKey === household.ownerKey && h.householdId !== household.householdId,
						)
						.map((h) => ({ household: h, choices: ballots.get(h.householdId) ?? null }));
					const deltas = ballotDelta({
						items,
						household,
						siblings,
						before: ballots.get(household.householdId) ?? null,
						after,
					});
					for (const delta of deltas) {
						const row = rows.get(tallyKey(delta.itemId, delta.level, delta.scopeId));
						expect(row, 'a delta for a row that does not exist').toBeDefined();
						applyDelta(row!, delta);
					}
					ballots.set(household.householdId, after);
				}
				expect(diffTallies(rows, recountTallies(items, households, ballots))).toEqual([]);
				const reference = referenceDecisions(items, households, ballots);
				expect([...reference.keys()].sort()).toEqual([...rows.keys()].sort());
				for (const item of items) {
					for (const [key, row] of rows) {
						if (row.itemId !== item.id) continue;
						expect(decideTally(decisionRule(item.rule), toRulesTally(row))).toEqual(
							reference.get(key),
						);
					}
				}
			}),
			{ numRuns: 400 },
		);
	});

	it('a revision to the same choices changes nothing; deltas come sorted by key', () => {
		fc.assert(
			fc.property(world, ({ households, items, votes }) => {
				const household = households[(votes[0]?.flat ?? 0) % households.length]!;
				const ballot = ballotFor(items, household, ['agree', 'disagree', 'abstain']);
				expect(
					ballotDelta({ items, household, siblings: [], before: ballot, after: ballot }),
				).toEqual([]);
				const deltas = ballotDelta({ items, household, siblings: [], before: null, after: ballot });
				const keys = deltas.map((d) => [d.itemId, d.level, d.scopeId] as const);
				const sorted = [...keys].sort((a, b) =>
					a[0] !== b[0] ? a[0] - b[0] : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[2] - b[2],
				);
				expect(keys).toEqual(sorted);
			}),
		);
	});
});

describe('ballotDelta, table-driven', () => {
	const flat = (id: number, owner: string, area = 5000): ScopeHousehold => ({
		householdId: id,
		compoundId: 1,
		buildingId: 11,
		unitId: 111,
		areaCenti: area,
		ownerKey: owner,
	});
	const item: TallyItem = { id: 7, buildingId: null, decisionScope: 'compound' };
	const compound = (deltas: ReturnType<typeof ballotDelta>) =>
		deltas.find((d) => d.level === 'compound') ?? { ...zeroCounts() };
	const cases: {
		name: string;
		before: Choice | null;
		after: Choice;
		sibling: Choice | null | 'none';
		expect: Partial<TallyRow>;
	}[] = [
		{
			name: 'first agree, sole flat',
			before: null,
			after: 'agree',
			sibling: 'none',
			expect: { agree: 1, agreeArea: 5000, headsParticipating: 1, headsApproving: 1 },
		},
		{
			name: 'agree → disagree, sole flat',
			before: 'agree',
			after: 'disagree',
			sibling: 'none',
			expect: { agree: -1, disagree: 1, headsParticipating: 0, headsApproving: -1 },
		},
		{
			name: 'first agree, sibling silent',
			before: null,
			after: 'agree',
			sibling: null,
			expect: { agree: 1, headsParticipating: 1, headsApproving: 1 },
		},
		{
			name: 'first agree, sibling agreed: same head',
			before: null,
			after: 'agree',
			sibling: 'agree',
			expect: { agree: 1, headsParticipating: 0, headsApproving: 0 },
		},
		{
			name: 'first agree, sibling disagreed: head still not approving',
			before: null,
			after: 'agree',
			sibling: 'disagree',
			expect: { agree: 1, headsParticipating: 0, headsApproving: 0 },
		},
		{
			name: 'disagree → agree, sibling agreed: head now approves',
			before: 'disagree',
			after: 'agree',
			sibling: 'agree',
			expect: { agree: 1, disagree: -1, headsApproving: 1 },
		},
		{
			name: 'abstain, sibling agreed: head stops approving',
			before: null,
			after: 'abstain',
			sibling: 'agree',
			expect: { abstain: 1, abstainArea: 5000, headsParticipating: 0, headsApproving: -1 },
		},
	];
	it.each(cases)('$name', (c) => {
		const me = flat(1, 'owner-a');
		const siblings =
			c.sibling === 'none'
				? []
				: [{ household: flat(2, 'owner-a'), choices: c.sibling ? { '7': c.sibling } : null }];
		const deltas = ballotDelta({
			items: [item],
			household: me,
			siblings,
			before: c.before ? { '7': c.before } : null,
			after: { '7': c.after },
		});
		expect(compound(deltas)).toMatchObject(c.expect);
	});

	it('ignores items of another building', () => {
		const me = flat(1, 'owner-a');
		expect(
			ballotDelta({
				items: [{ id: 8, buildingId: 99, decisionScope: 'building' }],
				household: me,
				siblings: [],
				before: null,
				after: {},
			}),
		).toEqual([]);
	});
});
