/**
 * Running totals of a survey (table survey_tallies): every response changes them in its own
 * transaction by the difference between the response before and after, so results are one
 * small read whatever the number of responses (a survey of 100,000 households is read in a
 * few milliseconds instead of counting a million answer rows). A recount from the stored
 * answers must always give the same rows: `recountTallyRows` is that recount, used to fill the
 * totals after bulk writes and to prove them (tests, bench).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor, type Tx } from '../../../../db/client.ts';
import type { QuestionView } from './types.ts';

export type TallyCounter = 'scope' | 'responses' | 'households' | 'answered' | 'value';

/** One counter; `buildingId` 0 is the whole survey, `questionId`/`value` 0 when unused. */
export type TallyRow = {
	buildingId: number;
	counter: TallyCounter;
	questionId: number;
	value: number;
	n: number;
};

/** An answer row as stored: a rating or option index, or value 0 with text. */
export type AnswerRow = { questionId: number; value: number; text: string | null };

/** A response as the totals see it: where it comes from and what it answered. */
export type ResponseState = { householdId: number; buildingId: number; answers: AnswerRow[] };

/** The row of the whole survey. */
export const WHOLE_SURVEY = 0;

/**
 * Namespace of the per-survey transaction advisory lock that serialises the changes to one
 * survey's totals (read the response before, write, adjust): without it two members of one
 * household answering at once could both count the household as newly responding.
 */
export const SURVEY_TALLY_LOCK_KEY = 7_340_307;

/** The question whose figures the per-building table and the dashboard show, or null. */
export function overallQuestionId(questions: readonly QuestionView[]): number | null {
	return questions.find((q) => q.role === 'overall' && q.kind === 'rating')?.id ?? null;
}

/** Waits for, then holds until commit, the survey's totals lock. */
export async function lockSurveyTallies(tx: Tx, surveyId: number): Promise<void> {
	await tx.execute(
		sql`select pg_advisory_xact_lock(${sql.raw(String(SURVEY_TALLY_LOCK_KEY))}, ${surveyId}::int)`,
	);
}

const keyOf = (buildingId: number, counter: TallyCounter, questionId: number, value: number) =>
	`${buildingId}|${counter}|${questionId}|${value}`;

function parseKey(key: string): Omit<TallyRow, 'n'> {
	const [buildingId, counter, questionId, value] = key.split('|');
	return {
		buildingId: Number(buildingId),
		counter: counter as TallyCounter,
		questionId: Number(questionId),
		value: Number(value),
	};
}

/**
 * What one response adds to the totals (households aside, which depend on the household's
 * other responses): one response, each question it answered, each rating or option chosen;
 * per building, the response and the overall question.
 */
export function responseCounters(
	state: ResponseState,
	overallId: number | null,
): Map<string, number> {
	const counters = new Map<string, number>();
	const add = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);
	const buildings = [WHOLE_SURVEY, state.buildingId];
	for (const b of buildings) add(keyOf(b, 'responses', 0, 0));
	const answered = new Set<number>();
	for (const a of state.answers) {
		const scopes = a.questionId === overallId ? buildings : [WHOLE_SURVEY];
		if (!answered.has(a.questionId)) {
			answered.add(a.questionId);
			for (const b of scopes) add(keyOf(b, 'answered', a.questionId, 0));
		}
		if (a.text === null) for (const b of scopes) add(keyOf(b, 'value', a.questionId, a.value));
	}
	return counters;
}

/**
 * Adjusts the totals for a response that was `before` (null: new) and is now `after`. Call
 * under `lockSurveyTallies`, after the response and its answers are written. Households count
 * once whatever their number of responses (resident mode), so they move only when a household
 * gains its first response or loses its last.
 */
