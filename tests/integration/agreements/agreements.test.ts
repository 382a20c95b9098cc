import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import {
	confirmAgreement,
	getAgreementPage,
	recordPaperAgreement,
} from '../../../src/lib/server/agreements/index.ts';
import { setMilestone } from '../../../src/lib/server/progress/commands.ts';
import { listMilestones } from '../../../src/lib/server/progress/queries.ts';
import { translate } from '../../../src/i18n/index.ts';
import { buildPhoneJpeg } from '../../factories/images.ts';
import { createStaffUser } from '../../factories/people.ts';
import { demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject, residentIn } from '../opinions/helpers.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor } from '../../../src/lib/server/policy/types.ts';

const photo = async () =>
	new File(
		[(await buildPhoneJpeg({ width: 800, height: 600 })) as Uint8Array<ArrayBuffer>],
		'p.jpg',
		{
			type: 'image/jpeg',
		},
	);

describe.each(drivers)('改造协议 (renovation agreements) on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	let buildingId: number;
	let buildingHouseholds: number[];
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		// 江滨花园 has a published final plan; give it an elevator for its first building that the
		// building's households pay for in part (加装电梯, split by area).
		project = await demoProject(t.db, 'jiangbin');
		const [final] = await t.db
			.select({ id: s.planVersions.id })
			.from(s.planVersions)
			.where(and(eq(s.planVersions.projectId, project.id), eq(s.planVersions.status, 'final')));
		const [building] = await t.db
			.select({ id: s.buildings.id })
			.from(s.buildings)
			.where(eq(s.buildings.compoundId, project.compoundIds[0]!))
			.orderBy(s.buildings.id)
			.limit(1);
		buildingId = building!.id;
		const [elevator] = await t.db
			.select({ id: s.renovationItems.id })
			.from(s.renovationItems)
			.where(eq(s.renovationItems.name, '多层住宅楼房增设电梯'));
		await t.db.insert(s.planItems).values({
			planVersionId: final!.id,
			itemId: elevator!.id,
			buildingId,
			costYuan: '600000.00',
			governmentYuan: '200000.00',
			residentYuan: '400000.00',
			split: 'area',
		});
		buildingHouseholds = (
			await t.db
				.select({ id: s.households.id })
				.from(s.households)
				.where(eq(s.households.buildingId, buildingId))
				.orderBy(s.households.id)
		).map((h) => h.id);
	}, 120_000);
	afterAll(async () => t?.close());

	/** An owner of the n-th household of the elevator's building. */
	async function ownerOf(n: number): Promise<ResidentActor> {
		const compoundOffset = (
			await t.db
				.select({ id: s.households.id })
				.from(s.households)
				.where(eq(s.households.compoundId, project.compoundIds[0]!))
				.orderBy(s.households.id)
		).findIndex((h) => h.id === buildingHouseholds[n]);
		return residentIn(t.db, project.compoundIds[0]!, compoundOffset);
	}

	it('shows an owner the items that concern the household and its share, and takes the confirmation once', async () => {
		const owner = await ownerOf(0);
		const householdId = buildingHouseholds[0]!;
		const before = await getAgreementPage(t.db, project.id, owner);
		const mine = before!.mine[0]!;
		expect(mine.items.map((i) => i.name)).toContain('多层住宅楼房增设电梯');
		expect(Number(mine.totalYuan)).toBeGreaterThan(0);
		expect(mine.agreed).toBeNull();
		const { shareYuan } = await confirmAgreement(t.db, owner, {
			projectId: project.id,
			householdId,
		});
		expect(shareYuan).toBe(mine.totalYuan);
		const after = await getAgreementPage(t.db, project.id, owner);
		expect(after!.agreed).toBe(before!.agreed + 1);
		expect(after!.mine[0]!.agreed?.channel).toBe('online');
		const again = await reject(
			confirmAgreement(t.db, owner, { projectId: project.id, householdId }),
		);
		expect(translate('zh-CN', again.messageKey)).toBe('这一户已经确认过改造协议了。');
		const [audit] = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'agreement.confirmed'));
		expect(audit!.n).toBe(1);
	});

	it('refuses a family member the owner did not authorise, and another household', async () => {
		const owner = await ownerOf(1);
		const householdId = buildingHouseholds[1]!;
		await t.db
			.update(s.memberships)
			.set({ relation: 'family' })
			.where(eq(s.memberships.userId, owner.userId));
		const family = (await loadActor(t.db, owner.userId, 'resident')) as ResidentActor;
		const refused = await reject(
			confirmAgreement(t.db, family, { projectId: project.id, householdId }),
		);
		expect(translate('en', refused.messageKey)).toBe(
			'Only an owner, or a member the owner authorised, can confirm the agreement.',
		);
		const other = await reject(
			confirmAgreement(t.db, family, {
				projectId: project.id,
				householdId: buildingHouseholds[2]!,
			}),
		);
		expect(other.code).toBe('not_found');
		// An owner, but the household is not in that project: nothing says whether it exists.
		const hongyan = await demoProject(t.db, 'hongyan');
		const owner2 = await ownerOf(2);
		const outside = await reject(
			confirmAgreement(t.db, owner2, {
				projectId: hongyan.id,
				householdId: buildingHouseholds[2]!,
			}),
		);
		expect(outside.code).toBe('not_found');
	});

	it('records a paper copy with a photo for the committee only; a project without a final plan refuses', async () => {
		const householdId = buildingHouseholds[3]!;
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const stranger = await createStaffUser(t.db, { roles: ['moderator'], communityIds: [] });
		const input = { projectId: project.id, householdId, photo: await photo() };
		expect((await reject(recordPaperAgreement(t.db, stranger, input))).code).toBe('not_found');
		const noPhoto = await reject(recordPaperAgreement(t.db, committee, { ...input, photo: null }));
		expect(translate('zh-CN', noPhoto.messageKey)).toBe('请上传签字页的照片。');
		await recordPaperAgreement(t.db, committee, input);
		const [row] = await t.db
			.select()
			.from(s.agreements)
			.where(eq(s.agreements.householdId, householdId));
		expect(row!.channel).toBe('paper');
		expect(row!.scanImageId).not.toBeNull();
		const dujuan = await demoProject(t.db, 'dujuan');
		const early = await reject(
			recordPaperAgreement(t.db, await createStaffUser(t.db, { roles: ['admin'] }), {
				...input,
				projectId: dujuan.id,
			}),
		);
		expect(translate('zh-CN', early.messageKey)).toBe('终版方案公示后才能确认改造协议。');
	});

	it('refuses to record the start of works until every paying household of the elevator agreed', async () => {
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project.id] });
		const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
		const start = {
			projectId: project.id,
			kind: 'works_started' as const,
			plannedOn: '',
			achievedOn: today,
		};
		const page = await getAgreementPage(t.db, project.id, null);
		const blocker = page!.blockers.find((b) => b.buildingNumber !== '')!;
		expect(blocker.paying).toBe(buildingHouseholds.length);
		expect(blocker.missing).toBe(buildingHouseholds.length - 2);
		const refused = await reject(setMilestone(t.db, officer, start));
		expect(translate('zh-CN', refused.messageKey, refused.params)).toContain(
			'还不能登记开工：以下楼栋项目还有出资住户未确认改造协议',
		);
		expect((await listMilestones(t.db, project.id))[0]!.achievedOn).toBeNull();
		// A planned date alone is not the start of works.
		await setMilestone(t.db, officer, { ...start, plannedOn: today, achievedOn: '' });
		const committee = await createStaffUser(t.db, { roles: ['admin'] });
		for (const householdId of buildingHouseholds) {
			if (
				(await t.db.select().from(s.agreements).where(eq(s.agreements.householdId, householdId)))
					.length
			)
				continue;
			await recordPaperAgreement(t.db, committee, {
				projectId: project.id,
				householdId,
				photo: await photo(),
			});
		}
		expect((await getAgreementPage(t.db, project.id, null))!.blockers).toEqual([]);
		await setMilestone(t.db, officer, start);
		expect((await listMilestones(t.db, project.id))[0]!.achievedOn).toBe(today);
	});
});
