import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { generateSessionToken, sessionIdFromToken } from '../../src/lib/server/auth/secrets.ts';
import { projectRoot } from '../../src/build-if-needed.ts';

/**
 * What a load run works on, made directly in the database (as sign-in and binding would, but
 * for thousands of residents in a second): residents with a session each and an owner's
 * membership, the pages to read, plan versions open for comment, opinions to say "me too" to,
 * and — once ballots exist — an open round whose households the residents own.
 */
export type Resident = { userId: string; cookie: string; householdId: number };

export type LoadWorld = {
	runId: string;
	residents: Resident[];
	reads: { home: string[]; project: string[]; plan: string[]; results: string[] };
	openVersions: number[];
	reactionTargets: number[];
	/** Null until the ballots feature and an open round exist (then 5 % of the mix casts). */
	ballot: { roundId: number; itemIds: number[] } | null;
	/** An open household survey with a rating question, on the round's households, or null. */
	survey: { surveyId: number; questionId: number } | null;
};

/** Whether the ballots feature is in this build: its actions file and its rounds pages. */
export function ballotsAvailable(): boolean {
	return (
		existsSync(path.join(projectRoot, 'src', 'actions', 'ballots.ts')) &&
		existsSync(path.join(projectRoot, 'src', 'pages', 'rounds'))
	);
}

async function tableExists(sql: postgres.Sql, name: string): Promise<boolean> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from information_schema.tables
		where table_schema = 'public' and table_name = ${name}`;
	return row!.n > 0;
}

/** An open round with households and items, or null (hook: ballots not built or not seeded). */
async function openRound(
	sql: postgres.Sql,
): Promise<{ roundId: number; itemIds: number[] } | null> {
	if (!ballotsAvailable() || !(await tableExists(sql, 'round_households'))) return null;
	const [round] = await sql<{ id: number }[]>`
		select r.id from rounds r
		where r.opens_at <= now() and r.closes_at > now() and r.opened_at is not null
		  and exists (select 1 from round_households rh where rh.round_id = r.id)
		order by (select count(*) from round_households rh where rh.round_id = r.id) desc limit 1`;
	if (!round) return null;
	const items = await sql<{ id: number }[]>`
		select id from round_items where round_id = ${round.id} order by id`;
	return items.length ? { roundId: round.id, itemIds: items.map((i) => i.id) } : null;
}

/** A plan version open for comment now in a post-moderated project, made if there is none. */
async function openVersions(sql: postgres.Sql): Promise<number[]> {
	const open = await sql<{ id: number }[]>`
		select v.id from plan_versions v join projects p on p.id = v.project_id
		where v.status = 'open' and v.comment_opens_at <= now() and v.comment_closes_at > now()
		order by (p.moderation = 'post') desc, v.id limit 3`;
	if (open.length) return open.map((v) => v.id);
	const [project] = await sql<{ id: number }[]>`
		select id from projects where moderation = 'post' order by id limit 1`;
	const [made] = await sql<{ id: number }[]>`
		insert into plan_versions (project_id, number, title, status, comment_opens_at, comment_closes_at, published_at)
		values (${project!.id}, (select coalesce(max(number), 0) + 1 from plan_versions where project_id = ${project!.id}),
		        '负载测试方案', 'open', now() - interval '1 hour', now() + interval '30 days', now() - interval '1 hour')
		returning id`;
	return [made!.id];
}

/** Published opinions to react to in the open versions, written by one author if too few. */
async function reactionTargets(sql: postgres.Sql, versionIds: number[], runId: string) {
	const found = await sql<{ id: number }[]>`
		select id from opinions where plan_version_id in ${sql(versionIds)}
		  and state = 'published' and parent_id is null order by id desc limit 60`;
	if (found.length >= 30) return found.map((o) => o.id);
	const author = randomUUID();
	await sql`insert into users (id, kind, phone) values (${author}, 'resident', ${phoneFor(runId, 99_999)})`;
	const rows = Array.from({ length: 40 }, (_, i) => ({
		plan_version_id: versionIds[i % versionIds.length]!,
		author_id: author,
		alignment: 'support',
		body: `负载测试意见 ${runId} #${i}`,
		state: 'published',
	}));
	const made = await sql<{ id: number }[]>`insert into opinions ${sql(rows)} returning id`;
	return [...found.map((o) => o.id), ...made.map((o) => o.id)];
}

