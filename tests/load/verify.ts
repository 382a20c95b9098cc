import { existsSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { verifyAuditChain } from '../../src/lib/server/audit/verify.ts';
import { verifyTallies } from '../../src/lib/server/surveys/tallies.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
import type { Ack } from './mix.ts';
import type { LoadWorld } from './world.ts';

/**
 * After a run: every acknowledged write must be in the database (nothing the server said it
 * stored may be missing), and nothing may be half-written (counters equal to the rows they
 * count, ballot tallies equal to a recount, the audit chain intact).
 */
export type Verification = {
	acknowledged: Record<Ack['kind'], number>;
	lost: string[];
	/** Stored though never acknowledged (the answer was lost: a timeout or a killed server). */
	unacknowledged: number;
	problems: string[];
	auditEntries: number;
};

export async function verifyRun(
	sql: postgres.Sql,
	databaseUrl: string,
	world: LoadWorld,
	acks: Ack[],
): Promise<Verification> {
	const userIds = world.residents.map((r) => r.userId);
	const lost: string[] = [];
	const problems: string[] = [];
	const acknowledged = { opinion: 0, meToo: 0, ballot: 0, survey: 0 };
	for (const ack of acks) acknowledged[ack.kind] += 1;

	const stored = await sql<{ body: string }[]>`
		select body from opinions where body like ${`负载测试 ${world.runId}-%`}`;
	const markers = new Set(stored.map((o) => o.body.split('：')[0]!));
	const ackedMarkers = acks.flatMap((a) => (a.kind === 'opinion' ? [a.marker] : []));
	for (const marker of ackedMarkers) if (!markers.has(marker)) lost.push(`opinion ${marker}`);
	let unacknowledged = Math.max(0, markers.size - (ackedMarkers.length - lost.length));

	const reactions = await sql<{ opinion_id: number; user_id: string }[]>`
		select opinion_id, user_id from opinion_reactions where user_id = any(${userIds})`;
	const pairs = new Set(reactions.map((r) => `${r.user_id}:${r.opinion_id}`));
	// "Me too" toggles: a pair acknowledged an odd number of times must be stored, an even number
	// of times must not (the mix draws each pair once; this keeps the check true if it does not).
	const ackedTimes = new Map<string, number>();
	for (const a of acks)
		if (a.kind === 'meToo') {
			const pair = `${a.userId}:${a.opinionId}`;
			ackedTimes.set(pair, (ackedTimes.get(pair) ?? 0) + 1);
		}
	for (const [pair, times] of ackedTimes)
		if (times % 2 === 1 && !pairs.has(pair)) lost.push(`me too ${pair}`);
	for (const pair of pairs) if ((ackedTimes.get(pair) ?? 0) % 2 === 0) unacknowledged += 1;

	const counters = await sql<{ id: number; counted: number; stored: number }[]>`
		select o.id, o.me_too_count as stored,
		       (select count(*)::int from opinion_reactions r where r.opinion_id = o.id) as counted
		from opinions o where o.id = any(${world.reactionTargets})`;
	for (const c of counters)
		if (c.counted !== c.stored)
			problems.push(`opinion ${c.id}: me_too_count ${c.stored}, ${c.counted} reactions`);

	if (world.ballot) {
		const revisions = await sql<
			{ household_id: number; n: number; latest: number; current: number }[]
		>`
			select r.household_id, count(*)::int as n, max(r.revision)::int as latest,
			       (select b.revision from ballots b where b.round_id = r.round_id and b.household_id = r.household_id) as current
			from ballot_revisions r where r.round_id = ${world.ballot.roundId} and r.cast_by = any(${userIds})
			group by r.round_id, r.household_id`;
		const byHousehold = new Map(revisions.map((r) => [r.household_id, r]));
		const ackedCasts = new Map<number, number>();
		for (const a of acks)
			if (a.kind === 'ballot')
				ackedCasts.set(a.householdId, (ackedCasts.get(a.householdId) ?? 0) + 1);
		for (const [household, n] of ackedCasts) {
			const found = byHousehold.get(household)?.n ?? 0;
			if (found < n)
				lost.push(`ballot of household ${household}: ${n} acknowledged, ${found} stored`);
		}
		for (const r of revisions) {
			unacknowledged += Math.max(0, r.n - (ackedCasts.get(r.household_id) ?? 0));
			if (Number(r.current) !== r.latest)
				problems.push(
					`household ${r.household_id}: ballot at revision ${r.current}, latest revision row ${r.latest}`,
				);
		}
		problems.push(...(await recountRound(databaseUrl, world.ballot.roundId)));
	}

	if (world.survey) {
		const { surveyId } = world.survey;
		const answered = await sql<{ household_id: number }[]>`
			select household_id from survey_responses where survey_id = ${surveyId}`;
		const stored = new Set(answered.map((r) => r.household_id));
		for (const a of acks)
			if (a.kind === 'survey' && !stored.has(a.householdId))
				lost.push(`survey answer of household ${a.householdId}`);
		problems.push(...(await recountSurvey(databaseUrl, surveyId)));
	}

	const handle = await openDatabase({ databaseUrl, poolMax: 2 });
	let auditEntries = 0;
	try {
		const audit = await verifyAuditChain(handle.db);
		if (audit.ok) auditEntries = audit.entries;
		else
			problems.push(`audit chain broken at #${audit.firstBroken.id} (${audit.firstBroken.reason})`);
	} finally {
		await handle.close();
	}
	return { acknowledged, lost, unacknowledged, problems, auditEntries };
}

/** Tallies equal to a recount from the stored ballots (when the ballots module has one). */
async function recountRound(databaseUrl: string, roundId: number): Promise<string[]> {
	const recount = path.join(projectRoot, 'src', 'lib', 'server', 'ballots', 'recount.ts');
	const load = path.join(projectRoot, 'src', 'lib', 'server', 'ballots', 'load.ts');
	if (!existsSync(recount) || !existsSync(load)) return [];
	const { verifyRound } = (await import(recount)) as {
		verifyRound(db: unknown, round: unknown): Promise<{ problems: unknown[] }>;
	};
	const { loadRound } = (await import(load)) as {
		loadRound(db: unknown, id: number): Promise<unknown>;
	};
	const handle = await openDatabase({ databaseUrl, poolMax: 2 });
	try {
		const round = await loadRound(handle.db, roundId);
		if (!round) return [`round ${roundId} could not be loaded for the recount`];
		const result = await verifyRound(handle.db, round);
		return result.problems.length
			? [`round ${roundId}: tallies differ from a recount in ${result.problems.length} places`]
			: [];
	} finally {
		await handle.close();
	}
}

/** The survey's running tallies equal a recount from its stored answers. */
async function recountSurvey(databaseUrl: string, surveyId: number): Promise<string[]> {
	const handle = await openDatabase({ databaseUrl, poolMax: 2 });
	try {
		const { problems } = await verifyTallies(handle.db, surveyId);
		return problems.length
			? [`survey ${surveyId}: tallies differ from a recount in ${problems.length} places`]
			: [];
	} finally {
		await handle.close();
	}
}
