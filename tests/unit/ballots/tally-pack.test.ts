/**
 * The packed tally sums (tally-pack.ts): a one-flat household's packed counts are, item by item
 * and level by level, what `ballotDelta` adds for its first ballot; and the counts read back from
 * a sum of such integers are the sums of the counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsAt, packBallot, unpackAll } from '../../../src/lib/server/ballots/tally-pack.ts';
import {
	applyDelta,
	ballotDelta,
	zeroCounts,
	type Choices,
	type ScopeHousehold,
	type TallyCounts,
	type TallyItem,
} from '../../../src/lib/server/ballots/tally.ts';
import { openingSlots } from '../../factories/tally-slots.ts';

const choice = fc.constantFrom('agree', 'disagree', 'abstain', undefined);

const itemsArb = fc
	.array(
		fc.record({
			building: fc.option(fc.constantFrom(1, 2), { freq: 2 }),
			unit: fc.boolean(),
		}),
		{ minLength: 1, maxLength: 12 },
	)
	.map((shapes) => {
		const items: TallyItem[] = shapes.map((s, k) => ({
			id: 40 + k,
			buildingId: s.building,
			decisionScope: s.unit ? 'unit' : 'compound',
		}));
		// As a round gives slots when it opens: per-unit items first, then by id.
		const slots = openingSlots(items);
		return items.map((item) => ({ ...item, tallySlot: slots.get(item.id)! }));
	});

const household = (building: number, areaCenti: number): ScopeHousehold => ({
	householdId: 9,
	compoundId: 1,
	buildingId: building,
	unitId: 100 + building,
	areaCenti,
	ownerKey: 'o9',
});

const choicesOf = (items: readonly TallyItem[], picks: (string | undefined)[]): Choices =>
	Object.fromEntries(
		items.flatMap((item, k) => (picks[k] ? [[String(item.id), picks[k]]] : [])),
	) as Choices;

describe('packBallot', () => {
	it('holds, per item, what ballotDelta adds for a first ballot at each level', () => {
		fc.assert(
			fc.property(
				itemsArb,
				fc.constantFrom(1, 2),
				fc.integer({ min: 1, max: 100_000 }),
				fc.array(choice, { minLength: 12, maxLength: 12 }),
				(items, building, area, picks) => {
					const h = household(building, area);
					const choices = choicesOf(items, picks);
					const packed = packBallot(items, h, choices);
					expect(packed).toMatch(/^(0|[1-9]\d*)$/);
					const deltas = ballotDelta({
						items,
						household: h,
						siblings: [],
						before: null,
						after: choices,
					});
					for (const item of items) {
						for (const level of ['compound', 'building', 'unit'] as const) {
							const expected = zeroCounts();
							for (const d of deltas)
								if (d.itemId === item.id && d.level === level) applyDelta(expected, d);
							// Unit rows hold only the per-unit items: the low slots of the same integer.
							const units = items.filter((i) => i.decisionScope === 'unit').length;
							const part = level === 'unit' ? lowPart(packed, units) : packed;
							const read =
								level === 'unit' && item.decisionScope !== 'unit'
									? zeroCounts()
									: countsAt(unpackAll(part), item.tallySlot);
							expect(read).toEqual(expected);
						}
					}
				},
			),
		);
	});

	it('adds up: the counts read from a sum of packed ballots are the sums of their counts', () => {
		fc.assert(
			fc.property(
				itemsArb,
				fc.array(
					fc.record({
						building: fc.constantFrom(1, 2),
						area: fc.integer({ min: 1, max: 100_000 }),
						picks: fc.array(choice, { minLength: 12, maxLength: 12 }),
					}),
					{ maxLength: 30 },
				),
				(items, ballots) => {
					let sum = 0n;
					const expected = new Map<number, TallyCounts>(items.map((i) => [i.id, zeroCounts()]));
					for (const b of ballots) {
						const h = household(b.building, b.area);
						const after = choicesOf(items, b.picks);
						sum += BigInt(packBallot(items, h, after));
						for (const d of ballotDelta({ items, household: h, siblings: [], before: null, after }))
							if (d.level === 'compound') applyDelta(expected.get(d.itemId)!, d);
					}
					for (const item of items)
						expect(countsAt(unpackAll(sum.toString()), item.tallySlot)).toEqual(
							expected.get(item.id),
						);
				},
			),
		);
	});

	it('writes nothing for items the household does not answer, and refuses an item without a slot', () => {
		const items = [
			{ id: 1, buildingId: 2, tallySlot: 0 },
			{ id: 2, buildingId: null, tallySlot: null },
		];
		expect(packBallot(items, household(1, 500), { '1': 'agree' })).toBe('0');
		expect(() => packBallot(items, household(1, 500), { '2': 'agree' })).toThrow(/no slot/);
	});
});

/** The low `slots` slots of a packed integer (what the database's mod gives a unit's row). */
function lowPart(packed: string, slots: number): string {
	return (BigInt(packed) % 10n ** BigInt(120 * slots)).toString();
}
