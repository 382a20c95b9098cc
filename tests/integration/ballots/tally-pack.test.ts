/**
 * The two packers of a one-flat household's counts agree: `packBallot` (tally-pack.ts), which the
 * app sends with every ballot, and the SQL `gj_tally_pack_choices` (migration 0027), which
 * filled the sums of rounds opened before the packed sums and fills the large seed's. On random
 * items (limited to a building or not, in any slots), households and choices, both drivers.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { packBallot, type PackItem } from '../../../src/lib/server/ballots/tally-pack.ts';
import type { Choices } from '../../../src/lib/server/ballots/tally.ts';
import {
	createOpenRound,
	menuItemIds,
	projectHouseholds,
	projectId,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { openingSlots } from '../../factories/tally-slots.ts';
import { openRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)('packed tally counts on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let project: number;
	let roundId: number;
	let itemIds: number[];
	let buildings: number[];

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		project = await projectId(t.db, 'hongyan');
		roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			itemIds: await menuItemIds(t.db, 6),
		});
		itemIds = (
			await queryRows<{ id: number }>(
				t.db,
				sql`select id from round_items where round_id = ${roundId} order by id`,
			)
		).map((r) => r.id);
		buildings = [...new Set((await projectHouseholds(t.db, project)).map((h) => h.buildingId))];
	});
	afterAll(async () => t?.close());

	it('opening a round gives the items decided per unit the low slots, then the others, by id', async () => {
		const draft = await createOpenRound(
			t.db,
			admin,
			{ projectId: project, itemIds: await menuItemIds(t.db, 7) },
			{ open: false },
		);
		await t.db.execute(sql`update round_items set decision_scope = 'unit'
			where round_id = ${draft} and id % 3 = 1`);
		await openRound(t.db, admin, draft);
		const items = await queryRows<{ id: number; decisionScope: string; slot: number }>(
			t.db,
			sql`select id, decision_scope::text as "decisionScope", tally_slot as slot
			    from round_items where round_id = ${draft} order by id`,
		);
		expect(items.some((i) => i.decisionScope === 'unit')).toBe(true);
		expect(items.some((i) => i.decisionScope !== 'unit')).toBe(true);
		const expected = openingSlots(items);
		expect(items.map((i) => i.slot)).toEqual(items.map((i) => expected.get(i.id)));
	});

	it('packBallot gives what gj_tally_pack_choices gives', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
				fc.array(fc.option(fc.nat({ max: 2 }), { freq: 2 }), { minLength: 6, maxLength: 6 }),
				fc.nat({ max: 2 }),
				fc.integer({ min: 1, max: 100_000 }),
				fc.array(fc.constantFrom('agree', 'disagree', 'abstain', undefined), {
					minLength: 6,
					maxLength: 6,
				}),
				async (slots, itemBuildings, building, area, picks) => {
					const items: PackItem[] = itemIds.map((id, k) => ({
						id,
						buildingId: itemBuildings[k] === null ? null : buildings[itemBuildings[k]!]!,
						tallySlot: slots[k]!,
					}));
					for (const item of items) {
						await t.db.execute(sql`update round_items set tally_slot = ${item.tallySlot},
							building_id = ${item.buildingId} where id = ${item.id}`);
					}
					const choices = Object.fromEntries(
						items.flatMap((item, k) => (picks[k] ? [[String(item.id), picks[k]]] : [])),
					) as Choices;
					const household = { buildingId: buildings[building]!, areaCenti: area };
					const [row] = await queryRows<{ packed: string }>(
						t.db,
						sql`select gj_tally_pack_choices(${roundId}, ${household.buildingId}, ${area},
						           ${JSON.stringify(choices)}::jsonb)::text as packed`,
					);
					expect(row!.packed).toBe(packBallot(items, household, choices));
				},
			),
			{ numRuns: driver === 'pglite' ? 40 : 30, seed: 20261205 },
		);
	});
});
