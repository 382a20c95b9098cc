import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { getProjectBySlug } from '../../../src/lib/server/projects/queries.ts';
import {
	applyRoster,
	checkRoster,
	type CheckResult,
} from '../../../src/lib/server/roster/commands.ts';
import { exportRoster } from '../../../src/lib/server/roster/export.ts';
import { decodePayload } from '../../../src/lib/server/roster/payload.ts';
import { ownerKeyOf } from '../../../src/lib/server/roster/validate.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createResident, createStaffUser, demoPlaces } from '../../factories/people.ts';
import {
	encodeGbk,
	csvText,
	generatedRoster,
	rosterTable,
	utf8Csv,
	xlsxRoster,
	type RosterLine,
} from '../../factories/roster.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const SECRET = 'integration-owner-key-secret-0123456789';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('household roster import on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let jiangbinModerator: StaffActor;
	let admin: StaffActor;

	const place = { community: '梅岭社区', compound: '测试新村' };
	const check = (actor: StaffActor, bytes: Uint8Array) =>
		checkRoster(t.db, actor, { bytes, ownerKeySecret: SECRET });
	const apply = (actor: StaffActor, result: CheckResult) =>
		applyRoster(t.db, actor, {
			rows: decodePayload(result.payload),
			planHash: result.planHash,
			fileHash: result.fileHash,
		});
	const counts = async () =>
		(
			await queryRows<{
				households: number;
				current: number;
				compounds: number;
				buildings: number;
				units: number;
				audit: number;
				area: string;
			}>(
				t.db,
				sql`select (select count(*)::int from households) as households,
				           (select count(*)::int from households where retired_at is null) as current,
				           (select count(*)::int from compounds) as compounds,
				           (select count(*)::int from buildings) as buildings,
				           (select count(*)::int from units) as units,
				           (select count(*)::int from audit_log) as audit,
				           (select coalesce(sum(area_m2), 0)::text from households) as area`,
			)
		)[0]!;
	const householdsOf = (compound: string) =>
		queryRows<{
			id: number;
			building: string;
			unit: string;
			room: string;
			area: string;
			occupancy: string;
			owner_key: string;
			floor: number;
			retired: boolean;
		}>(
			t.db,
			sql`select h.id, b.number as building, u.number as unit, h.room, h.area_m2::text as area,
			           h.occupancy::text as occupancy, h.owner_key, h.floor, h.retired_at is not null as retired
			    from households h join units u on u.id = h.unit_id join buildings b on b.id = h.building_id
			    join compounds c on c.id = h.compound_id where c.name = ${compound}
			    order by b.number, u.number, h.room`,
		);

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const meiling = await demoPlaces(t.db, '梅岭社区');
		const jiangbin = await demoPlaces(t.db, '江滨社区');
		moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
		jiangbinModerator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [jiangbin.communityId],
		});
		admin = await createStaffUser(t.db, { roles: ['admin'] });
	});
	afterAll(async () => t?.close());

	it('dry run: lists every bad row with row, column and reason, and writes nothing', async () => {
		const before = await counts();
		const lines = generatedRoster(10, place);
		lines[2] = { ...lines[2]!, building: '' };
		lines[5] = { ...lines[5]!, area: '0' };
		lines[7] = { ...lines[7]!, room: lines[6]!.room! };
		const result = await check(moderator, utf8Csv(lines));
		expect(result.clean).toBe(false);
		expect(result.payload).toBe('');
		expect(result.errors).toEqual([
			{ row: 4, column: 'building', reason: 'roster.reason.required' },
			{ row: 7, column: 'area', reason: 'roster.reason.areaTooSmall' },
			{ row: 9, column: 'room', reason: 'roster.reason.duplicateRoom', params: { row: 8 } },
		]);
		expect(result.rows).toBe(10);
		expect(result.summary).toMatchObject({ created: 7, newCompounds: ['测试新村'] });
		expect(await counts()).toEqual(before);
	});

	it('applies a clean roster in one audited transaction', async () => {
		const before = await counts();
		const result = await check(moderator, utf8Csv(generatedRoster(30, place)));
		expect(result).toMatchObject({ clean: true, errorCount: 0, rows: 30 });
		expect(result.summary).toMatchObject({
			created: 30,
			changed: 0,
			newCompounds: ['测试新村'],
			newBuildings: 2,
			newUnits: 3,
		});
		const applied = await apply(moderator, result);
		expect(applied).toMatchObject({ applied: true, created: 30 });
		const after = await counts();
		expect(after.households - before.households).toBe(30);
		expect(after.compounds - before.compounds).toBe(1);
		expect(after.buildings - before.buildings).toBe(2);
		expect(after.audit - before.audit).toBe(1);
		const stored = await householdsOf('测试新村');
		expect(stored[0]).toMatchObject({ building: '1', unit: '1', room: '101', floor: 1 });
		// Owner keys are the keyed hash, never the certificate number.
		expect(stored.map((h) => h.owner_key)).toContain(ownerKeyOf(SECRET, 'CERT-000000'));
		expect(JSON.stringify(stored)).not.toContain('CERT-');
		const [entry] = await queryRows<{ action: string; details: Record<string, unknown> }>(
			t.db,
			sql`select action, details from audit_log order by id desc limit 1`,
		);
		expect(entry).toMatchObject({
			action: 'roster.imported',
			details: { created: 30, changed: 0, removed: 0, kept: 0 },
		});
		await sealAudit(t.db); // what every instance's sealer does after commit
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
	});

	it('is idempotent: the same file again plans nothing and writes nothing, not even an audit entry', async () => {
		const before = await counts();
		const result = await check(moderator, utf8Csv(generatedRoster(30, place)));
		expect(result.summary).toMatchObject({
			created: 0,
			changed: 0,
			unchanged: 30,
			removed: 0,
			kept: 0,
		});
		expect(await apply(moderator, result)).toMatchObject({ applied: false, unchanged: 30 });
		expect(await counts()).toEqual(before);
	});

	it('updates areas and occupancy, adds households, removes unused ones and keeps those in use', async () => {
		const [first, second, third] = await householdsOf('测试新村');
		const resident = await createResident(t.db);
		await t.db
			.insert(s.memberships)
			.values({ userId: resident.userId, householdId: second!.id, relation: 'owner' });
		await t.db.insert(s.householdCodes).values({
			householdId: third!.id,
			codeHash: randomUUID(),
			relation: 'owner',
			maxMembers: 3,
			issuedBy: moderator.userId,
		});
		// The new roster: first flat's area and occupancy change, flats 2–4 are gone, two are new.
		const lines = generatedRoster(30, place);
		lines[0] = { ...lines[0]!, area: '99.99', occupancy: '空置', ownerKey: '' };
		const next = [
			lines[0]!,
			...lines.slice(4),
			...generatedRoster(2, place, { firstBuilding: 7, ownerPrefix: 'NEW' }),
		];
		const before = await counts();
		const result = await check(moderator, utf8Csv(next));
		expect(result.clean).toBe(true);
		expect(result.summary).toMatchObject({
			created: 2,
			changed: 1,
			unchanged: 26,
			removed: 1,
			kept: 2,
		});
		expect(result.summary.changes[0]).toMatchObject({
			id: first!.id,
			fields: { area: [first!.area, '99.99'], occupancy: [first!.occupancy, 'vacant'] },
		});
		expect(result.summary.keptHouseholds.map((h) => h.id).sort()).toEqual(
			[second!.id, third!.id].sort(),
		);
		const applied = await apply(moderator, result);
		expect(applied).toMatchObject({ applied: true, created: 2, changed: 1, removed: 1, kept: 2 });
		const after = await counts();
		expect(after.households - before.households).toBe(2 - 1);
		const stored = await householdsOf('测试新村');
		expect(stored.find((h) => h.id === first!.id)).toMatchObject({
			area: '99.99',
			occupancy: 'vacant',
			owner_key: first!.owner_key,
		});
		expect(stored.map((h) => h.id)).toEqual(expect.arrayContaining([second!.id, third!.id]));
		// Importing it again: the kept households are still reported, nothing is written.
		const again = await check(moderator, utf8Csv(next));
		expect(again.summary).toMatchObject({ created: 0, changed: 0, removed: 0, kept: 2 });
		expect(await apply(moderator, again)).toMatchObject({ applied: false });
	});

	it('refuses rows outside the uploader scope, with the same message as an unknown community', async () => {
		const before = await counts();
		const lines = [
			...generatedRoster(2, { community: '江滨社区', compound: '江滨花园' }),
			...generatedRoster(1, { community: '不存在社区', compound: 'x' }),
		];
		const result = await check(moderator, utf8Csv(lines));
		expect(result.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
			[2, 'community', 'roster.reason.communityUnknown'],
			[3, 'community', 'roster.reason.communityUnknown'],
			[4, 'community', 'roster.reason.communityUnknown'],
		]);
		// A forged apply (rows for another community with a self-computed plan hash) is refused too.
		const ok = await check(
			jiangbinModerator,
			utf8Csv(generatedRoster(2, { community: '江滨社区', compound: '江滨新区' })),
		);
		expect(ok.clean).toBe(true);
		const error = await reject(apply(moderator, ok));
		expect(error.messageKey).toBe('roster.notClean');
		expect(await counts()).toEqual(before);
	});

	it('refuses to apply when the data changed after the dry run', async () => {
		const lines = generatedRoster(30, place);
		const result = await check(
			moderator,
			utf8Csv(
				[
					...lines.slice(0, 1),
					...lines.slice(4),
					...generatedRoster(2, place, { firstBuilding: 7, ownerPrefix: 'NEW' }),
				].map((l, i) => (i === 0 ? { ...l, area: '98.00', occupancy: '空置', ownerKey: '' } : l)),
			),
		);
		const [household] = await householdsOf('测试新村');
		await t.db
			.update(s.households)
			.set({ areaM2: '97.00' })
			.where(eq(s.households.id, household!.id));
		const before = await counts();
		const error = await reject(apply(moderator, result));
		expect([error.code, error.messageKey]).toEqual(['conflict', 'roster.changedSinceCheck']);
		expect(await counts()).toEqual(before);
	});

	it('refuses an apply of a different roster than the one checked (plan hash)', async () => {
		const checked = await check(moderator, utf8Csv(generatedRoster(30, place)));
		const error = await reject(
			applyRoster(t.db, moderator, {
				rows: decodePayload(checked.payload).slice(1),
				planHash: checked.planHash,
				fileHash: checked.fileHash,
			}),
		);
		expect(error.messageKey).toBe('roster.changedSinceCheck');
	});

	describe('all or nothing', () => {
		const faults = [
			[
				'at the end (the audit entry)',
				sql`before insert on audit_log for each row when (new.action = 'roster.imported')`,
			],
			[
				'in the middle (updating households, after compounds, buildings, units and households were inserted)',
				sql`before update on households for each row when (new.area_m2 = 77.77)`,
			],
		] as const;
		it.each(faults)('a fault %s leaves nothing behind', async (_name, when) => {
			await t.db.execute(
				sql`create or replace function roster_fault() returns trigger as $$ begin raise exception 'injected fault'; end $$ language plpgsql`,
			);
			await t.db.execute(
				sql`create trigger roster_fault_trg ${when} execute function roster_fault()`,
			);
			try {
				const lines = [
					...generatedRoster(30, place).map((l, i) =>
						i === 0 ? { ...l, area: '77.77', ownerKey: '' } : l,
					),
					...generatedRoster(40, { community: '梅岭社区', compound: '故障新村' }),
				];
				const result = await check(moderator, utf8Csv(lines));
				expect(result.clean).toBe(true);
				expect(result.summary.created).toBeGreaterThanOrEqual(40);
				const before = await counts();
				await expect(apply(moderator, result)).rejects.toThrow();
				expect(await counts()).toEqual(before);
				expect(await householdsOf('故障新村')).toEqual([]);
			} finally {
				await t.db.execute(sql`drop trigger if exists roster_fault_trg on audit_log`);
				await t.db.execute(sql`drop trigger if exists roster_fault_trg on households`);
			}
		});
	});

	it('round trip: export → import changes nothing (CSV and XLSX, Chinese and English headers)', async () => {
		for (const format of ['csv', 'xlsx'] as const) {
			for (const language of ['zh-CN', 'en'] as const) {
				const file = await exportRoster(t.db, moderator, { format, language });
				expect(file.rows).toBeGreaterThan(100);
				const result = await check(moderator, file.bytes);
				expect(result.clean, `${format} ${language}`).toBe(true);
				expect(result.summary).toMatchObject({
					created: 0,
					changed: 0,
					removed: 0,
					unchanged: file.rows,
				});
				const before = await counts();
				expect(await apply(moderator, result)).toMatchObject({ applied: false });
				expect(await counts()).toEqual(before);
			}
		}
	});

	it('an edited export adds households, and the project page counts them', async () => {
		const project = await getProjectBySlug(t.db, 'hongyan');
		const hongyan = await t.db
			.select({ id: s.compounds.id })
			.from(s.compounds)
			.where(eq(s.compounds.name, '红岩新村'));
		const file = await exportRoster(t.db, moderator, {
			format: 'csv',
			language: 'zh-CN',
			compoundId: hongyan[0]!.id,
		});
		const text = new TextDecoder().decode(file.bytes);
		const extra = csvText(
			rosterTable(
				generatedRoster(3, { community: '梅岭社区', compound: '红岩新村' }, { firstBuilding: 40 }),
			).slice(1),
		);
		const result = await check(moderator, new TextEncoder().encode(`${text}${extra}\r\n`));
		expect(result.summary).toMatchObject({ created: 3, changed: 0, removed: 0 });
		await apply(moderator, result);
		const after = await getProjectBySlug(t.db, 'hongyan');
		expect(after!.households).toBe(project!.households + 3);
	});

	it('reads GBK, UTF-8 with BOM and XLSX from the template identically', async () => {
		const lines: RosterLine[] = generatedRoster(5, {
			community: '梅岭社区',
			compound: '编码新村',
		}).map((l) => ({
			...l,
			building: `${l.building}号楼`,
			unit: `${l.unit}单元`,
			room: `${l.room}室`,
		}));
		const gbk = encodeGbk(csvText(rosterTable(lines)).replace('(m²)', ''));
		const results = await Promise.all([
			check(moderator, gbk),
			check(moderator, utf8Csv(lines, { bom: true })),
			check(moderator, xlsxRoster(lines)),
			check(moderator, xlsxRoster(lines, 'en')),
		]);
		expect(results.map((r) => [r.format, r.encoding])).toEqual([
			['csv', 'gb18030'],
			['csv', 'utf-8-bom'],
			['xlsx', null],
			['xlsx', null],
		]);
		expect(new Set(results.map((r) => r.planHash)).size).toBe(1);
		expect(results.every((r) => r.clean && r.summary.created === 5)).toBe(true);
	});

	it('lets an admin import into any community; formulas, 1 MB cells and empty files are refused', async () => {
		const lines = generatedRoster(3, { community: '江滨社区', compound: '管理员新村' });
		lines[1] = { ...lines[1]!, compound: '=HYPERLINK("http://evil","x")' };
		const result = await check(admin, utf8Csv(lines));
		expect(result.errors).toEqual([
			{ row: 3, column: 'compound', reason: 'roster.reason.formula' },
		]);
		const huge = await check(admin, utf8Csv([{ ...lines[0]!, room: '9'.repeat(1024 * 1024) }]));
		expect(huge.errors).toEqual([
			{ row: 2, column: 'room', reason: 'roster.reason.tooLong', params: { max: 200 } },
		]);
		expect((await reject(check(admin, utf8Csv([])))).messageKey).toBe('roster.file.noRows');
		const clean = await check(admin, utf8Csv([lines[0]!, lines[2]!]));
		expect(await apply(admin, clean)).toMatchObject({ applied: true, created: 2 });
	});

	it('refuses staff without a community scope and residents', async () => {
		const officer = await createStaffUser(t.db, { roles: ['officer'] });
		expect((await reject(check(officer, utf8Csv(generatedRoster(1, place))))).code).toBe(
			'forbidden',
		);
		expect(
			(await reject(checkRoster(t.db, null, { bytes: utf8Csv([]), ownerKeySecret: SECRET }))).code,
		).toBe('forbidden');
	});
});
