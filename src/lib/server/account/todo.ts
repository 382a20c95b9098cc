/**
 * "What do I do next?" for a signed-in resident (issue 19): the ballots and surveys open now for
 * their households with the deadline and whether each is done, their opinions with the
 * moderation state and the committee's answer, and their problem reports with their state.
 * Reads only; five small queries whatever the number of households.
 */
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	ballots,
	opinionAnswers,
	opinions,
	planVersions,
	problemReports,
	projects,
	roundHouseholds,
	rounds,
	surveyHouseholds,
	surveyResponses,
	surveys,
} from '../../../../db/schema/index.ts';
import type { Actor } from '../policy/index.ts';

export type TodoTask = {
	id: number;
	title: string;
	titleEn: string;
	projectName: string;
	projectNameEn: string;
	closesAt: Date;
	/** Every one of the resident's households in scope has voted / answered. */
	done: boolean;
};

export type TodoOpinion = {
	id: number;
	excerpt: string;
	state: 'pending' | 'published' | 'hidden' | 'rejected' | 'withdrawn';
	stateReason: string;
	disposition: 'adopted' | 'partly_adopted' | 'not_adopted' | 'noted' | null;
	answer: string;
	href: string;
	projectName: string;
	projectNameEn: string;
	createdAt: Date;
};

export type TodoProblem = {
	id: number;
	excerpt: string;
	status: 'open' | 'dispatched' | 'closed';
	href: string;
	projectName: string;
	projectNameEn: string;
	createdAt: Date;
};

export type HouseholdTodo = {
	rounds: TodoTask[];
	surveys: TodoTask[];
	opinions: TodoOpinion[];
	problems: TodoProblem[];
	/** Open ballots and surveys not yet done: the number the page leads with. */
	pending: number;
};

const MINE_SHOWN = 20;
const EXCERPT = 80;

const excerpt = (text: string) =>
	text.length > EXCERPT ? `${text.slice(0, EXCERPT).trimEnd()}…` : text;

async function openRounds(db: Executor, actor: Extract<Actor, { kind: 'resident' }>, now: Date) {
	const ids = actor.memberships.map((m) => m.householdId);
	if (ids.length === 0) return [];
	const rows = await db
		.select({
			id: rounds.id,
			title: rounds.title,
			titleEn: rounds.titleEn,
			consent: rounds.consent,
			closesAt: rounds.closesAt,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			householdId: roundHouseholds.householdId,
			voted: sql<boolean>`exists (select 1 from ${ballots} where ${ballots.roundId} = ${rounds.id} and ${ballots.householdId} = ${roundHouseholds.householdId})`,
		})
		.from(roundHouseholds)
		.innerJoin(rounds, eq(rounds.id, roundHouseholds.roundId))
		.innerJoin(projects, eq(projects.id, rounds.projectId))
		.where(
			and(
				inArray(roundHouseholds.householdId, ids),
				isNotNull(rounds.openedAt),
				lte(rounds.opensAt, now),
				gt(rounds.closesAt, now),
			),
		)
		.orderBy(rounds.closesAt, rounds.id);
	const mayVote = (householdId: number, consent: boolean) =>
		actor.memberships.some((m) => m.householdId === householdId && (!consent || m.mayConsent));
	return groupTasks(
		rows
			.filter((r) => mayVote(r.householdId, r.consent))
			.map((r) => ({ ...r, done: Boolean(r.voted) })),
	);
}

async function openSurveys(db: Executor, actor: Extract<Actor, { kind: 'resident' }>, now: Date) {
	const ids = actor.memberships.map((m) => m.householdId);
	if (ids.length === 0) return [];
	const rows = await db
		.select({
			id: surveys.id,
			title: surveys.title,
			titleEn: surveys.titleEn,
			mode: surveys.mode,
			closesAt: surveys.closesAt,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			householdId: surveyHouseholds.householdId,
		})
		.from(surveyHouseholds)
		.innerJoin(surveys, eq(surveys.id, surveyHouseholds.surveyId))
		.innerJoin(projects, eq(projects.id, surveys.projectId))
		.where(
			and(
				inArray(surveyHouseholds.householdId, ids),
				eq(surveys.status, 'open'),
				gt(surveys.closesAt, now),
			),
		)
		.orderBy(surveys.closesAt, surveys.id);
	if (rows.length === 0) return [];
	const keyOf = (r: (typeof rows)[number]) =>
		r.mode === 'household' ? `h:${r.householdId}` : `u:${actor.userId}`;
	const answered = await db
		.select({ surveyId: surveyResponses.surveyId, key: surveyResponses.respondentKey })
		.from(surveyResponses)
		.where(
			and(
				inArray(surveyResponses.surveyId, [...new Set(rows.map((r) => r.id))]),
				inArray(surveyResponses.respondentKey, [...new Set(rows.map(keyOf))]),
			),
		);
	const done = new Set(answered.map((a) => `${a.surveyId}/${a.key}`));
	return groupTasks(
		rows.map((r) => ({ ...r, closesAt: r.closesAt ?? now, done: done.has(`${r.id}/${keyOf(r)}`) })),
	);
}

