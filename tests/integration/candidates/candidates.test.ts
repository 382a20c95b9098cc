import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import {
	includeCompound,
	listCandidates,
	setCandidateCutoff,
} from '../../../src/lib/server/candidates/index.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createMember, createOpenRound, projectId } from '../../factories/ballots.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('candidate compounds on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('lists old compounds ranked by willingness in the needs round; 纳入计划 is an audited admin decision', async () => {
		const [district] = await t.db.select().from(s.districts).limit(1);
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const before = (await listCandidates(t.db, district!.id))!;
		expect(before.district.builtBefore).toBe(2000);
		expect(before.candidates.every((c) => c.builtYear !== null && c.builtYear < 2000)).toBe(true);

		// 崇桂新村 runs a needs round in one building; every household there wants something.
		const project = await projectId(t.db, 'chonggui');
		const places = await demoPlaces(t.db, '崇桂社区');
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [places.communityId],
		});
		const roundId = await createOpenRound(t.db, committee, {
			projectId: project,
			scopeBuildingId: places.buildingId,
		});
		const round = (await loadRound(t.db, roundId))!;
		const scope = await t.db
			.select({ id: s.roundHouseholds.householdId })
			.from(s.roundHouseholds)
			.where(eq(s.roundHouseholds.roundId, roundId));
		for (const household of scope) {
			const member = await createMember(t.db, committee, household.id);
			await castBallot(t.db, member, {
				roundId,
				householdId: household.id,
				choices: Object.fromEntries(round.items.map((i) => [String(i.id), 'agree' as const])),
				comment: '',
			});
		}
		const after = (await listCandidates(t.db, district!.id))!;
		const top = after.candidates[0]!;
		expect(top.compoundId).toBe(places.compoundId);
		expect([top.households, top.responded, top.willing]).toEqual([
			scope.length,
			scope.length,
			scope.length,
		]);
		expect(top.willingnessPercent).toBe(100);

		const moderator = await reject(
			includeCompound(t.db, committee, {
				compoundId: top.compoundId,
				reason: '居民意愿强烈，参与率高。',
			}),
		);
		expect(moderator.code).toBe('forbidden');
		await includeCompound(t.db, admin, {
			compoundId: top.compoundId,
			reason: '需求问卷全部住户参与并愿意改造。',
		});
		expect(
			(
				await reject(
					includeCompound(t.db, admin, {
						compoundId: top.compoundId,
						reason: '再次纳入计划的理由说明',
					}),
				)
			).code,
		).toBe('conflict');
		expect(
			(
				await reject(
					includeCompound(t.db, admin, {
						compoundId: 2_000_000_000,
						reason: '不存在的小区的理由说明',
					}),
				)
			).code,
		).toBe('not_found');
		const shown = (await listCandidates(t.db, district!.id))!.candidates[0]!;
		expect(shown.inclusion?.reason).toBe('需求问卷全部住户参与并愿意改造。');
		const audit = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'compound.included'));
		expect(audit).toHaveLength(1);

		await setCandidateCutoff(t.db, admin, { districtId: district!.id, builtBefore: 1950 });
		expect((await listCandidates(t.db, district!.id))!.candidates).toEqual([]);
	});
});
