import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { listRepairsForStaff } from '../../../src/lib/server/aftercare/queries.ts';
import { listAudit } from '../../../src/lib/server/audit/queries.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import {
	listProjectsForRounds,
	listRoundsForStaff,
} from '../../../src/lib/server/ballots/queries/rounds.ts';
import { listCompoundsForStaff } from '../../../src/lib/server/households/queries.ts';
import { answerSummary, listUnanswered } from '../../../src/lib/server/moderation/answers.ts';
import { blockAuthor } from '../../../src/lib/server/moderation/commands/block.ts';
import {
	listBlocks,
	listModeratedProjects,
	listOfflineVersions,
	listQueue,
} from '../../../src/lib/server/moderation/queries.ts';
import { postOpinion } from '../../../src/lib/server/opinions/commands.ts';
import { listProjectsForStaff } from '../../../src/lib/server/plans/queries.ts';
import { staffScope } from '../../../src/lib/server/policy/index.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { listProblemsForStaff } from '../../../src/lib/server/problems/queries.ts';
import { listProjectsForProgress } from '../../../src/lib/server/progress/queries.ts';
import { listEditableContacts } from '../../../src/lib/server/projects/community-contact.ts';
import { listForExport, listRosterCompounds } from '../../../src/lib/server/roster/queries.ts';
import { getStaffAlerts } from '../../../src/lib/server/staff/alerts.ts';
import { listStaffSurveys, listSurveyProjects } from '../../../src/lib/server/surveys/queries.ts';
import { createOpenRound } from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTemplateSurvey } from '../../factories/surveys.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, residentIn } from '../opinions/helpers.ts';

/**
 * One staff scope (issue 18): every staff list, read by every kind of staff member, shows
 * exactly the rows of their communities (committee, 居委会) or projects (officer) — and an
 * admin all of them. The demo's 梅岭社区 holds the projects hongyan and dujuan, 江滨社区 the
 * project jiangbin, 新南社区 chengguan. Each list has rows in 梅岭 and 江滨 at least, so a
 * moderator of one community not seeing the other's rows is asserted for every list.
 */
const who = ['admin', 'meiling', 'jiangbin', 'officer', 'both', 'nobody'] as const;
type Who = (typeof who)[number];
/** Expected keys per staff member; `ALL` stands for every key the database has for the list. */
const ALL = 'ALL';
type Row = { list: string; read: (a: StaffActor) => Promise<string[]>; see: Record<Who, string[]> };

const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort();