/** '+8615' + 4-digit run + 5-digit index: valid mainland numbers, unique per run. */
function phoneFor(runId: string, index: number): string {
	return `+8615${runId}${String(index).padStart(5, '0')}`;
}

/** Readable paths of the data set: home, projects, plan versions, round results. */
async function readPaths(sql: postgres.Sql, ballot: LoadWorld['ballot']) {
	const projects = await sql<{ slug: string }[]>`select slug from projects order by id`;
	const plans = await sql<{ slug: string; number: number }[]>`
		select p.slug, v.number from plan_versions v join projects p on p.id = v.project_id
		where v.status <> 'draft' order by v.id`;
	const results: string[] = [];
	if (ballot) {
		const compounds = await sql<{ id: number }[]>`
			select distinct k.id from round_households rh join households h on h.id = rh.household_id
			join units u on u.id = h.unit_id join buildings b on b.id = u.building_id
			join compounds k on k.id = b.compound_id where rh.round_id = ${ballot.roundId} limit 20`;
		results.push(`/rounds/${ballot.roundId}`, `/rounds/${ballot.roundId}/results`);
		for (const c of compounds) results.push(`/rounds/${ballot.roundId}/results?compound=${c.id}`);
	}
	return {
		home: ['/', '/en/'],
		project: projects.map((p) => `/p/${p.slug}`),
		plan: plans.map((p) => `/p/${p.slug}/v/${p.number}`),
		results,
	};
}

/** A 4-digit run number no earlier run's phone numbers use. */
async function freeRunId(sql: postgres.Sql): Promise<string> {
	for (;;) {
		const runId = String(randomBytes(2).readUInt16BE(0) % 10_000).padStart(4, '0');
		const [taken] = await sql<{ n: number }[]>`
			select count(*)::int as n from users where phone like ${`+8615${runId}%`}`;
		if (taken!.n === 0) return runId;
	}
}

/**
 * Creates `count` residents for this run (users, owner memberships of distinct households —
 * those of the open round when there is one — and sessions), and gathers the rest.
 */
export async function prepareWorld(sql: postgres.Sql, count: number): Promise<LoadWorld> {
	const runId = await freeRunId(sql);
	const ballot = await openRound(sql);
	const households = ballot
		? await sql<{ id: number }[]>`
				select rh.household_id as id from round_households rh
				where rh.round_id = ${ballot.roundId}
				  and not exists (select 1 from memberships m where m.household_id = rh.household_id and m.ended_at is null)
				order by hashint4(rh.household_id + ${Number(runId)}) limit ${count}`
		: await sql<{ id: number }[]>`
				select h.id from households h
				where not exists (select 1 from memberships m where m.household_id = h.id and m.ended_at is null)
				order by hashint4(h.id + ${Number(runId)}) limit ${count}`;
	const residents: Resident[] = [];
	const users = [];
	const memberships = [];
	const sessions = [];
	const expires = new Date(Date.now() + 7 * 24 * 3600 * 1000);
	for (const [i, household] of households.entries()) {
		const userId = randomUUID();
		const token = generateSessionToken();
		users.push({ id: userId, kind: 'resident', phone: phoneFor(runId, i) });
		memberships.push({ user_id: userId, household_id: household.id, relation: 'owner' });
		sessions.push({ id: sessionIdFromToken(token), user_id: userId, expires_at: expires });
		residents.push({ userId, cookie: `gj_session=${token}`, householdId: household.id });
	}
	for (let at = 0; at < users.length; at += 1000) {
		await sql`insert into users ${sql(users.slice(at, at + 1000))}`;
		await sql`insert into memberships ${sql(memberships.slice(at, at + 1000))}`;
		await sql`insert into sessions ${sql(sessions.slice(at, at + 1000))}`;
	}
	const versions = await openVersions(sql);
	const [survey] = ballot
		? await sql<{ surveyId: number; questionId: number }[]>`
				select s.id as "surveyId", q.id as "questionId" from surveys s
				join survey_questions q on q.survey_id = s.id and q.kind = 'rating'
				where s.status = 'open' and s.closes_at > now() and s.mode = 'household'
				  and s.project_id = (select project_id from rounds where id = ${ballot.roundId})
				order by s.id desc, q.id limit 1`
		: [];
	return {
		survey: survey ?? null,
		runId,
		residents,
		reads: await readPaths(sql, ballot),
		openVersions: versions,
		reactionTargets: await reactionTargets(sql, versions, runId),
		ballot,
	};
}
