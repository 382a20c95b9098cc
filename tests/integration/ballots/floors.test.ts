import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { setFloorCoefficients } from '../../../src/lib/server/ballots/commands/floors.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { openRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { estimateCosts } from '../../../src/lib/server/ballots/cost.ts';
import {
	getFloorCoefficients,
	getFloorViews,
} from '../../../src/lib/server/ballots/floor-queries.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	createMember,
	createModerator,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createResident } from '../../factories/people.ts';
import { createPlanItem, createPlanVersion } from '../../factories/plans.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)('floor coefficients and the floor view on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let other: StaffActor;
	let dujuan: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
		other = await createModerator(t.db, '江滨社区');
	});
	afterAll(async () => t?.close());

	const audits = async (roundId: number) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from audit_log where target_type = 'round' and target_id = ${String(roundId)} and action = 'round.updated'`,
			)
		)[0]!.n;

	it('are saved while the round is a draft, validated, and refused once it is opened', async () => {
		const roundId = await createOpenRound(
			t.db,
			moderator,
			{ projectId: dujuan, itemIds: await menuItemIds(t.db, 1) },
			{ open: false },
		);
		await setFloorCoefficients(t.db, moderator, { roundId, text: '2：0.3\n1:0\n6楼:1.25' });
		expect(await getFloorCoefficients(t.db, roundId)).toEqual([
			{ floor: 1, permille: 0 },
			{ floor: 2, permille: 300 },
			{ floor: 6, permille: 1250 },
		]);
		const saved = await getFloorCoefficients(t.db, roundId);
		const auditsBefore = await audits(roundId);

		const bad = await reject(
			setFloorCoefficients(t.db, moderator, { roundId, text: '1:0\n2:0,3x' }),
		);
		expect(bad).toMatchObject({ code: 'invalid', messageKey: 'floors.invalidLine' });
		for (const text of ['1:0\n1:0.5', '3:11', '3:0.0001', "1:0'); drop table rounds;--"]) {
			expect((await reject(setFloorCoefficients(t.db, moderator, { roundId, text }))).code).toBe(
				'invalid',
			);
		}
		// Another community's staff do not see the round at all.
		expect((await reject(setFloorCoefficients(t.db, other, { roundId, text: '' }))).code).toBe(
			'not_found',
		);
		const resident = await createResident(t.db);
		expect((await reject(setFloorCoefficients(t.db, resident, { roundId, text: '' }))).code).toBe(
			'forbidden',
		);
		expect(
			(await reject(setFloorCoefficients(t.db, moderator, { roundId: 2_000_000_000, text: '' })))
				.code,
		).toBe('not_found');
		expect(await getFloorCoefficients(t.db, roundId)).toEqual(saved);
		expect(await audits(roundId)).toBe(auditsBefore);

		await openRound(t.db, moderator, roundId);
		const late = await reject(setFloorCoefficients(t.db, moderator, { roundId, text: '' }));
		expect(late).toMatchObject({ code: 'conflict', messageKey: 'ballots.alreadyOpened' });
		expect(await getFloorCoefficients(t.db, roundId)).toEqual(saved);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('weigh the cost shares shown on the ballot, still adding up to the fen', async () => {
		const version = await createPlanVersion(t.db, { projectId: dujuan });
		await createPlanItem(t.db, version.id);
		const roundId = await createOpenRound(
			t.db,
			moderator,
			{ projectId: dujuan, kind: 'plan_opinion', planVersionId: version.id, itemIds: [] },
			{ open: false },
		);
		const floors = await t.db
			.select({ id: s.households.id, floor: s.households.floor })
			.from(s.households)
			.where(
				eq(
					s.households.compoundId,
					(
						await t.db
							.select({ c: s.households.compoundId })
							.from(s.households)
							.where(eq(s.households.id, households[0]!.id))
					)[0]!.c,
				),
			);
		const lowest = Math.min(...floors.map((f) => f.floor));
		await setFloorCoefficients(t.db, moderator, { roundId, text: `${lowest}:0` });
		await openRound(t.db, moderator, roundId);
		const round = (await loadRound(t.db, roundId))!;
		const item = round.items[0]!.id;
		let total = 0n;
		for (const h of floors) {
			const share = (await estimateCosts(t.db, round, h.id)).perItem.get(item)!;
			if (h.floor === lowest) expect(share).toBe(0n);
			else expect(share).toBeGreaterThan(0n);
			total += share;
		}
		expect(total).toBe(4_000_000n);
	});

	it('count answers per unit and floor of a one-building round decided per unit', async () => {
		const building = households[0]!.buildingId;
		const flats = await t.db
			.select({ id: s.households.id, unitId: s.households.unitId, floor: s.households.floor })
			.from(s.households)
			.where(eq(s.households.buildingId, building))
			.orderBy(s.households.id);
		const [elevator] = await t.db
			.select({ id: s.renovationItems.id })
			.from(s.renovationItems)
			.where(eq(s.renovationItems.code, 'B13'));
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			scopeBuildingId: building,
			itemIds: [elevator!.id],
			rule: 'civil_code_three_quarters',
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const item = round.items[0]!.id;
		const answers = ['agree', 'disagree', 'abstain'] as const;
		for (const [n, flat] of flats.slice(0, 3).entries()) {
			const member = await createMember(t.db, moderator, flat.id, 'owner');
			await castBallot(t.db, member, {
				roundId,
				householdId: flat.id,
				choices: { [item]: answers[n]! },
				comment: '',
			});
		}
		const [view] = await getFloorViews(t.db, round);
		expect(view!.roundItemId).toBe(item);
		const expected = new Map<string, number>();
		for (const [n, flat] of flats.entries()) {
			const key = `${flat.unitId}:${flat.floor}:${n < 3 ? answers[n] : 'none'}`;
			expected.set(key, (expected.get(key) ?? 0) + 1);
		}
		const seen = new Map<string, number>();
		for (const unit of view!.units) {
			expect(unit.floors.map((f) => f.floor)).toEqual(
				[...unit.floors.map((f) => f.floor)].sort((a, b) => b - a),
			);
			for (const f of unit.floors) {
				for (const key of [...answers, 'none'] as const) {
					if (f[key] > 0) seen.set(`${unit.unitId}:${f.floor}:${key}`, f[key]);
				}
			}
		}
		expect(seen).toEqual(expected);
		// A round over a whole compound, decided per compound, has no floor view.
		const needs = await createOpenRound(t.db, moderator, { projectId: dujuan });
		expect(await getFloorViews(t.db, (await loadRound(t.db, needs))!)).toEqual([]);
	});
});
