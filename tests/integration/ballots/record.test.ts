/**
 * The ballot command's writes (`recordBallot`, commands/record.ts) against the pure reference
 * `ballotDelta`, one ballot at a time: on random rounds — items limited to a building or decided per unit,
 * owners of several flats across buildings and units, areas, incomplete choices, online ballots
 * and paper forms older or newer than the ballot they meet — every call must change the tally
 * rows exactly as `ballotDelta` says, count exactly when the reference counts, and leave the
 * rows equal to `recountTallies`.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { prepareImage, savePreparedImage } from '../../../src/lib/server/images/store.ts';
import { readTallies } from '../../../src/lib/server/ballots/queries/results.ts';
import { recordBallot } from '../../../src/lib/server/ballots/commands/record.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import {
	applyDelta,
	ballotDelta,
	recountTallies,
	tallyKey,
	zeroCounts,
	type Choices,
	type DecisionScope,
	type Level,
	type ScopeHousehold,
	type TallyCounts,
	type TallyItem,
} from '../../../src/lib/server/ballots/tally.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	buildPaperPhoto,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
} from '../../factories/ballots.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

type Step = {
	household: number;
	/** Per item: a choice, or undefined (left out of the ballot). */
	choices: ('agree' | 'disagree' | 'abstain' | undefined)[];
	/** Online, or a paper form filled in `minutes` after the earliest possible time. */
	paper: { minutes: number } | null;
};

type Tally = { level: Level; itemId: number; scopeId: number } & TallyCounts;

