import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmpty, queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** The constraints live in the database, so they hold for scripts and other writers too. */
describe.each(drivers)('schema constraints on %s', (driver) => {
	let t: TestDatabase;
	let unitId: number;
	let buildingId: number;
	let compoundId: number;
	let communityId: number;

	beforeAll(async () => {
		t = await createTestDatabase(driver);
		const db = t.db;
		const [d] = await db
			.insert(s.districts)
			.values({ code: 'T1', name: '测试区', nameEn: 'Test' })
			.returning();
		const [sd] = await db
			.insert(s.subdistricts)
			.values({ districtId: d!.id, name: '测试街道', nameEn: 'Test St' })
			.returning();
		const [c] = await db
			.insert(s.communities)
			.values({ subdistrictId: sd!.id, name: '测试社区', nameEn: 'Test C' })
			.returning();
		const [cp] = await db
			.insert(s.compounds)
			.values({ communityId: c!.id, name: '测试小区', nameEn: 'Test Cp' })
			.returning();
		const [b] = await db
			.insert(s.buildings)
			.values({ compoundId: cp!.id, number: '3', floors: 6 })
			.returning();
		const [u] = await db.insert(s.units).values({ buildingId: b!.id, number: '1' }).returning();
		unitId = u!.id;
		buildingId = b!.id;
		compoundId = cp!.id;
		communityId = c!.id;
	});
	afterAll(async () => t?.close());

	const household = (overrides: Partial<typeof s.households.$inferInsert> = {}) => ({
		unitId,
		buildingId: 0,
		compoundId: 0,
		room: '101',
		floor: 1,
		areaM2: '65.40',
		ownerKey: 'k'.repeat(64),
		...overrides,
	});

	it('fills building and compound from the unit, whatever the writer passed', async () => {
		const [row] = await t.db
			.insert(s.households)
			.values(household({ room: '201', floor: 2 }))
			.returning();
		expect(row!.buildingId).toBe(buildingId);
		expect(row!.compoundId).toBe(compoundId);
		expect(row!.areaM2).toBe('65.40');
	});

	it.each([
		['area 0', { areaM2: '0' }],
		['area over 1000 m²', { areaM2: '1000.01' }],
		['a short owner key', { ownerKey: 'abc' }],
		['floor 500', { floor: 500 }],
	])('refuses a household with %s', async (_label, overrides) => {
		await expect(
			t.db.insert(s.households).values(household({ room: 'X1', ...overrides })),
		).rejects.toThrow();
	});

	it('refuses a second household with the same room in a unit', async () => {
		await t.db.insert(s.households).values(household({ room: '301', floor: 3 }));
		await expect(
			t.db.insert(s.households).values(household({ room: '301', floor: 3 })),
		).rejects.toThrow();
	});

	it('keeps area exact at 2 decimals (no float rounding)', async () => {
		await t.db
			.insert(s.households)
			.values([
				household({ room: '401', floor: 4, areaM2: '0.10' }),
				household({ room: '402', floor: 4, areaM2: '0.20' }),
			]);
		const rows = await queryRows<{ total: string }>(
			t.db,
			sql`select sum(area_m2)::text as total from households where room in ('401','402')`,
		);
		expect(rows[0]!.total).toBe('0.30');
	});

	it('refuses malformed phones and staff without usernames', async () => {
		await expect(
			t.db.insert(s.users).values({ id: 'u1', kind: 'resident', phone: '12345' }),
		).rejects.toThrow();
		await expect(t.db.insert(s.users).values({ id: 'u2', kind: 'staff' })).rejects.toThrow();
		await t.db.insert(s.users).values({ id: 'u3', kind: 'resident', phone: '+8613800138000' });
		await expect(
			t.db.insert(s.users).values({ id: 'u4', kind: 'resident', phone: '+8613800138000' }),
		).rejects.toThrow();
	});

	it('makes staff scopes name exactly one community or project', async () => {
		await t.db.insert(s.users).values({ id: 'staff1', kind: 'staff', username: 'meiling' });
		const [role] = await t.db
			.insert(s.staffRoles)
			.values({ userId: 'staff1', role: 'moderator' })
			.returning();
		await expect(t.db.insert(s.staffScopes).values({ staffRoleId: role!.id })).rejects.toThrow();
		await t.db.insert(s.staffScopes).values({ staffRoleId: role!.id, communityId });
		await expect(
			t.db.insert(s.staffScopes).values({ staffRoleId: role!.id, communityId }),
		).rejects.toThrow();
		const usernames = await t.db.select().from(s.users).where(eq(s.users.id, 'staff1'));
		expect(usernames).toHaveLength(1);
		await expect(
			t.db.insert(s.users).values({ id: 'staff2', kind: 'staff', username: 'MEILING' }),
		).rejects.toThrow();
	});

	it('refuses bad project slugs and stage dates that end before they start', async () => {
		await expect(
			t.db
				.insert(s.projects)
				.values({ slug: 'Bad Slug', communityId, name: 'x', nameEn: 'x', year: 2026 }),
		).rejects.toThrow();
		const [p] = await t.db
			.insert(s.projects)
			.values({ slug: 'ok-slug', communityId, name: 'x', nameEn: 'x', year: 2026 })
			.returning();
		await expect(
			t.db.insert(s.projectStages).values({
				projectId: p!.id,
				stage: 'design',
				plannedStart: '2026-05-01',
				plannedEnd: '2026-04-01',
			}),
		).rejects.toThrow();
	});

	it('is no longer empty once a district exists', async () => {
		expect(await isEmpty(t.db)).toBe(false);
	});
});
