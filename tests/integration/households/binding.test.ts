import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { deleteMyAccount, exportMyData } from '../../../src/lib/server/account/commands.ts';
import { sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { enforceRateLimits } from '../../../src/lib/server/auth/rate-limit.ts';
import {
	bindHousehold,
	issueHouseholdCodes,
	revokeHouseholdCodes,
	setConsentAuthorisation,
} from '../../../src/lib/server/households/commands.ts';
import { getBuildingForStaff } from '../../../src/lib/server/households/queries.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor } from '../../../src/lib/server/policy/types.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createResident, createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('household codes and binding on %s', (driver) => {
	let t: TestDatabase;
	let meiling: Awaited<ReturnType<typeof demoPlaces>>;
	let jiangbin: Awaited<ReturnType<typeof demoPlaces>>;
	let ip = 0;
	const ctx = () => ({ ip: `10.9.0.${++ip}` });
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		meiling = await demoPlaces(t.db, '梅岭社区');
		jiangbin = await demoPlaces(t.db, '江滨社区');
	});
	afterAll(async () => t?.close());

	it('issues one code per household of a building, stores only hashes, and audits it', async () => {
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
		const slips = await issueHouseholdCodes(t.db, moderator, {
			scope: { buildingId: meiling.buildingId },
			relation: 'owner',
			maxMembers: 3,
		});
		const households = await t.db
			.select()
			.from(s.households)
			.where(eq(s.households.buildingId, meiling.buildingId));
		expect(slips).toHaveLength(households.length);
		expect(new Set(slips.map((x) => x.code)).size).toBe(slips.length);
		const stored = await t.db.select({ hash: s.householdCodes.codeHash }).from(s.householdCodes);
		for (const slip of slips.slice(0, 5))
			expect(stored.map((r) => r.hash)).not.toContain(slip.code);
		const audit = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'household.codes_issued'));
		expect(audit.at(-1)!.communityId).toBe(meiling.communityId);
	});

	it("refuses another community's building as not found, and creates nothing", async () => {
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
		const before = await t.db.select().from(s.householdCodes);
		const error = await reject(
			issueHouseholdCodes(t.db, moderator, {
				scope: { buildingId: jiangbin.buildingId },
				relation: 'owner',
				maxMembers: 3,
			}),
		);
		expect(error.code).toBe('not_found');
		expect(await t.db.select().from(s.householdCodes)).toHaveLength(before.length);
		expect(await getBuildingForStaff(t.db, moderator, jiangbin.buildingId)).toBeNull();
		expect(await getBuildingForStaff(t.db, moderator, meiling.buildingId)).not.toBeNull();
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		expect(
			(
				await reject(
					issueHouseholdCodes(t.db, officer, {
						scope: { buildingId: meiling.buildingId },
						relation: 'owner',
						maxMembers: 3,
					}),
				)
			).code,
		).toBe('not_found');
		const resident = await createResident(t.db);
		expect(
			(
				await reject(
					issueHouseholdCodes(t.db, resident, {
						scope: { buildingId: meiling.buildingId },
						relation: 'owner',
						maxMembers: 3,
					}),
				)
			).code,
		).toBe('forbidden');
	});

	it('binds with the relation of the code, at once, and only up to its member limit', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const [slip] = await issueHouseholdCodes(t.db, admin, {
			scope: { compoundId: jiangbin.compoundId },
			relation: 'family',
			maxMembers: 2,
		});
		const a = await createResident(t.db);
		const b = await createResident(t.db);
		const c = await createResident(t.db);
		const typed = slip!.code.toLowerCase().replaceAll('-', ' ');
		const bound = await bindHousehold(t.db, a, { code: typed }, ctx());
		expect(bound).toMatchObject({
			householdId: slip!.householdId,
			relation: 'family',
			alreadyMember: false,
		});
		expect((await bindHousehold(t.db, a, { code: slip!.code }, ctx())).alreadyMember).toBe(true);
		await bindHousehold(t.db, b, { code: slip!.code }, ctx());
		expect((await reject(bindHousehold(t.db, c, { code: slip!.code }, ctx()))).messageKey).toBe(
			'households.codeUsedUp',
		);
		const actor = (await loadActor(t.db, a.userId, 'resident')) as ResidentActor;
		expect(actor.memberships.map((m) => [m.householdId, m.relation, m.mayConsent])).toEqual([
			[slip!.householdId, 'family', false],
		]);
	});

	it('refuses revoked, replaced, unknown and malformed codes', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const [first] = await issueHouseholdCodes(t.db, admin, {
			scope: { buildingId: meiling.buildingId },
			relation: 'tenant',
			maxMembers: 2,
		});
		const [replacement] = await issueHouseholdCodes(t.db, admin, {
			scope: { householdId: first!.householdId },
			relation: 'tenant',
			maxMembers: 2,
		});
		const r = await createResident(t.db);
		expect((await reject(bindHousehold(t.db, r, { code: first!.code }, ctx()))).messageKey).toBe(
			'households.codeUnknown',
		);
		await revokeHouseholdCodes(t.db, admin, replacement!.householdId);
		expect(
			(await reject(bindHousehold(t.db, r, { code: replacement!.code }, ctx()))).messageKey,
		).toBe('households.codeUnknown');
		expect((await reject(bindHousehold(t.db, r, { code: 'ZZZZ-ZZZZ-ZZZZ' }, ctx()))).code).toBe(
			'not_found',
		);
		expect((await reject(bindHousehold(t.db, r, { code: "' or 1=1 --" }, ctx()))).code).toBe(
			'invalid',
		);
		expect((await reject(bindHousehold(t.db, null, { code: first!.code }, ctx()))).code).toBe(
			'unauthenticated',
		);
	});

	it('lets an owner authorise a family member to cast consent ballots', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const [household] = await t.db
			.select()
			.from(s.households)
			.where(eq(s.households.buildingId, jiangbin.buildingId))
			.limit(1);
		const [ownerSlip] = await issueHouseholdCodes(t.db, admin, {
			scope: { householdId: household!.id },
			relation: 'owner',
			maxMembers: 2,
		});
		const [familySlip] = await issueHouseholdCodes(t.db, admin, {
			scope: { householdId: household!.id },
			relation: 'family',
			maxMembers: 2,
		});
		const owner = await createResident(t.db);
		const family = await createResident(t.db);
		await bindHousehold(t.db, owner, { code: ownerSlip!.code }, ctx());
		await bindHousehold(t.db, family, { code: familySlip!.code }, ctx());
		const ownerActor = await loadActor(t.db, owner.userId, 'resident');
		const familyActor = (await loadActor(t.db, family.userId, 'resident')) as ResidentActor;
		const membershipId = familyActor.memberships[0]!.membershipId;
		expect(
			(
				await reject(
					setConsentAuthorisation(t.db, familyActor, {
						householdId: household!.id,
						membershipId,
						authorised: true,
					}),
				)
			).code,
		).toBe('forbidden');
		await setConsentAuthorisation(t.db, ownerActor, {
			householdId: household!.id,
			membershipId,
			authorised: true,
		});
		expect(
			((await loadActor(t.db, family.userId, 'resident')) as ResidentActor).memberships[0]!
				.mayConsent,
		).toBe(true);
	});

	it('exports and deletes a resident: number erased, memberships ended, sessions gone', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const [slip] = await issueHouseholdCodes(t.db, admin, {
			scope: { buildingId: jiangbin.buildingId },
			relation: 'owner',
			maxMembers: 2,
		});
		const resident = await createResident(t.db);
		await bindHousehold(t.db, resident, { code: slip!.code }, ctx());
		const actor = await loadActor(t.db, resident.userId, 'resident');
		const exported = await exportMyData(t.db, actor);
		expect(exported.households).toHaveLength(1);
		expect(exported.profile.phone).toMatch(/^\+86/);
		await deleteMyAccount(t.db, actor);
		const [user] = await t.db.select().from(s.users).where(eq(s.users.id, resident.userId));
		expect(user!.phone).toBeNull();
		expect(user!.deletedAt).not.toBeNull();
		const active = await t.db
			.select()
			.from(s.memberships)
			.where(and(eq(s.memberships.userId, resident.userId), isNull(s.memberships.endedAt)));
		expect(active).toHaveLength(0);
		await sealAudit(t.db); // what every instance's sealer does after commit
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
	});
});