describe.each(drivers)('one staff scope on %s', (driver) => {
	let t: TestDatabase;
	const actors = {} as Record<Who, StaffActor>;
	const slugOf = new Map<number, string>();
	const slugByName = new Map<string, string>();
	let everything: Record<string, string[]> = {};

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const hongyan = await demoProject(t.db, 'hongyan');
		const dujuan = await demoProject(t.db, 'dujuan');
		const jiangbin = await demoProject(t.db, 'jiangbin');
		const chengguan = await demoProject(t.db, 'chengguan');
		for (const p of await t.db.select().from(s.projects)) {
			slugOf.set(p.id, p.slug);
			slugByName.set(p.name, p.slug);
		}

		actors.admin = await createStaffUser(t.db, { roles: ['admin'] });
		actors.meiling = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [hongyan.communityId],
		});
		actors.jiangbin = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [jiangbin.communityId],
		});
		actors.officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [hongyan.id] });
		actors.both = await createStaffUser(t.db, {
			roles: ['moderator', 'officer'],
			communityIds: [jiangbin.communityId],
			projectIds: [hongyan.id],
		});
		actors.nobody = await createStaffUser(t.db, { roles: ['moderator', 'officer'] });
		const admin = actors.admin;

		// Rounds closing within three days, nobody has answered yet (the staff home flags them).
		const closesAt = toChinaLocalInput(new Date(Date.now() + 36 * 3_600_000));
		for (const [slug, p] of [
			['dujuan', dujuan],
			['jiangbin', jiangbin],
		] as const)
			await createOpenRound(t.db, admin, { projectId: p.id, title: `round-${slug}`, closesAt });
		for (const [slug, p] of [
			['hongyan', hongyan],
			['jiangbin', jiangbin],
		] as const)
			await createTemplateSurvey(t.db, admin, { projectId: p.id, title: `survey-${slug}` });

		// Opinions: one held for pre-moderation and one published in each community, each
		// author blocked for a week.
		await t.db.update(s.projects).set({ moderation: 'pre' }).where(eq(s.projects.id, jiangbin.id));
		const jiangbinV = await createPlanVersion(t.db, { projectId: jiangbin.id });
		const [dujuanV] = await t.db
			.select()
			.from(s.planVersions)
			.where(sql`${s.planVersions.projectId} = ${dujuan.id} and ${s.planVersions.status} = 'open'`);
		for (const [p, version] of [
			[dujuan, dujuanV!.id],
			[jiangbin, jiangbinV.id],
		] as const) {
			const author = await residentIn(t.db, p.compoundIds[0]!);
			const held = await postOpinion(t.db, author, {
				planVersionId: version,
				alignment: 'neutral',
				body: '希望楼道加装扶手。',
			});
			expect(held.state).toBe('pending');
			const published = await createOpinionRow(t.db, {
				planVersionId: version,
				authorId: author.userId,
			});
			await blockAuthor(t.db, admin, { opinionId: published.id, days: 7, reason: '人身攻击' });
		}

		// Construction problems past their due date, and repair requests, written as rows.
		for (const p of [hongyan, jiangbin, chengguan])
			await t.db.insert(s.problemReports).values({
				projectId: p.id,
				body: '楼道管线破损，雨天漏水',
				status: 'dispatched',
				unit: 'construction',
				dispatchedAt: new Date('2019-12-20T02:00:00Z'),
				dueOn: '2020-01-01',
			});
		for (const p of [hongyan, jiangbin]) await createRepairRow(p.id);

		const keys = async (text: string) =>
			(await queryRows<{ k: string }>(t.db, sql.raw(text))).map((r) => r.k);
		everything = {
			projects: await keys('select slug as k from projects'),
			compounds: await keys('select name as k from compounds'),
			communities: await keys('select name as k from communities'),
			rosterCommunities: await keys(
				'select distinct c.name as k from households h join compounds co on co.id = h.compound_id join communities c on c.id = co.community_id where h.retired_at is null',
			),
			versions: await keys(
				"select distinct p.slug as k from plan_versions v join projects p on p.id = v.project_id where v.status <> 'draft'",
			),
			surveys: await keys('select title as k from surveys'),
		};
	});
	afterAll(async () => t?.close());

	/** A warranty item of an accepted, handed-over item and one repair request on it. */
	async function createRepairRow(projectId: number) {
		const [item] = await t.db.select({ id: s.renovationItems.id }).from(s.renovationItems).limit(1);
		const [progress] = await t.db
			.insert(s.itemProgress)
			.values({ projectId, itemId: item!.id, status: 'done', percent: 100 })
			.onConflictDoNothing()
			.returning({ id: s.itemProgress.id });
		const [acceptance] = await t.db
			.insert(s.acceptanceRecords)
			.values({
				projectId,
				heldOn: '2025-06-01',
				units: '区住建局',
				representatives: '3号楼 王阿姨',
				outcome: 'passed',
			})
			.returning({ id: s.acceptanceRecords.id });
		const [warranty] = await t.db
			.insert(s.warrantyItems)
			.values({
				projectId,
				acceptanceId: acceptance!.id,
				itemProgressId: progress!.id,
				contractor: '三明市建工集团',
				months: 24,
				startsOn: '2025-06-01',
				endsOn: '2027-06-01',
			})
			.returning({ id: s.warrantyItems.id });
		await t.db.insert(s.repairRequests).values({
			projectId,
			warrantyItemId: warranty!.id,
			category: 'leak',
			body: '顶楼渗水',
			party: 'contractor',
			dueOn: '2025-07-01',
		});
	}

	const slugs = (rows: { id: number }[]) => rows.map((r) => slugOf.get(r.id)!);
	const round = (titles: string[]) => titles.map((title) => title.replace(/^round-/, ''));

	const table: Row[] = [
		{
			list: 'rounds (/staff/rounds)',
			read: async (a) => round((await listRoundsForStaff(t.db, a)).map((r) => r.title)),
			see: {
				admin: ['dujuan', 'jiangbin'],
				meiling: ['dujuan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'projects to open a round for (/staff/rounds)',
			read: async (a) => slugs(await listProjectsForRounds(t.db, a)),
			see: {
				admin: [ALL],
				meiling: ['dujuan', 'hongyan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'plans (/staff/projects)',
			read: async (a) => slugs(await listProjectsForStaff(t.db, a)),
			see: {
				admin: [ALL],
				meiling: [],
				jiangbin: [],
				officer: ['hongyan'],
				both: ['hongyan'],
				nobody: [],
			},
		},
		{
			list: 'progress and meetings (/staff/progress)',
			read: async (a) => slugs(await listProjectsForProgress(t.db, a)),
			see: {
				admin: [ALL],
				meiling: ['dujuan', 'hongyan'],
				jiangbin: ['jiangbin'],
				officer: ['hongyan'],
				both: ['hongyan', 'jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'moderation queue, open (/staff/moderation)',
			read: async (a) =>
				(await listQueue(t.db, a, { status: 'open' })).items.map((o) => o.project.slug),
			see: {
				admin: ['dujuan', 'jiangbin'],
				meiling: ['dujuan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'moderation queue, all (/staff/moderation?status=all)',
			read: async (a) =>
				(await listQueue(t.db, a, { status: 'all' })).items.map((o) => o.project.slug),
			see: {
				admin: ['dujuan', 'jiangbin'],
				meiling: ['dujuan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'moderated projects (queue filter)',
			read: async (a) => slugs(await listModeratedProjects(t.db, a)),
			see: {
				admin: [ALL],
				meiling: ['dujuan', 'hongyan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'blocks (/staff/moderation/blocks)',
			read: async (a) => (await listBlocks(t.db, a)).map((b) => b.communityName),
			see: {
				admin: ['梅岭社区', '江滨社区'],
				meiling: ['梅岭社区'],
				jiangbin: ['江滨社区'],
				officer: [],
				both: ['江滨社区'],
				nobody: [],
			},
		},
		{
			list: 'plan versions for offline opinions (/staff/moderation/offline)',
			read: async (a) =>
				(await listOfflineVersions(t.db, a)).map((v) => slugByName.get(v.projectName)!),
			see: {
				admin: ['ALL:versions'],
				meiling: ['dujuan', 'hongyan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'unanswered opinions (/staff/moderation/unanswered)',
			read: async (a) => (await listUnanswered(t.db, a)).map((o) => o.projectSlug),
			see: {
				admin: ['dujuan', 'jiangbin'],
				meiling: ['dujuan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'answers per community (/staff/moderation/unanswered)',
			read: async (a) => (await answerSummary(t.db, a)).map((c) => c.name),
			see: {
				admin: ['梅岭社区', '江滨社区'],
				meiling: ['梅岭社区'],
				jiangbin: ['江滨社区'],
				officer: [],
				both: ['江滨社区'],
				nobody: [],
			},
		},
		{
			list: 'households (/staff/households)',
			read: async (a) => (await listCompoundsForStaff(t.db, a)).map((c) => c.name),
			see: {
				admin: ['ALL:compounds'],
				meiling: ['杜鹃新村', '红岩新村'],
				jiangbin: ['江滨花园'],
				officer: [],
				both: ['江滨花园'],
				nobody: [],
			},
		},
		{
			list: 'roster (/staff/roster)',
			read: async (a) => (await listRosterCompounds(t.db, a)).map((c) => c.name),
			see: {
				admin: ['ALL:compounds'],
				meiling: ['杜鹃新村', '红岩新村'],
				jiangbin: ['江滨花园'],
				officer: [],
				both: ['江滨花园'],
				nobody: [],
			},
		},
		{
			list: 'roster export (/staff/roster/export)',
			read: async (a) => (await listForExport(t.db, a, {})).map((h) => h.community),
			see: {
				admin: ['ALL:rosterCommunities'],
				meiling: ['梅岭社区'],
				jiangbin: ['江滨社区'],
				officer: [],
				both: ['江滨社区'],
				nobody: [],
			},
		},
		{
			list: 'surveys (/staff/surveys)',
			read: async (a) => (await listStaffSurveys(t.db, a)).map((x) => x.title),
			see: {
				admin: ['ALL:surveys'],
				meiling: ['survey-hongyan'],
				jiangbin: ['survey-jiangbin'],
				officer: [],
				both: ['survey-jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'projects to build a survey for (/staff/surveys)',
			read: async (a) => slugs(await listSurveyProjects(t.db, a)),
			see: {
				admin: [ALL],
				meiling: ['dujuan', 'hongyan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'construction problems (/staff/problems)',
			read: async (a) => (await listProblemsForStaff(t.db, a)).map((p) => p.projectSlug),
			see: {
				admin: ['chengguan', 'hongyan', 'jiangbin'],
				meiling: ['hongyan'],
				jiangbin: ['jiangbin'],
				officer: ['hongyan'],
				both: ['hongyan', 'jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'repair requests (/staff/repairs)',
			read: async (a) =>
				(await listRepairsForStaff(t.db, a, '2026-01-01')).map((r) => r.projectSlug),
			see: {
				admin: ['hongyan', 'jiangbin'],
				meiling: ['hongyan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'community contacts (/staff/community)',
			read: async (a) => (await listEditableContacts(t.db, a)).map((c) => c.name),
			see: {
				admin: ['ALL:communities'],
				meiling: ['梅岭社区'],
				jiangbin: ['江滨社区'],
				officer: [],
				both: ['江滨社区'],
				nobody: [],
			},
		},
		{
			list: 'staff home: rounds closing below target (/staff)',
			read: async (a) => round((await getStaffAlerts(t.db, a)).closingRounds.map((r) => r.title)),
			see: {
				admin: ['dujuan', 'jiangbin'],
				meiling: ['dujuan'],
				jiangbin: ['jiangbin'],
				officer: [],
				both: ['jiangbin'],
				nobody: [],
			},
		},
		{
			list: 'staff home: overdue problems (/staff)',
			read: async (a) => [String((await getStaffAlerts(t.db, a)).overdueProblems)],
			see: {
				admin: ['3'],
				meiling: ['1'],
				jiangbin: ['1'],
				officer: ['1'],
				both: ['2'],
				nobody: ['0'],
			},
		},
		{
			list: 'audit log (/staff/admin/audit)',
			read: async (a) => {
				const page = await listAudit(t.db, { scope: staffScope(a, 'audit.read') });
				return page.total > 0 ? ['entries'] : [];
			},
			see: {
				admin: ['entries'],
				meiling: [],
				jiangbin: [],
				officer: [],
				both: [],
				nobody: [],
			},
		},
	];

	const expected = (keys: string[]) =>
		sorted(
			keys.flatMap((k) =>
				k === ALL ? everything.projects! : k.startsWith('ALL:') ? everything[k.slice(4)]! : [k],
			),
		);

	for (const row of table) {
		it(`${row.list}: each staff member sees their own rows only`, async () => {
			const seen = {} as Record<Who, string[]>;
			for (const name of who) seen[name] = sorted(await row.read(actors[name]));
			const want = Object.fromEntries(who.map((name) => [name, expected(row.see[name])]));
			expect(seen).toEqual(want);
			// Not vacuous: an admin sees rows that a moderator of 梅岭 does not.
			expect(seen.admin).not.toEqual(seen.meiling);
		});
	}
});