export async function applyResponseChange(
	tx: Tx,
	input: {
		surveyId: number;
		overallId: number | null;
		responseId: number;
		before: ResponseState | null;
		after: ResponseState;
	},
): Promise<void> {
	const { surveyId, before, after } = input;
	const delta = new Map<string, number>();
	const add = (counters: Map<string, number>, sign: 1 | -1) => {
		for (const [key, n] of counters) delta.set(key, (delta.get(key) ?? 0) + sign * n);
	};
	add(responseCounters(after, input.overallId), 1);
	if (before) add(responseCounters(before, input.overallId), -1);
	if (!before || before.householdId !== after.householdId) {
		const others = await queryRows<{ household_id: number }>(
			tx,
			sql`select distinct household_id from survey_responses
			    where survey_id = ${surveyId} and id <> ${input.responseId}
			      and household_id in (${after.householdId}, ${before?.householdId ?? after.householdId})`,
		);
		const has = (householdId: number) => others.some((o) => o.household_id === householdId);
		const households = (state: ResponseState, sign: 1 | -1) => {
			for (const b of [WHOLE_SURVEY, state.buildingId]) {
				const key = keyOf(b, 'households', 0, 0);
				delta.set(key, (delta.get(key) ?? 0) + sign);
			}
		};
		if (!has(after.householdId)) households(after, 1);
		if (before && !has(before.householdId)) households(before, -1);
	}
	await writeDelta(tx, surveyId, delta);
}

const compareRows = (a: Omit<TallyRow, 'n'>, b: Omit<TallyRow, 'n'>) =>
	a.buildingId - b.buildingId ||
	a.counter.localeCompare(b.counter) ||
	a.questionId - b.questionId ||
	a.value - b.value;

const rowValues = (surveyId: number, rows: TallyRow[]): SQL =>
	sql.join(
		rows.map(
			(r) =>
				sql`(${surveyId}::int, ${r.buildingId}::int, ${r.counter}::survey_tally_counter, ${r.questionId}::int, ${r.value}::smallint, ${r.n}::int)`,
		),
		sql`, `,
	);

/**
 * Adds the non-zero differences: increments as one upsert, decrements as one update of rows
 * that must exist (a decrement of a missing counter is a bug and throws, as does going below
 * zero through the table's check).
 */
async function writeDelta(tx: Tx, surveyId: number, delta: Map<string, number>): Promise<void> {
	const rows = [...delta]
		.filter(([, n]) => n !== 0)
		.map(([key, n]): TallyRow => ({ ...parseKey(key), n }))
		.sort(compareRows);
	const up = rows.filter((r) => r.n > 0);
	const down = rows.filter((r) => r.n < 0);
	if (up.length > 0) {
		await tx.execute(sql`
			insert into survey_tallies (survey_id, building_id, counter, question_id, value, n)
			values ${rowValues(surveyId, up)}
			on conflict (survey_id, building_id, counter, question_id, value)
			do update set n = survey_tallies.n + excluded.n`);
	}
	if (down.length > 0) {
		const changed = await queryRows<{ one: number }>(
			tx,
			sql`update survey_tallies t set n = t.n + d.n
			    from (values ${rowValues(surveyId, down)}) as d(survey_id, building_id, counter, question_id, value, n)
			    where t.survey_id = d.survey_id and t.building_id = d.building_id and t.counter = d.counter
			      and t.question_id = d.question_id and t.value = d.value
			    returning 1 as one`,
		);
		if (changed.length !== down.length) {
			throw new Error(`survey ${surveyId}: a total to decrement is missing`);
		}
	}
}

/**
 * The totals recounted from survey_households, survey_responses and survey_answers, grouped by
 * survey, for the surveys `filter` selects (a condition on `survey_id`). Only counters above
 * zero. Migration 0019 runs the same query for every survey.
 */
