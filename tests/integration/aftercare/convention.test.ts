import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { seedDemoAftercare } from '../../../db/seed/aftercare.ts';
import {
	confirmConvention,
	getConventionPage,
	publishConvention,
	recordPaperConfirmation,
} from '../../../src/lib/server/aftercare/index.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor } from '../../../src/lib/server/policy/types.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject, xssBait } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject } from '../opinions/helpers.ts';

/**
 * 居民公约 (issue 23, item 4): versioned, confirmed once per household and version — online by an
 * owner or family member, on paper through the committee — and counted per building.
 */
describe.each(drivers)('residents’ convention on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		await t.db.transaction((tx) => seedDemoAftercare(tx, { now: new Date() }));
		project = await demoProject(t.db, 'baisha-fuxing');
	});
	afterAll(async () => t?.close());

	/** A resident bound to the project's n-th household with `relation`. */
	const bound = async (n: number, relation: 'owner' | 'family' | 'tenant') => {
		const [household] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.households.compoundId))
			.where(eq(s.projectCompounds.projectId, project.id))
			.orderBy(asc(s.households.id))
			.offset(n)
			.limit(1);
		const resident = await createResident(t.db);
		await t.db
			.insert(s.memberships)
			.values({ userId: resident.userId, householdId: household!.id, relation });
		return {
			householdId: household!.id,
			actor: (await loadActor(t.db, resident.userId, 'resident')) as ResidentActor,
		};
	};

	it('shows the demo convention, counted per building, and lets an owner or family confirm once', async () => {
		const before = await getConventionPage(t.db, null, project);
		expect(before.version).toMatchObject({ version: 2, title: '白沙电厂宿舍、富兴堡二村居民公约' });
		expect(before.version!.bodyHtml).toContain('<h2>三、垃圾分类</h2>');
		expect(before.history.map((v) => v.version)).toEqual([2, 1]);
		// One owner online, one household on paper (seed).
		expect(before.counts.total.confirmed).toBe(2);
		expect(before.counts.total.households).toBeGreaterThan(3);
		expect(before.counts.buildings.reduce((n, b) => n + b.confirmed, 0)).toBe(2);

		const family = await bound(5, 'family');
		const mine = await getConventionPage(t.db, family.actor, project);
		expect(mine.mine).toEqual([
			expect.objectContaining({
				householdId: family.householdId,
				mayConfirm: true,
				confirmed: false,
			}),
		]);
		await confirmConvention(t.db, family.actor, {
			projectId: project.id,
			householdId: family.householdId,
		});
		const after = await getConventionPage(t.db, family.actor, project);
		expect(after.counts.total.confirmed).toBe(3);
		expect(after.mine[0]!.confirmed).toBe(true);
		// Twice is a conflict; a paper slip for the same household too.
		expect(
			(
				await reject(
					confirmConvention(t.db, family.actor, {
						projectId: project.id,
						householdId: family.householdId,
					}),
				)
			).code,
		).toBe('conflict');
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		expect(
			(
				await reject(
					recordPaperConfirmation(t.db, committee, {
						projectId: project.id,
						householdId: family.householdId,
					}),
				)
			).code,
		).toBe('conflict');
		expect((await getConventionPage(t.db, null, project)).counts.total.confirmed).toBe(3);
	});

	it('refuses tenants, other households, other projects and staff out of scope; changes nothing', async () => {
		const count = async () =>
			(await t.db.select({ n: sql<number>`count(*)::int` }).from(s.conventionConfirmations))[0]!.n;
		const start = await count();
		const tenant = await bound(6, 'tenant');
		expect(
			(
				await reject(
					confirmConvention(t.db, tenant.actor, {
						projectId: project.id,
						householdId: tenant.householdId,
					}),
				)
			).messageKey,
		).toBe('convention.notYours');
		const owner = await bound(7, 'owner');
		expect(
			(
				await reject(
					confirmConvention(t.db, owner.actor, {
						projectId: project.id,
						householdId: tenant.householdId,
					}),
				)
			).code,
		).toBe('forbidden');
		// A household of another project's compound, named by the right project's committee.
		const [elsewhere] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.where(
				sql`${s.households.compoundId} not in (select compound_id from project_compounds where project_id = ${project.id})`,
			)
			.limit(1);
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		expect(
			(
				await reject(
					recordPaperConfirmation(t.db, committee, {
						projectId: project.id,
						householdId: elsewhere!.id,
					}),
				)
			).messageKey,
		).toBe('convention.householdInvalid');
		const [otherCommunity] = await t.db
			.select({ id: s.communities.id })
			.from(s.communities)
			.where(sql`${s.communities.id} <> ${project.communityId}`)
			.limit(1);
		const stranger = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [otherCommunity!.id],
		});
		expect(
			(
				await reject(
					recordPaperConfirmation(t.db, stranger, {
						projectId: project.id,
						householdId: owner.householdId,
					}),
				)
			).code,
		).toBe('not_found');
		expect(
			(
				await reject(
					publishConvention(t.db, stranger, {
						projectId: project.id,
						title: 'x',
						body: 'x',
						bodyEn: '',
					}),
				)
			).code,
		).toBe('not_found');
		expect(
			(
				await reject(
					confirmConvention(t.db, committee, {
						projectId: project.id,
						householdId: owner.householdId,
					}),
				)
			).code,
		).toBe('forbidden');
		expect(await count()).toBe(start);

		// A paper slip for the owner's household counts; the owner then sees it confirmed.
		await recordPaperConfirmation(t.db, committee, {
			projectId: project.id,
			householdId: owner.householdId,
		});
		expect((await getConventionPage(t.db, owner.actor, project)).mine[0]!.confirmed).toBe(true);
	});

	it('a new version is public next to the old ones and counts again from zero; text is escaped', async () => {
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const { version } = await publishConvention(t.db, committee, {
			projectId: project.id,
			title: '居民公约（修订）',
			body: `## 五、养犬\n文明养犬。${xssBait}`,
			bodyEn: '',
		});
		expect(version).toBe(3);
		const page = await getConventionPage(t.db, null, project);
		expect(page.version!.version).toBe(3);
		expect(page.version!.bodyHtml).not.toContain('<script');
		expect(page.history.map((v) => v.version)).toEqual([3, 2, 1]);
		expect(page.counts.total.confirmed).toBe(0);
		const audit = await t.db
			.select({ action: s.auditLog.action })
			.from(s.auditLog)
			.where(
				and(
					eq(s.auditLog.action, 'convention.published'),
					eq(s.auditLog.targetId, String(project.id)),
				),
			);
		expect(audit.length).toBe(3);
	});
});