describe.each(drivers)('recordBallot against ballotDelta on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let roundId: number;
	let itemIds: number[];
	let scope: ScopeHousehold[];
	let buildingIds: number[];
	let photoId: string;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const dujuan = await setUpDujuan(t.db);
		moderator = dujuan.moderator;
		roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan.dujuan,
			itemIds: await menuItemIds(t.db, 4),
		});
		itemIds = (
			await queryRows<{ id: number }>(
				t.db,
				sql`select id from round_items where round_id = ${roundId} order by id`,
			)
		).map((r) => r.id);
		scope = await queryRows<ScopeHousehold>(
			t.db,
			sql`select household_id as "householdId", compound_id as "compoundId",
			           building_id as "buildingId", unit_id as "unitId",
			           area_centi::int as "areaCenti", owner_key as "ownerKey"
			    from round_households where round_id = ${roundId} order by household_id`,
		);
		buildingIds = [...new Set(scope.map((h) => h.buildingId))];
		const prepared = await prepareImage(await buildPaperPhoto(1));
		photoId = await t.db.transaction((tx) => savePreparedImage(tx, moderator.userId, prepared));
	});
	afterAll(async () => t?.close());

	/** Reshapes the frozen round (items, owners, areas) and empties its ballots and tallies. */
	async function reshape(
		items: TallyItem[],
		households: ScopeHousehold[],
	): Promise<Map<string, Tally>> {
		await t.db.transaction(async (tx) => {
			await tx.execute(sql`delete from ballot_revisions where round_id = ${roundId}`);
			await tx.execute(sql`delete from ballots where round_id = ${roundId}`);
			await tx.execute(sql`delete from round_tallies where round_id = ${roundId}`);
			await tx.execute(sql`update round_coverage set responded = 0 where round_id = ${roundId}`);
			for (const item of items) {
				await tx.execute(sql`update round_items set building_id = ${item.buildingId},
					decision_scope = ${item.decisionScope}::decision_scope where id = ${item.id}`);
			}
			const units = new Map<string, number>();
			for (const h of households) units.set(h.ownerKey, (units.get(h.ownerKey) ?? 0) + 1);
			await tx.execute(sql`update round_households rh set owner_key = x.k, area_centi = x.a,
				owner_units = x.u
				from jsonb_to_recordset(${JSON.stringify(
					households.map((h) => ({
						h: h.householdId,
						k: h.ownerKey,
						a: h.areaCenti,
						u: units.get(h.ownerKey),
					})),
				)}::jsonb) as x(h int, k text, a bigint, u int)
				where rh.round_id = ${roundId} and rh.household_id = x.h`);
			const rows = [...recountTallies(items, households, new Map()).values()];
			await tx.execute(sql`insert into round_tallies (round_id, round_item_id, level, scope_id,
				households, area_centi, heads)
				select ${roundId}, x.i, x.l::tally_level, x.s, x.n, x.a, x.h
				from jsonb_to_recordset(${JSON.stringify(
					rows.map((r) => ({
						i: r.itemId,
						l: r.level,
						s: r.scopeId,
						n: r.households,
						a: r.areaCenti,
						h: r.heads,
					})),
				)}::jsonb) as x(i int, l text, s int, n int, a bigint, h int)`);
		});
		const model = new Map<string, Tally>();
		for (const row of recountTallies(items, households, new Map()).values()) {
			model.set(tallyKey(row.itemId, row.level, row.scopeId), {
				level: row.level,
				itemId: row.itemId,
				scopeId: row.scopeId,
				...zeroCounts(),
			});
		}
		return model;
	}

	/** The stored counts per item and scope, as the app reads them (totals left out). */
	async function storedTallies(): Promise<Map<string, Tally>> {
		const rows = await readTallies(t.db, roundId);
		return new Map(
			rows.map(({ households: _h, areaCenti: _a, heads: _x, ...counts }) => [
				tallyKey(counts.itemId, counts.level, counts.scopeId),
				counts,
			]),
		);
	}

	const stepArb = (households: number) =>
		fc.record({
			household: fc.nat({ max: households - 1 }),
			choices: fc.array(
				fc.oneof(
					{ weight: 6, arbitrary: fc.constantFrom('agree', 'disagree', 'abstain') },
					{ weight: 1, arbitrary: fc.constant(undefined) },
				),
				{ minLength: 4, maxLength: 4 },
			),
			paper: fc.option(fc.record({ minutes: fc.nat({ max: 5 }) }), { freq: 3 }),
		});

	const voters = 10;
	const shapeArbs = [
		fc.array(
			fc.record({
				building: fc.option(fc.nat({ max: 3 }), { freq: 2 }),
				decisionScope: fc.constantFrom<DecisionScope>('compound', 'building', 'unit'),
			}),
			{ minLength: 4, maxLength: 4 },
		),
		fc.array(fc.nat({ max: 3 }), { minLength: voters, maxLength: voters }),
		fc.array(fc.integer({ min: 1, max: 25_000 }), { minLength: voters, maxLength: voters }),
	] as const;

	type ItemShape = { building: number | null; decisionScope: DecisionScope };

	/** The round reshaped for one run: items, the voters' owner keys and areas, an empty model. */
	async function prepare(itemShapes: ItemShape[], ownerOf: number[], areas: number[]) {
		const items: TallyItem[] = itemIds.map((id, k) => ({
			id,
			buildingId:
				itemShapes[k]!.building === null
					? null
					: buildingIds[itemShapes[k]!.building % buildingIds.length]!,
			decisionScope: itemShapes[k]!.decisionScope,
		}));
		// The first `voters` households (spread over buildings) get shared owner keys.
		const spread = [...scope].sort(
			(a, b) => ((a.householdId * 7919) % 101) - ((b.householdId * 7919) % 101),
		);
		const voting = new Set(spread.slice(0, voters).map((h) => h.householdId));
		let v = 0;
		const households = scope.map((h) =>
			voting.has(h.householdId)
				? { ...h, ownerKey: `owner-${ownerOf[v]}`, areaCenti: areas[v++]! }
				: h,
		);
		const voterList = households.filter((h) => voting.has(h.householdId));
		const model = await reshape(items, households);
		return { items, households, voterList, model };
	}

	type Prepared = Awaited<ReturnType<typeof prepare>>;
	type Current = Map<number, { choices: Choices; filledAt: number }>;
	const base = Date.now() - 30 * 60_000;

	/** A step as the command's submission, and when its form was filled in. */
	async function ballotInput(p: Prepared, step: Step) {
		const choices: Choices = {};
		p.items.forEach((item, k) => {
			const choice = step.choices[k];
			if (choice) choices[String(item.id)] = choice;
		});
		const filledAt = step.paper ? base + step.paper.minutes * 60_000 : Date.now();
		const household = p.voterList[step.household]!;
		const ownerUnits = p.households.filter((h) => h.ownerKey === household.ownerKey).length;
		return {
			submission: {
				round: (await loadRound(t.db, roundId))!,
				household: { ...household, ownerUnits },
				choices,
				overall: null,
				comment: '',
				channel: step.paper ? ('paper' as const) : ('online' as const),
				castBy: null,
				enteredBy: step.paper ? moderator.userId : null,
				photo: step.paper ? photoId : null,
				filledAt: step.paper ? new Date(filledAt) : null,
				actor: { id: moderator.userId, kind: 'staff' as const },
			},
			choices,
			filledAtMs: filledAt,
		};
	}

	/**
	 * The reference's view of one step: whether it counts, and (when it does) its deltas applied
	 * to the model and the household's ballot replaced.
	 */
	function applyStep(
		p: Prepared,
		current: Current,
		step: Step,
		input: Awaited<ReturnType<typeof ballotInput>>,
	): boolean {
		const household = p.voterList[step.household]!;
		const before = current.get(household.householdId);
		const counts = !step.paper || !before || before.filledAt <= input.filledAtMs;
		if (!counts) return false;
		const siblings = p.voterList
			.filter((h) => h.ownerKey === household.ownerKey && h.householdId !== household.householdId)
			.map((h) => ({ household: h, choices: current.get(h.householdId)?.choices ?? null }));
		for (const delta of ballotDelta({
			items: p.items,
			household,
			siblings,
			before: before?.choices ?? null,
			after: input.choices,
		})) {
			applyDelta(p.model.get(tallyKey(delta.itemId, delta.level, delta.scopeId))!, delta);
		}
		current.set(household.householdId, {
			choices: input.choices,
			// An online ballot is newer than any paper form of this run.
			filledAt: step.paper ? input.filledAtMs : Number.MAX_SAFE_INTEGER,
		});
		return true;
	}

	async function expectRecount(p: Prepared, current: Current) {
		const recount = recountTallies(
			p.items,
			p.households,
			new Map([...current].map(([id, c]) => [id, c.choices])),
		);
		const stored = await storedTallies();
		for (const [key, row] of recount) {
			const { households: _h, areaCenti: _a, heads: _x, ...counts } = row;
			expect(stored.get(key)).toEqual(counts);
		}
	}

	it('changes the tallies exactly as the reference, step by step, and ends equal to a recount', async () => {
		await fc.assert(
			fc.asyncProperty(
				...shapeArbs,
				fc.array(stepArb(voters), { minLength: 1, maxLength: 14 }),
				async (itemShapes, ownerOf, areas, steps) => {
					const p = await prepare(itemShapes, ownerOf, areas);
					const current: Current = new Map();
					for (const step of steps as Step[]) {
						const input = await ballotInput(p, step);
						const outcome = await t.db.transaction((tx) =>
							recordBallot(tx, input.submission, null),
						);
						const counts = applyStep(p, current, step, input);
						expect(outcome.counted).toBe(counts);
						if (counts) expect(await storedTallies()).toEqual(p.model);
					}
					await expectRecount(p, current);
				},
			),
			{ numRuns: driver === 'pglite' ? 40 : 25, seed: 20261122 },
		);
	});
});