export function recountQuery(filter: SQL): SQL {
	return sql`
		with overall as (
			select distinct on (survey_id) survey_id, id as question_id
			from survey_questions where ${filter} and role = 'overall' and kind = 'rating'
			order by survey_id, sort, id
		), r as (
			select survey_id, id, household_id, building_id from survey_responses where ${filter}
		), a as (
			select a.survey_id, a.response_id, a.question_id, a.value, a.text is null as counted
			from survey_answers a where ${filter}
		), oa as (
			select a.*, r.building_id from a
			join overall o on o.survey_id = a.survey_id and o.question_id = a.question_id
			join r on r.id = a.response_id
		), counts as (
			select survey_id, 0 as building_id, 'scope' as counter, 0 as question_id, 0 as value, count(*) as n
			from survey_households where ${filter} group by survey_id
			union all
			select survey_id, building_id, 'scope', 0, 0, count(*)
			from survey_households where ${filter} group by survey_id, building_id
			union all
			select survey_id, 0, 'responses', 0, 0, count(*) from r group by survey_id
			union all
			select survey_id, building_id, 'responses', 0, 0, count(*) from r group by survey_id, building_id
			union all
			select survey_id, 0, 'households', 0, 0, count(distinct household_id) from r group by survey_id
			union all
			select survey_id, building_id, 'households', 0, 0, count(distinct household_id)
			from r group by survey_id, building_id
			union all
			select survey_id, 0, 'answered', question_id, 0, count(distinct response_id)
			from a group by survey_id, question_id
			union all
			select survey_id, 0, 'value', question_id, value, count(*)
			from a where counted group by survey_id, question_id, value
			union all
			select survey_id, building_id, 'answered', question_id, 0, count(distinct response_id)
			from oa group by survey_id, building_id, question_id
			union all
			select survey_id, building_id, 'value', question_id, value, count(*)
			from oa where counted group by survey_id, building_id, question_id, value
		)
		select survey_id, building_id, counter, question_id, value, n::int as n from counts where n > 0`;
}

/** The survey's totals recounted from its answers (what the stored totals must equal). */
export async function recountTallyRows(db: Executor, surveyId: number): Promise<TallyRow[]> {
	const rows = await queryRows<{
		building_id: number;
		counter: TallyCounter;
		question_id: number;
		value: number;
		n: number;
	}>(db, recountQuery(sql`survey_id = ${surveyId}`));
	return rows.map(toRow).sort(compareRows);
}

const toRow = (r: {
	building_id: number;
	counter: TallyCounter;
	question_id: number;
	value: number;
	n: number;
}): TallyRow => ({
	buildingId: Number(r.building_id),
	counter: r.counter,
	questionId: Number(r.question_id),
	value: Number(r.value),
	n: Number(r.n),
});

/** The stored totals above zero, in a stable order. */
export async function storedTallyRows(db: Executor, surveyId: number): Promise<TallyRow[]> {
	const rows = await queryRows<Parameters<typeof toRow>[0]>(
		db,
		sql`select building_id, counter, question_id, value, n from survey_tallies
		    where survey_id = ${surveyId} and n > 0`,
	);
	return rows.map(toRow).sort(compareRows);
}

/**
 * Replaces a survey's totals by a recount (after answers were written in bulk, by a seed or a
 * bench, outside the response commands).
 */
export async function recountTallies(db: Executor, surveyId: number): Promise<void> {
	await db.execute(sql`delete from survey_tallies where survey_id = ${surveyId}`);
	await db.execute(sql`
		insert into survey_tallies (survey_id, building_id, counter, question_id, value, n)
		select survey_id, building_id, counter::survey_tally_counter, question_id, value, n
		from (${recountQuery(sql`survey_id = ${surveyId}`)}) as recount`);
}

/** Stored totals against a recount: the counters that differ (empty when they agree). */
export async function verifyTallies(db: Executor, surveyId: number) {
	const [stored, recount] = await Promise.all([
		storedTallyRows(db, surveyId),
		recountTallyRows(db, surveyId),
	]);
	const key = (r: TallyRow) => keyOf(r.buildingId, r.counter, r.questionId, r.value);
	const expected = new Map(recount.map((r) => [key(r), r.n]));
	const found = new Map(stored.map((r) => [key(r), r.n]));
	const problems: { key: string; stored: number; recount: number }[] = [];
	for (const k of new Set([...expected.keys(), ...found.keys()])) {
		const a = found.get(k) ?? 0;
		const b = expected.get(k) ?? 0;
		if (a !== b) problems.push({ key: k, stored: a, recount: b });
	}
	return { rows: recount.length, problems };
}
