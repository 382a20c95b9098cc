import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { getProjectBySlug, listProjects } from '../../../src/lib/server/projects/queries.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)('project queries on %s (demo data)', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('lists every demo project with a project in each of the eight stages', async () => {
		const page = await listProjects(t.db);
		expect(page.total).toBe(8);
		expect(new Set(page.items.map((p) => p.stage)).size).toBe(8);
		expect(page.items.map((p) => p.year)).toEqual(
			[...page.items.map((p) => p.year)].sort((a, b) => b - a),
		);
	});

	it('filters by stage', async () => {
		const page = await listProjects(t.db, { stage: 'construction' });
		expect(page.items.map((p) => p.slug)).toEqual(['hongyan']);
	});

	it('computes scope figures equal to a direct count over the compounds', async () => {
		const project = await getProjectBySlug(t.db, 'baisha-fuxing');
		expect(project).not.toBeNull();
		const [expected] = await queryRows<{ households: number; buildings: number; area: string }>(
			t.db,
			sql`select count(*)::int as households, count(distinct h.building_id)::int as buildings,
			           sum(h.area_m2)::numeric(14,2)::text as area
			    from households h
			    join project_compounds pc on pc.compound_id = h.compound_id
			    join projects p on p.id = pc.project_id
			    where p.slug = 'baisha-fuxing' and h.retired_at is null`,
		);
		expect(project!.households).toBe(expected!.households);
		expect(project!.buildings).toBe(expected!.buildings);
		expect(project!.areaM2).toBe(expected!.area);
		expect(project!.compounds).toHaveLength(2);
		expect(project!.compounds.reduce((n, c) => n + c.households, 0)).toBe(expected!.households);
	});

	it('leaves retired households out of the figures', async () => {
		const before = await getProjectBySlug(t.db, 'liexi');
		await t.db.execute(sql`update households set retired_at = now()
			where id = (select min(h.id) from households h join compounds c on c.id = h.compound_id where c.name = '列西机关宿舍')`);
		const after = await getProjectBySlug(t.db, 'liexi');
		expect(after!.households).toBe(before!.households - 1);
	});

	it('returns the stage timeline with the current stage marked', async () => {
		const project = await getProjectBySlug(t.db, 'hongyan');
		expect(project!.stages).toHaveLength(8);
		expect(project!.stages.find((s) => s.status === 'current')?.stage).toBe('construction');
		expect(
			project!.stages.filter((s) => s.status === 'done').every((s) => s.actualEnd !== null),
		).toBe(true);
		expect(project!.community.name).toBe('梅岭社区');
	});

	it('returns null for an unknown slug', async () => {
		expect(await getProjectBySlug(t.db, 'no-such-project')).toBeNull();
	});

	it('models owners of several flats with one owner key', async () => {
		const [row] = await queryRows<{ shared: number }>(
			t.db,
			sql`select count(*)::int as shared from (select owner_key from households group by owner_key having count(*) > 1) x`,
		);
		expect(row!.shared).toBeGreaterThan(0);
	});
});