/** One task per round or survey: done only when every household of mine in scope is done. */
function groupTasks(rows: (Omit<TodoTask, 'done'> & { done: boolean })[]): TodoTask[] {
	const byId = new Map<number, TodoTask>();
	for (const r of rows) {
		const seen = byId.get(r.id);
		if (seen) seen.done = seen.done && r.done;
		else
			byId.set(r.id, {
				id: r.id,
				title: r.title,
				titleEn: r.titleEn,
				projectName: r.projectName,
				projectNameEn: r.projectNameEn,
				closesAt: r.closesAt,
				done: r.done,
			});
	}
	return [...byId.values()];
}

async function myOpinions(db: Executor, userId: string): Promise<TodoOpinion[]> {
	const rows = await db
		.select({
			id: opinions.id,
			body: opinions.body,
			state: opinions.state,
			withdrawnAt: opinions.withdrawnAt,
			stateReason: opinions.stateReason,
			createdAt: opinions.createdAt,
			disposition: opinionAnswers.disposition,
			answer: opinionAnswers.body,
			slug: projects.slug,
			number: planVersions.number,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.leftJoin(opinionAnswers, eq(opinionAnswers.opinionId, opinions.id))
		.where(and(eq(opinions.authorId, userId), isNull(opinions.parentId)))
		.orderBy(desc(opinions.createdAt), desc(opinions.id))
		.limit(MINE_SHOWN);
	return rows.map((r) => ({
		id: r.id,
		excerpt: excerpt(r.body),
		state: r.withdrawnAt ? 'withdrawn' : r.state,
		stateReason: r.stateReason,
		disposition: r.disposition,
		answer: r.answer ?? '',
		href: `/p/${r.slug}/v/${r.number}#opinion-${r.id}`,
		projectName: r.projectName,
		projectNameEn: r.projectNameEn,
		createdAt: r.createdAt,
	}));
}

async function myProblems(db: Executor, userId: string): Promise<TodoProblem[]> {
	const rows = await db
		.select({
			id: problemReports.id,
			body: problemReports.body,
			status: problemReports.status,
			createdAt: problemReports.createdAt,
			slug: projects.slug,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
		})
		.from(problemReports)
		.innerJoin(projects, eq(projects.id, problemReports.projectId))
		.where(eq(problemReports.reporterId, userId))
		.orderBy(desc(problemReports.createdAt), desc(problemReports.id))
		.limit(MINE_SHOWN);
	return rows.map((r) => ({
		id: r.id,
		excerpt: excerpt(r.body),
		status: r.status,
		href: `/p/${r.slug}/problems/${r.id}`,
		projectName: r.projectName,
		projectNameEn: r.projectNameEn,
		createdAt: r.createdAt,
	}));
}

/**
 * The resident's to-do and their own contributions; empty for anyone else. Open tasks are the
 * households' (any bound household in scope), opinions and reports are the person's own.
 */
export async function getHouseholdTodo(
	db: Executor,
	actor: Actor | null,
	now = new Date(),
): Promise<HouseholdTodo> {
	if (actor?.kind !== 'resident') {
		return { rounds: [], surveys: [], opinions: [], problems: [], pending: 0 };
	}
	const [r, s, o, p] = await Promise.all([
		openRounds(db, actor, now),
		openSurveys(db, actor, now),
		myOpinions(db, actor.userId),
		myProblems(db, actor.userId),
	]);
	const pending = [...r, ...s].filter((task) => !task.done).length;
	return { rounds: r, surveys: s, opinions: o, problems: p, pending };
}