describe.runIf(process.env.TEST_DATABASE_URL)('concurrency on the real server', () => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
	});
	afterAll(async () => t?.close());

	it('20 residents racing for a 3-member code: exactly 3 bind', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const place = await demoPlaces(t.db, '梅岭社区');
		const [slip] = await issueHouseholdCodes(t.db, admin, {
			scope: { buildingId: place.buildingId },
			relation: 'owner',
			maxMembers: 3,
		});
		const residents = await Promise.all(Array.from({ length: 20 }, () => createResident(t.db)));
		const results = await Promise.allSettled(
			residents.map((r, i) => bindHousehold(t.db, r, { code: slip!.code }, { ip: `10.8.0.${i}` })),
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(
			rejected.every((r) => (r.reason as DomainError).messageKey === 'households.codeUsedUp'),
		).toBe(true);
		const members = await t.db
			.select()
			.from(s.memberships)
			.where(eq(s.memberships.householdId, slip!.householdId));
		expect(members).toHaveLength(3);
	});

	it('rate limits hold across two separate connection pools (two app instances)', async () => {
		const other = await openDatabase({ databaseUrl: t.url!, poolMax: 2 });
		try {
			const limit = { key: `test:${Date.now()}`, limit: 3, windowSeconds: 60 };
			await enforceRateLimits(t.db, [limit]);
			await enforceRateLimits(other.db, [limit]);
			await enforceRateLimits(t.db, [limit]);
			const error = await reject(enforceRateLimits(other.db, [limit]));
			expect(error.code).toBe('rate_limited');
			const racing = await Promise.allSettled(
				Array.from({ length: 30 }, (_, i) =>
					enforceRateLimits(i % 2 ? t.db : other.db, [{ ...limit, key: `${limit.key}:race` }]),
				),
			);
			expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
		} finally {
			await other.close();
		}
	});
});
