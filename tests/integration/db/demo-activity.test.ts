import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, migrateDatabase, queryRows, type Db } from '../../../db/client.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import { listWarranty, repairStats } from '../../../src/lib/server/aftercare/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { listNotResponded } from '../../../src/lib/server/ballots/queries/follow-up.ts';
import {
	getCoverage,
	getPublishedResults,
} from '../../../src/lib/server/ballots/queries/results.ts';
import {
	getRoundForViewer,
	listProjectRounds,
} from '../../../src/lib/server/ballots/queries/rounds.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import { listRefusedItems } from '../../../src/lib/server/ballots/verdicts.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import { getProgressSummary } from '../../../src/lib/server/progress/queries.ts';
import { chinaToday } from '../../../src/lib/server/progress/rules.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * The demo's activity (db/seed/activity.ts, rounds.ts, progress.ts), as the app's first start
 * and `npm run db:seed` write it: opinions, replies, reactions, moderation and answers on the
 * open plans, consultation rounds with their ballots, construction progress — all through the
 * commands, so the rules and the audit hold.
 */
const rows = <T extends Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>) =>
	queryRows<T>(db, query);

/**
 * What a newcomer sees, as text: opinions, answers, reactions, ballots, progress (no ids, no
 * times).
 */
async function digest(db: Db): Promise<string> {
	const parts = await Promise.all([
		rows(
			db,
			sql`select v.number, o.body, o.alignment, o.state, o.channel, o.author_building,
			           o.me_too_count, p.body as parent, a.disposition, a.body as answer
			    from opinions o join plan_versions v on v.id = o.plan_version_id
			    left join opinions p on p.id = o.parent_id
			    left join opinion_answers a on a.opinion_id = o.id order by o.body`,
		),
		rows(
			db,
			sql`select r.title, b.number as building, u.number as unit, h.room, v.revision, v.channel,
			           v.overall, v.comment, v.counted, i.title as item, c.value as choice
			    from ballot_revisions v join rounds r on r.id = v.round_id
			    join households h on h.id = v.household_id join buildings b on b.id = h.building_id
			    join units u on u.id = h.unit_id
			    cross join lateral jsonb_each_text(v.choices) c
			    join round_items i on i.id = c.key::int
			    order by r.title, b.number, u.number, h.room, v.revision, i.sort`,
		),
		rows(
			db,
			sql`select r.title, s.snapshot->'items' as items, s.snapshot->'coverage' as coverage
			    from round_results s join rounds r on r.id = s.round_id order by r.title`,
		),
		rows(
			db,
			sql`select p.slug, r.code, i.status, i.percent, i.reason from item_progress i
			    join projects p on p.id = i.project_id join renovation_items r on r.id = i.item_id
			    order by p.slug, r.code`,
		),
		rows(
			db,
			sql`select p.slug, u.body, u.created_at::date::text as day from progress_updates u
			    join projects p on p.id = u.project_id order by p.slug, u.created_at`,
		),
		rows(
			db,
			sql`select p.slug, m.kind, m.planned_on::text, m.achieved_on::text from milestones m
			    join projects p on p.id = m.project_id order by p.slug, m.kind`,
		),
	]);
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

describe.each(drivers)('demo activity on %s', (driver) => {
	let t: TestDatabase;
	let seconds = 0;
	const count = async (query: ReturnType<typeof sql>) =>
		(await rows<{ n: number }>(t.db, query))[0]!.n;
	const project = async (slug: string) =>
		(await rows<{ id: number }>(t.db, sql`select id from projects where slug = ${slug}`))[0]!.id;

	beforeAll(async () => {
		t = await createTestDatabase(driver);
		const started = performance.now();
		await seedDemo(t.db, { activity: true });
		seconds = (performance.now() - started) / 1000;
	});
	afterAll(async () => t?.close());

	it('stays fast', () => {
		expect(seconds).toBeLessThan(30);
	});

	it('makes only the accounts the activity is by, without a password, when none is given', async () => {
		const staff = await rows<{ username: string; hash: string | null }>(
			t.db,
			sql`select username, password_hash as hash from users where kind = 'staff' order by username`,
		);
		expect(staff).toEqual([
			{ username: 'baisha', hash: null },
			{ username: 'chengguan', hash: null },
			{ username: 'chonggui', hash: null },
			{ username: 'meiling', hash: null },
			{ username: 'officer', hash: null },
		]);
	});

	it('leaves pre-moderated opinions in the committee queue and publishes the rest', async () => {
		const states = await rows<{ slug: string; state: string; parent: boolean; n: number }>(
			t.db,
			sql`select p.slug, o.state::text, o.parent_id is not null as parent, count(*)::int as n
			    from opinions o join plan_versions v on v.id = o.plan_version_id
			    join projects p on p.id = v.project_id
			    group by 1, 2, 3 order by 1, 2, 3`,
		);
		expect(states).toEqual([
			{ slug: 'chonggui', state: 'published', parent: false, n: 3 },
			{ slug: 'chonggui', state: 'published', parent: true, n: 2 },
			{ slug: 'dujuan', state: 'pending', parent: false, n: 2 },
			{ slug: 'dujuan', state: 'pending', parent: true, n: 1 },
			{ slug: 'dujuan', state: 'published', parent: false, n: 6 },
			{ slug: 'dujuan', state: 'published', parent: true, n: 2 },
		]);
		expect(
			await count(sql`select count(*)::int as n from moderation_flags where resolved_at is null`),
		).toBe(3);
		expect(
			await count(sql`select count(*)::int as n from opinions where channel = 'meeting'`),
		).toBe(1);
	});

	it('answers 杜鹃新村 opinions with every kind of disposition, one still awaiting its answer', async () => {
		const answers = await rows<{ disposition: string; n: number }>(
			t.db,
			sql`select disposition::text, count(*)::int as n from opinion_answers group by 1 order by 1`,
		);
		expect(answers).toEqual([
			{ disposition: 'adopted', n: 3 },
			{ disposition: 'not_adopted', n: 1 },
			{ disposition: 'partly_adopted', n: 1 },
		]);
		const unanswered = await count(sql`select count(*)::int as n from opinions o
			join plan_versions v on v.id = o.plan_version_id join projects p on p.id = v.project_id
			where p.slug = 'dujuan' and o.state = 'published' and o.parent_id is null
			  and not exists (select 1 from opinion_answers a where a.opinion_id = o.id)`);
		expect(unanswered).toBe(1);
		// Authors hear of approvals and answers.
		expect(
			await count(
				sql`select count(*)::int as n from notifications where kind = 'opinion.answered'`,
			),
		).toBe(4);
	});

	it('keeps "me too" counts equal to the reactions', async () => {
		expect(await count(sql`select count(*)::int as n from opinion_reactions`)).toBe(18);
		expect(
			await count(sql`select count(*)::int as n from opinions o
				where o.me_too_count <> (select count(*) from opinion_reactions r where r.opinion_id = o.id)`),
		).toBe(0);
	});

	it('shows 红岩新村 under construction and 城关新苑 finished and accepted', async () => {
		const hongyan = await getProgressSummary(t.db, await project('hongyan'));
		expect(hongyan.overall).toBe(53);
		expect(hongyan.items.find((i) => i.code === 'P08')).toMatchObject({
			status: 'dropped',
			reason: expect.stringContaining('消防通道'),
		});
		expect(hongyan.milestones.map((m) => [m.kind, m.achievedOn !== null])).toEqual([
			['works_started', true],
			['works_completed', false],
			['joint_acceptance', false],
		]);
		const chengguan = await getProgressSummary(t.db, await project('chengguan'));
		expect(chengguan.overall).toBe(100);
		expect(chengguan.milestones.every((m) => m.achievedOn !== null)).toBe(true);
		expect(
			await count(
				sql`select count(*)::int as n from acceptance_defects where fixed_on is not null`,
			),
		).toBe(1);
		// Weekly updates on their own days, newest first.
		const days = await rows<{ slug: string; n: number; days: number }>(
			t.db,
			sql`select p.slug, count(*)::int as n, count(distinct u.created_at::date)::int as days
			    from progress_updates u join projects p on p.id = u.project_id group by 1 order by 1`,
		);
		expect(days).toEqual([
			{ slug: 'baisha-fuxing', n: 1, days: 1 },
			{ slug: 'chengguan', n: 3, days: 3 },
			{ slug: 'hongyan', n: 3, days: 3 },
		]);
		// Followers of 红岩新村 (its residents, as binding makes them) heard that works started.
		expect(
			await count(
				sql`select count(*)::int as n from notifications where kind = 'progress.milestone'`,
			),
		).toBe(2);
	});

	it('shows 白沙、富兴堡 in long-term management: warranties and a repair request in each state', async () => {
		const id = await project('baisha-fuxing');
		const today = chinaToday(new Date());
		const ledger = await listWarranty(t.db, id, today);
		expect(ledger.map((w) => [w.itemName, w.months, w.underWarranty])).toEqual([
			['屋面渗漏修缮', 60, true],
			['楼道照明系统', 12, false],
			['雨污管网', 24, true],
		]);
		const states = await rows<{ status: string; party: string; n: number }>(
			t.db,
			sql`select status::text, party::text, count(*)::int as n from repair_requests
			    group by 1, 2 order by 1, 2`,
		);
		expect(states).toEqual([
			{ status: 'closed', party: 'contractor', n: 1 },
			{ status: 'in_progress', party: 'contractor', n: 1 },
			{ status: 'open', party: 'contractor', n: 1 },
			{ status: 'open', party: 'property_manager', n: 1 },
		]);
		expect(await repairStats(t.db, id, today)).toEqual({ opened: 4, closedInTime: 1, overdue: 1 });
	});

	const roundOf = async (slug: string) => {
		const [listed, ...others] = await listProjectRounds(t.db, await project(slug));
		expect(others).toEqual([]);
		return { listed: listed!, round: (await loadRound(t.db, listed!.id))! };
	};

	it("keeps 杜鹃新村's opinion round open, tallies public, coverage short of 2/3", async () => {
		const { listed, round } = await roundOf('dujuan');
		expect(listed).toMatchObject({ kind: 'plan_opinion', phase: 'open', published: false });
		expect(round).toMatchObject({ talliesPublic: true, target: { num: 2, den: 3 } });
		const ballots = await rows<{ channel: string; revised: boolean; n: number }>(
			t.db,
			sql`select channel::text, revision > 1 as revised, count(*)::int as n from ballots
			    where round_id = ${round.id} group by 1, 2 order by 1, 2`,
		);
		expect(ballots).toEqual([
			{ channel: 'online', revised: false, n: 5 },
			{ channel: 'online', revised: true, n: 2 },
			{ channel: 'paper', revised: false, n: 1 },
		]);
		// The paper form: its photo, entered by the 梅岭社区 committee.
		const [paper] = await rows<{ username: string; photo: boolean }>(
			t.db,
			sql`select u.username, b.photo_image_id is not null as photo from ballots b
			    join users u on u.id = b.entered_by where b.round_id = ${round.id}`,
		);
		expect(paper).toEqual({ username: 'meiling', photo: true });
		const coverage = await getCoverage(t.db, round);
		expect(coverage).toMatchObject({ responded: 8, met: false });
		expect(coverage.households).toBeGreaterThan(12); // 8 is below 2/3 of them
		const [meiling] = await rows<{ id: string }>(
			t.db,
			sql`select id from users where username = 'meiling'`,
		);
		const committee = await loadActor(t.db, meiling!.id, 'staff');
		const visits = await listNotResponded(t.db, committee, round);
		expect(visits).toHaveLength(coverage.households - 8);
	});

	it("publishes 红岩新村's elevator decision: unit 1 agrees, unit 2 falls short of ¾", async () => {
		const { listed, round } = await roundOf('hongyan');
		expect(listed).toMatchObject({ kind: 'special', phase: 'closed', published: true });
		expect(round).toMatchObject({ consent: true, talliesPublic: false });
		expect((await getRoundForViewer(t.db, null, round.id))?.published).toBe(true);
		const published = await getPublishedResults(t.db, round.id);
		const [item] = published!.view.items;
		expect(item).toMatchObject({ rule: 'civil_code_three_quarters', decisionScope: 'unit' });
		expect(item!.decisions.map((d) => [d.name, d.verdict])).toEqual([
			['红岩新村 2号楼1单元', 'approved'],
			['红岩新村 2号楼2单元', 'rejected'],
		]);
		// The published numbers are what a recount of the stored ballots gives.
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.published).toMatchObject({ version: 1, matches: true });
		expect(verification.ballots).toBe(23);
		const refused = await listRefusedItems(t.db, await project('hongyan'));
		expect(refused.map((i) => i.name)).toEqual(['多层住宅楼房增设电梯']);
	});

	it('audits every staff action in an intact chain', async () => {
		const audit = await verifyAuditChain(t.db);
		expect(audit.ok).toBe(true);
		const actions = await rows<{ action: string; n: number }>(
			t.db,
			sql`select action, count(*)::int as n from audit_log group by 1 order by 1`,
		);
		expect(Object.fromEntries(actions.map((a) => [a.action, a.n]))).toMatchObject({
			'opinion.approved': 7,
			'opinion.answered': 5,
			'progress.update_posted': 7,
			'progress.milestone_set': 5,
			'progress.acceptance_recorded': 2,
			'warranty.recorded': 3,
			'repair.answered': 1,
			'repair.closed': 1,
			'property.recorded': 2,
			// 白沙's shared income and 杜鹃新村's maintenance-fund use (issue 22).
			'disclosure.published': 2,
			'progress.defect_fixed': 1,
			// 杜鹃新村's opinion round, 红岩新村's elevator, 崇桂新村's round with a choice of design.
			'round.created': 3,
			'round.opened': 3,
			'round.closed': 1,
			'round.results_published': 1,
			'ballot.cast': 10,
			'ballot.paper_entered': 23,
		});
	});

	it.runIf(driver === 'pglite')('is deterministic: a second seed shows the same', async () => {
		const other = await openDatabase({ pgliteDir: null });
		try {
			await migrateDatabase(other);
			await seedDemo(other.db, { activity: true });
			expect(await digest(other.db)).toBe(await digest(t.db));
		} finally {
			await other.close();
		}
	});
});
