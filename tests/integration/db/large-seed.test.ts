import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { compoundName, seedLarge, type LargeSeedResult } from '../../../db/seed/large.ts';
import { getProjectBySlug } from '../../../src/lib/server/projects/queries.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** The city-scale seed at a small scale: same SQL, 4 compounds of 500 households. */
describe.each(drivers)('large seed on %s', (driver) => {
	let t: TestDatabase;
	let result: LargeSeedResult;
	const count = async (query: ReturnType<typeof sql>) =>
		(await queryRows<{ n: number }>(t.db, query))[0]!.n;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		result = await seedLarge(t.db, { compounds: 4 });
	});
	afterAll(async () => t?.close());

	it('reports what it wrote, matching the database', async () => {
		expect(result).toEqual({
			skipped: false,
			communities: 1,
			compounds: 4,
			buildings: 40,
			units: 200,
			households: 2000,
			projects: 2,
			projectStages: 16,
		});
		expect(
			await count(sql`select count(*)::int as n from households h
			join compounds c on c.id = h.compound_id join communities cm on cm.id = c.community_id
			where cm.name like '%第_社区'`),
		).toBe(2000);
		expect(
			await count(sql`select count(*)::int as n from project_stages ps
			join projects p on p.id = ps.project_id where p.slug like 'city-%'`),
		).toBe(16);
	});

	it('keeps building and compound equal to the unit tree (the trigger columns)', async () => {
		const mismatched = await count(sql`select count(*)::int as n from households h
			join units u on u.id = h.unit_id join buildings b on b.id = u.building_id
			where h.building_id <> b.id or h.compound_id <> b.compound_id`);
		expect(mismatched).toBe(0);
	});

	it('writes plausible households: areas, owner keys, occupancy mix', async () => {
		const [row] = await queryRows<{
			min: string;
			max: string;
			scale: number;
			owners: number;
			kinds: number;
			short: number;
		}>(
			t.db,
			sql`select min(area_m2)::text as min, max(area_m2)::text as max, max(scale(area_m2))::int as scale,
			           count(distinct owner_key)::int as owners, count(distinct occupancy)::int as kinds,
			           count(*) filter (where length(owner_key) < 8)::int as short
			    from households h join compounds c on c.id = h.compound_id
			    where c.name in (${sql.join(
						[0, 1, 2, 3].map((i) => sql`${compoundName(i).name}`),
						sql`, `,
					)})`,
		);
		expect(Number(row!.min)).toBeGreaterThanOrEqual(40);
		expect(Number(row!.max)).toBeLessThanOrEqual(140);
		expect(row!.scale).toBe(2);
		expect(row!.short).toBe(0);
		expect(row!.kinds).toBe(3);
		// Some owners hold two flats, most one.
		expect(row!.owners).toBeLessThan(2000);
		expect(row!.owners).toBeGreaterThan(1900);
	});

	it('gives each project two compounds and the figures the pages show', async () => {
		const project = await getProjectBySlug(t.db, 'city-0001');
		expect(project?.compounds).toHaveLength(2);
		expect(project?.households).toBe(1000);
		expect(project?.stages.filter((s) => s.plannedStart !== null)).toHaveLength(8);
	});

	it('does nothing the second time', async () => {
		const again = await seedLarge(t.db, { compounds: 4 });
		expect(again.skipped).toBe(true);
		expect(await count(sql`select count(*)::int as n from projects where slug like 'city-%'`)).toBe(
			2,
		);
	});
});
