import type { LoadWorld, Resident } from './world.ts';

/**
 * The request mix (issue 9): 80 % page reads (home, project, plan, results), 15 % opinions and
 * reactions, 5 % ballot revisions (and 3 % survey answers where the data set has an open survey,
 * rescaled). A table: add a row to load another route. A row whose data
 * is missing (no round yet: the ballot hook) gives its share to the others, and says so.
 */
export type Ack =
	| { kind: 'opinion'; marker: string; userId: string }
	| { kind: 'meToo'; userId: string; opinionId: number }
	| { kind: 'ballot'; userId: string; householdId: number; roundId: number }
	| { kind: 'survey'; userId: string; householdId: number; surveyId: number };

export type LoadRequest = {
	method: 'GET' | 'POST';
	path: string;
	cookie: string | null;
	form?: URLSearchParams;
	/** What a 2xx answer acknowledges, to be found in the database afterwards. */
	ack?: Ack;
};

export type MixRow = {
	name: string;
	/** Share of all requests, in percent. */
	share: number;
	write: boolean;
	available(world: LoadWorld): boolean;
	build(world: LoadWorld, state: MixState): LoadRequest;
};

/** Per-run counters: unique opinion markers, and (resident, opinion) pairs used once each. */
export type MixState = { seq: number; reacted: Set<string> };

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
/** Half the reads come from signed-in residents (no page cache), half from visitors. */
const reader = (world: LoadWorld) => (Math.random() < 0.5 ? pick(world.residents).cookie : null);
const read =
	(paths: (w: LoadWorld) => string[]) =>
	(world: LoadWorld): LoadRequest => ({
		method: 'GET',
		path: pick(paths(world)),
		cookie: reader(world),
	});

function meToo(world: LoadWorld, state: MixState): LoadRequest {
	let resident: Resident = pick(world.residents);
	let opinionId = pick(world.reactionTargets);
	for (let tries = 0; tries < 20 && state.reacted.has(`${resident.userId}:${opinionId}`); tries++) {
		resident = pick(world.residents);
		opinionId = pick(world.reactionTargets);
	}
	state.reacted.add(`${resident.userId}:${opinionId}`);
	return {
		method: 'POST',
		path: '/_actions/opinions.meToo',
		cookie: resident.cookie,
		form: new URLSearchParams({ opinionId: String(opinionId) }),
		ack: { kind: 'meToo', userId: resident.userId, opinionId },
	};
}

function opinion(world: LoadWorld, state: MixState): LoadRequest {
	const resident = pick(world.residents);
	const marker = `负载测试 ${world.runId}-${++state.seq}`;
	return {
		method: 'POST',
		path: '/_actions/opinions.post',
		cookie: resident.cookie,
		form: new URLSearchParams({
			planVersionId: String(pick(world.openVersions)),
			alignment: pick(['support', 'object', 'neutral']),
			body: `${marker}：楼道照明希望改成声控灯，晚上回家更安全。`,
		}),
		ack: { kind: 'opinion', marker, userId: resident.userId },
	};
}

/**
 * The ballot hook: a revision of the resident's household ballot (every choice redrawn). Active
 * when src/actions/ballots.ts and the rounds pages exist and the data set has an open round.
 */
function ballot(world: LoadWorld): LoadRequest {
	const resident = pick(world.residents);
	const { roundId, itemIds } = world.ballot!;
	const form = new URLSearchParams({
		roundId: String(roundId),
		householdId: String(resident.householdId),
	});
	for (const id of itemIds) form.set(`choices.${id}`, pick(['agree', 'disagree', 'abstain']));
	return {
		method: 'POST',
		path: '/_actions/ballots.cast',
		cookie: resident.cookie,
		form,
		ack: { kind: 'ballot', userId: resident.userId, householdId: resident.householdId, roundId },
	};
}

/** A household's survey answer (a rating from 1 to 5), when the data set has an open survey. */
function surveyAnswer(world: LoadWorld): LoadRequest {
	const resident = pick(world.residents);
	const { surveyId, questionId } = world.survey!;
	return {
		method: 'POST',
		path: '/_actions/surveys.respond',
		cookie: resident.cookie,
		form: new URLSearchParams({
			surveyId: String(surveyId),
			householdId: String(resident.householdId),
			[`a.${questionId}`]: String(1 + Math.floor(Math.random() * 5)),
		}),
		ack: { kind: 'survey', userId: resident.userId, householdId: resident.householdId, surveyId },
	};
}

export const mix: MixRow[] = [
	{
		name: 'home',
		share: 15,
		write: false,
		available: () => true,
		build: read((w) => w.reads.home),
	},
	{
		name: 'project',
		share: 25,
		write: false,
		available: () => true,
		build: read((w) => w.reads.project),
	},
	{
		name: 'plan',
		share: 25,
		write: false,
		available: (w) => w.reads.plan.length > 0,
		build: read((w) => w.reads.plan),
	},
	{
		name: 'results',
		share: 15,
		write: false,
		available: (w) => w.reads.results.length > 0,
		build: read((w) => w.reads.results),
	},
	{
		name: 'opinion',
		share: 8,
		write: true,
		available: (w) => w.openVersions.length > 0,
		build: opinion,
	},
	{
		name: 'me too',
		share: 7,
		write: true,
		available: (w) => w.reactionTargets.length > 0,
		build: meToo,
	},
	{
		name: 'ballot revision',
		share: 5,
		write: true,
		available: (w) => w.ballot !== null,
		build: ballot,
	},
	{
		name: 'survey answer',
		share: 3,
		write: true,
		available: (w) => w.survey !== null,
		build: surveyAnswer,
	},
];

/** The rows this world can serve, shares rescaled to 100; the rest named for the report. */
export function activeMix(world: LoadWorld): { rows: MixRow[]; inactive: string[] } {
	const rows = mix.filter((row) => row.available(world));
	const total = rows.reduce((n, row) => n + row.share, 0);
	return {
		rows: rows.map((row) => ({ ...row, share: (row.share * 100) / total })),
		inactive: mix.filter((row) => !row.available(world)).map((row) => row.name),
	};
}

/** Draws a row by share. */
export function drawRow(rows: MixRow[]): MixRow {
	let x = Math.random() * 100;
	for (const row of rows) {
		x -= row.share;
		if (x < 0) return row;
	}
	return rows.at(-1)!;
}
