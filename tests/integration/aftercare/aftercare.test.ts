import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import {
	answerRepair,
	getRepairForViewer,
	listAcceptedItems,
	listMyRepairs,
	listRepairsForStaff,
	disclosuresCsv,
	listDisclosures,
	listPropertyManagement,
	publishDisclosure,
	listWarranty,
	recordPropertyManagement,
	recordWarranty,
	repairStats,
	reportRepair,
} from '../../../src/lib/server/aftercare/index.ts';
import { addDays } from '../../../src/lib/server/aftercare/rules.ts';
import { recordAcceptance } from '../../../src/lib/server/progress/acceptance.ts';
import { postProgressUpdate } from '../../../src/lib/server/progress/commands.ts';
import { listItemProgress } from '../../../src/lib/server/progress/queries.ts';
import { chinaToday } from '../../../src/lib/server/progress/rules.ts';
import { buildPhoneJpeg } from '../../factories/images.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject, xssBait } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject } from '../opinions/helpers.ts';

const file = (bytes: Uint8Array) =>
	new File([bytes as Uint8Array<ArrayBuffer>], 'photo.jpg', { type: 'image/jpeg' });
const at = (iso: string) => new Date(`${iso}T10:00:00+08:00`);

describe.each(drivers)('long-term management (长效管理) on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	let heldOn: string;
	let officer: Awaited<ReturnType<typeof createStaffUser>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		// 红岩新村: two items done, the joint acceptance passed, the works handed over.
		project = await demoProject(t.db, 'hongyan');
		officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project.id] });
		const items = await listItemProgress(t.db, project.id);
		await postProgressUpdate(t.db, officer, {
			projectId: project.id,
			body: '屋面和管网完工',
			bodyEn: '',
			photos: [],
			items: items.slice(0, 2).map((i) => ({
				itemId: i.itemId,
				buildingId: i.buildingId,
				status: 'done',
				percent: 100,
				reason: '',
			})),
		});
		heldOn = chinaToday(new Date(Date.now() - 86_400_000));
		const first = items[0]!;
		const [row] = await t.db
			.select({ id: s.itemProgress.id })
			.from(s.itemProgress)
			.where(
				and(eq(s.itemProgress.projectId, project.id), eq(s.itemProgress.itemId, first.itemId)),
			);
		expect(
			(
				await reject(
					recordWarranty(t.db, officer, { itemProgressId: row!.id, contractor: 'x', months: 12 }),
				)
			).messageKey,
		).toBe('aftercare.noAcceptance');
		await recordAcceptance(t.db, officer, {
			projectId: project.id,
			heldOn,
			units: '区住建局\n施工单位',
			representatives: '3号楼 王阿姨',
			outcome: 'passed',
			notes: '',
			defects: '',
			scans: [],
		});
		await t.db
			.update(s.projects)
			.set({ stage: 'maintenance' })
			.where(eq(s.projects.id, project.id));
	});
	afterAll(async () => t?.close());

	const otherCommunity = async () =>
		(
			await t.db
				.select({ id: s.communities.id })
				.from(s.communities)
				.where(sql`${s.communities.id} <> ${project.communityId}`)
				.limit(1)
		)[0]!.id;
	const repairCount = async () =>
		(await t.db.select({ n: sql<number>`count(*)::int` }).from(s.repairRequests))[0]!.n;

	it('gives each accepted item a contractor and warranty; the ledger says what is covered', async () => {
		const accepted = await listAcceptedItems(t.db, project.id);
		expect(accepted?.heldOn).toBe(heldOn);
		expect(accepted!.items.length).toBeGreaterThanOrEqual(2);
		const [roof, pipes] = accepted!.items;
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [await otherCommunity()],
		});
		const input = {
			itemProgressId: roof!.itemProgressId,
			contractor: '三明市建工集团',
			months: 60,
		};
		expect((await reject(recordWarranty(t.db, moderator, input))).code).toBe('not_found');
		const roofWarranty = await recordWarranty(t.db, officer, input);
		await recordWarranty(t.db, officer, {
			itemProgressId: pipes!.itemProgressId,
			contractor: `管网公司 ${xssBait}`,
			months: 1,
		});
		// Correcting a warranty replaces it.
		const corrected = await recordWarranty(t.db, officer, { ...input, months: 24 });
		expect(corrected.id).toBe(roofWarranty.id);
		const ledger = await listWarranty(
			t.db,
			project.id,
			heldOn.replace(/^\d{4}/, (y) => `${+y + 1}`),
		);
		const roofRow = ledger.find((w) => w.id === roofWarranty.id)!;
		expect(roofRow).toMatchObject({
			contractor: '三明市建工集团',
			months: 24,
			underWarranty: true,
		});
		expect(ledger.find((w) => w.contractor.startsWith('管网公司'))!.underWarranty).toBe(false);
	});

	it('keeps the property-management record versioned and public; bad input changes nothing', async () => {
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const input = {
			projectId: project.id,
			model: 'enterprise' as const,
			manager: '城发物业',
			contractStart: heldOn,
			contractEnd: addDays(heldOn, 365),
			feePerSqm: '0.80',
			contact: '0598-8231166',
			note: xssBait,
		};
		expect((await reject(recordPropertyManagement(t.db, officer, input))).code).toBe('not_found');
		expect(
			(await reject(recordPropertyManagement(t.db, moderator, { ...input, contractEnd: heldOn })))
				.messageKey,
		).toBe('aftercare.contractInvalid');
		expect(await listPropertyManagement(t.db, project.id)).toEqual([]);
		await recordPropertyManagement(t.db, moderator, { ...input, manager: '临时物业' });
		await Promise.all([
			recordPropertyManagement(t.db, moderator, input),
			recordPropertyManagement(t.db, moderator, { ...input, feePerSqm: '0.75' }),
		]);
		const history = await listPropertyManagement(t.db, project.id);
		expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
		expect(history[0]!.manager).toBe('城发物业');
		expect(history[2]!.manager).toBe('临时物业');
	});

	it('routes a request to the contractor under warranty and the manager after, due by category', async () => {
		const resident = await createResident(t.db);
		const ledger = await listWarranty(t.db, project.id, heldOn);
		const roof = ledger.find((w) => w.months === 24)!;
		const pipes = ledger.find((w) => w.months === 1)!;
		const before = await repairCount();
		const input = {
			projectId: project.id,
			warrantyItemId: roof.id,
			category: 'leak' as const,
			body: `顶楼渗水 ${xssBait}`,
			unitLabel: '2单元',
			photos: [file(await buildPhoneJpeg({ width: 800, height: 600 }))],
		};
		expect((await reject(reportRepair(t.db, null, input))).code).toBe('unauthenticated');
		expect(
			(await reject(reportRepair(t.db, resident, { ...input, warrantyItemId: 999_999 })))
				.messageKey,
		).toBe('aftercare.itemInvalid');
		const liexi = await demoProject(t.db, 'liexi');
		expect(
			(await reject(reportRepair(t.db, resident, { ...input, projectId: liexi.id }))).code,
		).toBe('closed');
		expect(await repairCount()).toBe(before);

		const day = heldOn.replace(/^\d{4}/, (y) => `${+y + 1}`);
		const { id } = await reportRepair(t.db, resident, input, { now: at(day) });
		const view = await getRepairForViewer(t.db, resident, id, day);
		expect(view).toMatchObject({
			party: 'contractor',
			partyName: '三明市建工集团',
			status: 'open',
			unitLabel: '2单元',
			overdue: false,
		});
		expect(view!.photos).toHaveLength(1);
		const { id: late } = await reportRepair(
			t.db,
			resident,
			{ ...input, warrantyItemId: pipes.id, category: 'safety', photos: [] },
			{ now: at(day) },
		);
		const lateView = await getRepairForViewer(t.db, resident, late, day);
		expect(lateView).toMatchObject({ party: 'property_manager', partyName: '城发物业' });
		expect(lateView!.dueOn > day).toBe(true);

		// Someone else's request does not exist for another resident.
		expect(await getRepairForViewer(t.db, await createResident(t.db), id, day)).toBeNull();
		expect((await listMyRepairs(t.db, resident.userId, project.id, day)).map((r) => r.id)).toEqual([
			late,
			id,
		]);
	});

	it('staff answer and close; overdue is flagged and counted publicly', async () => {
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const stranger = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [await otherCommunity()],
		});
		const day = heldOn.replace(/^\d{4}/, (y) => `${+y + 1}`);
		const queue = await listRepairsForStaff(t.db, moderator, day);
		expect(queue.length).toBe(2);
		const [safety, leak] = queue; // earliest due first
		expect(safety!.category).toBe('safety');
		expect(await listRepairsForStaff(t.db, stranger, day)).toEqual([]);
		expect(
			(
				await reject(
					answerRepair(t.db, stranger, { requestId: leak!.id, answer: 'x', close: true }),
				)
			).code,
		).toBe('not_found');

		await answerRepair(t.db, moderator, {
			requestId: leak!.id,
			answer: '施工单位已安排周三上门',
			close: false,
		});
		await answerRepair(
			t.db,
			moderator,
			{ requestId: leak!.id, answer: '已重做防水层，雨后复查无渗漏', close: true },
			at(day),
		);
		expect(
			(
				await reject(
					answerRepair(t.db, moderator, { requestId: leak!.id, answer: 'x', close: true }),
				)
			).code,
		).toBe('conflict');

		// A week later the safety request (due the next day) is overdue.
		const later = addDays(day, 7);
		const flagged = await listRepairsForStaff(t.db, moderator, later);
		expect(flagged.find((r) => r.id === safety!.id)!.overdue).toBe(true);
		expect(flagged.find((r) => r.id === leak!.id)!.overdue).toBe(false);
		expect(await repairStats(t.db, project.id, later)).toEqual({
			opened: 2,
			closedInTime: 1,
			overdue: 1,
		});
		expect(await repairStats(t.db, project.id, day)).toEqual({
			opened: 2,
			closedInTime: 1,
			overdue: 0,
		});
		const [row] = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(s.auditLog)
			.where(
				and(eq(s.auditLog.targetType, 'repair_request'), eq(s.auditLog.targetId, String(leak!.id))),
			);
		expect(row!.n).toBe(2);
	});

	it('publishes money disclosures per compound, downloadable as CSV in both languages', async () => {
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const input = {
			projectId: project.id,
			compoundId: project.compoundIds[0]!,
			kind: 'shared_income' as const,
			periodStart: '2026-01-01',
			periodEnd: '2026-06-30',
			amountYuan: '12800.50',
			description: `=停车位租金, "广告" ${xssBait}`,
			attachment: [file(await buildPhoneJpeg({ width: 800, height: 1000 }))],
		};
		expect((await reject(publishDisclosure(t.db, officer, input))).code).toBe('not_found');
		expect(
			(await reject(publishDisclosure(t.db, moderator, { ...input, periodEnd: '2025-12-31' })))
				.messageKey,
		).toBe('aftercare.periodInvalid');
		expect(
			(await reject(publishDisclosure(t.db, moderator, { ...input, compoundId: 999_999 })))
				.messageKey,
		).toBe('aftercare.compoundInvalid');
		expect(await listDisclosures(t.db, project.id)).toEqual([]);
		await publishDisclosure(t.db, moderator, input);
		const [disclosure] = await listDisclosures(t.db, project.id);
		expect(disclosure).toMatchObject({ amountYuan: '12800.50', kind: 'shared_income' });
		expect(disclosure!.attachment).not.toBeNull();
		const zh = disclosuresCsv([disclosure!], 'zh-CN').split('\r\n');
		expect(zh[0]).toBe('\uFEFF小区,类别,期间开始,期间结束,金额（元）,说明');
		expect(zh[1]).toContain('公共收益（停车、广告等）,2026-01-01,2026-06-30,12800.50,');
		// The CSV writer defuses a leading formula and quotes the comma and quotes.
		expect(zh[1]).toContain(`"'=停车位租金, ""广告"" `);
		const en = disclosuresCsv([disclosure!], 'en').split('\r\n');
		expect(en[0]).toBe('\uFEFFCompound,Kind,Period start,Period end,Amount (yuan),Description');
		expect(en[1]).toContain('Shared income (parking, advertising)');
	});
});
