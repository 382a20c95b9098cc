import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import { listRefusedItems } from '../../../src/lib/server/ballots/verdicts.ts';
import {
	getDistrictMenu,
	getProjectInsights,
	listInsightProjects,
} from '../../../src/lib/server/insights/index.ts';
import { answerOpinion } from '../../../src/lib/server/moderation/commands/answer.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { computeResults } from '../../../src/lib/server/surveys/compute.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow } from '../opinions/helpers.ts';

/**
 * What the committee learns (issue 24 item 4) on the demo with its activity: a project's
 * opinions grouped by item with frequent terms, and the renovation menu across the district,
 * each limited to the staff member's scope.
 */
describe.each(drivers)('what the committee learns on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let dujuanCommittee: StaffActor;
	let chengguanCommittee: StaffActor;
	let item: { plan_item_id: number; item_id: number; name: string };
	let ids: number[];
	const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
		queryRows<T>(t.db, query);
	const project = async (slug: string) =>
		(
			await rows<{ id: number; community_id: number }>(
				sql`select id, community_id from projects where slug = ${slug}`,
			)
		)[0]!;

	beforeAll(async () => {
		t = await createTestDatabase(driver);
		await seedDemo(t.db, { activity: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		const dujuan = await project('dujuan');
		dujuanCommittee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [dujuan.community_id],
		});
		chengguanCommittee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [(await project('chengguan')).community_id],
		});
		// An item of dujuan's open plan nobody has commented on yet: three objections about noise.
		const [found] = await rows<{ plan_item_id: number; item_id: number; name: string }>(
			sql`select pi.id as plan_item_id, i.id as item_id, i.name
			    from plan_items pi join plan_versions v on v.id = pi.plan_version_id
			    join renovation_items i on i.id = pi.item_id
			    where v.project_id = ${dujuan.id} and v.status = 'open'
			      and not exists (select 1 from opinions o where o.plan_item_id = pi.id)
			    order by pi.id limit 1`,
		);
		item = found!;
		const [version] = await rows<{ id: number }>(
			sql`select id from plan_versions where project_id = ${dujuan.id} and status = 'open'`,
		);
		ids = [];
		for (const body of ['施工噪音太大', '晚上施工噪音影响休息', '噪音问题要解决']) {
			const row = await createOpinionRow(t.db, {
				planVersionId: version!.id,
				planItemId: item.plan_item_id,
				alignment: 'object',
				body,
			});
			ids.push(row.id);
		}
		await answerOpinion(t.db, dujuanCommittee, {
			opinionId: ids[0]!,
			disposition: 'partly_adopted',
			body: '夜间不施工。',
		});
	});
	afterAll(async () => t?.close());

	it('groups a project’s opinions by item with its frequent terms and the unanswered ones', async () => {
		const view = (await getProjectInsights(t.db, dujuanCommittee, 'dujuan'))!;
		const group = view.groups.find((g) => g.itemId === item.item_id)!;
		expect([group.name, group.opinions, group.unanswered]).toEqual([item.name, 3, 2]);
		expect(group.terms).toEqual([
			{ term: '噪音', opinions: 3, unanswered: 2, unansweredIds: [ids[1], ids[2]] },
			{ term: '施工', opinions: 2, unanswered: 1, unansweredIds: [ids[1]] },
		]);
		expect(view.opinions).toBe(view.groups.reduce((n, g) => n + g.opinions, 0));
		const [counted] = await rows<{ total: number; waiting: number }>(
			sql`select count(*)::int as total,
			           count(*) filter (where not exists (select 1 from opinion_answers a where a.opinion_id = o.id))::int as waiting
			    from opinions o join plan_versions v on v.id = o.plan_version_id
			    join projects p on p.id = v.project_id
			    where p.slug = 'dujuan' and o.parent_id is null and o.state = 'published' and o.withdrawn_at is null`,
		);
		expect([view.opinions, view.unanswered]).toEqual([counted!.total, counted!.waiting]);
		const listed = await listInsightProjects(t.db, dujuanCommittee);
		expect(listed.map((p) => [p.slug, p.unanswered])).toContainEqual(['dujuan', counted!.waiting]);
	});

	it('shows a project only within the staff member’s scope', async () => {
		expect(await getProjectInsights(t.db, chengguanCommittee, 'dujuan')).toBeNull();
		expect(await getProjectInsights(t.db, admin, 'no-such-project')).toBeNull();
		expect(await getProjectInsights(t.db, admin, 'dujuan')).not.toBeNull();
		expect((await listInsightProjects(t.db, chengguanCommittee)).map((p) => p.slug)).not.toContain(
			'dujuan',
		);
	});

	it('counts per menu item the projects that refused it, as each project page does', async () => {
		const menu = await getDistrictMenu(t.db, admin);
		expect(menu).toHaveLength(36);
		const projects = await rows<{ id: number }>(sql`select id from projects order by id`);
		const refusals = new Map<number, number>();
		for (const p of projects) {
			for (const r of await listRefusedItems(t.db, p.id))
				refusals.set(r.itemId, (refusals.get(r.itemId) ?? 0) + 1);
		}
		expect(refusals.size).toBeGreaterThan(0);
		for (const entry of menu) {
			expect([entry.name, entry.refusedProjects]).toEqual([
				entry.name,
				refusals.get(entry.itemId) ?? 0,
			]);
			expect(entry.decidedProjects).toBeGreaterThanOrEqual(entry.refusedProjects);
		}
		const elevator = menu.find((m) => m.name === '多层住宅楼房增设电梯')!;
		expect(elevator.refusedProjects).toBeGreaterThanOrEqual(1);
		const elsewhere = await getDistrictMenu(t.db, chengguanCommittee);
		// hongyan, which refused the elevator, lies outside chengguan's committee.
		expect(elsewhere.find((m) => m.itemId === elevator.itemId)!.refusedProjects).toBeLessThan(
			elevator.refusedProjects,
		);
	});

	it('scores each item’s satisfaction as the survey results do, within scope', async () => {
		const [survey] = await rows<{ id: number }>(
			sql`select s.id from surveys s join projects p on p.id = s.project_id where p.slug = 'chengguan'`,
		);
		const info = (await loadSurvey(t.db, survey!.id))!;
		const results = await computeResults(t.db, info);
		const menu = await getDistrictMenu(t.db, chengguanCommittee);
		let compared = 0;
		for (const q of info.questions.filter((x) => x.role === 'item')) {
			const [planItem] = await rows<{ item_id: number }>(
				sql`select item_id from plan_items where id = ${q.planItemId}`,
			);
			const stats = results.questions.find((r) => r.id === q.id)!.stats;
			if (stats?.kind !== 'rating') continue;
			const entry = menu.find((m) => m.itemId === planItem!.item_id)!;
			expect([entry.satisfied, entry.rated]).toEqual([stats.satisfied.num, stats.satisfied.den]);
			compared += 1;
		}
		expect(compared).toBeGreaterThan(0);
		const dujuanMenu = await getDistrictMenu(t.db, dujuanCommittee);
		expect(dujuanMenu.every((m) => m.rated === 0)).toBe(true);
	});

	it('lists the most frequent terms of objections per item, within scope', async () => {
		const entry = (await getDistrictMenu(t.db, admin)).find((m) => m.itemId === item.item_id)!;
		expect(entry.objections).toBeGreaterThanOrEqual(3);
		expect(entry.objectionTerms).toContainEqual({ term: '噪音', count: 3 });
		const elsewhere = (await getDistrictMenu(t.db, chengguanCommittee)).find(
			(m) => m.itemId === item.item_id,
		)!;
		expect(elsewhere.objectionTerms.map((x) => x.term)).not.toContain('噪音');
	});
});
