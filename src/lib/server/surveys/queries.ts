import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import * as s from '../../../../db/schema/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { loadSurvey, surveyPhase } from './load.ts';
import { managesSurvey, requireSurveyStaff } from './policy.ts';
import type { Answers, SurveyInfo, SurveyPhase, SurveyResultsView } from './types.ts';

/**
 * A survey as a viewer may see it: drafts only for its staff (others get null, as for a
 * survey that does not exist), with the phase and whether results are published.
 */
export async function getSurveyForViewer(db: Executor, actor: Actor | null, surveyId: number) {
	const survey = await loadSurvey(db, surveyId);
	if (!survey) return null;
	const staff = managesSurvey(actor, survey.communityId);
	if (survey.status === 'draft' && !staff) return null;
	const [latest] = await db
		.select({ version: s.surveyResults.version })
		.from(s.surveyResults)
		.where(eq(s.surveyResults.surveyId, surveyId))
		.orderBy(desc(s.surveyResults.version))
		.limit(1);
	const phase: SurveyPhase = surveyPhase(survey, new Date());
	return { survey, phase, staff, publishedVersion: latest?.version ?? null };
}

/**
 * The viewer's own answers for one of their households (household mode: the household's
 * response, whoever of its members gave it; resident mode: the resident's own), or null.
 * Residents only ever see their own household's answers.
 */
export async function getMyAnswers(
	db: Executor,
	actor: Actor | null,
	survey: Pick<SurveyInfo, 'id' | 'mode'>,
	householdId: number,
): Promise<{ answers: Answers; revision: number; updatedAt: Date } | null> {
	if (actor?.kind !== 'resident' || !actor.memberships.some((m) => m.householdId === householdId)) {
		return null;
	}
	const key = survey.mode === 'household' ? `h:${householdId}` : `u:${actor.userId}`;
	const [response] = await db
		.select({
			id: s.surveyResponses.id,
			revision: s.surveyResponses.revision,
			updatedAt: s.surveyResponses.updatedAt,
		})
		.from(s.surveyResponses)
		.where(
			and(eq(s.surveyResponses.surveyId, survey.id), eq(s.surveyResponses.respondentKey, key)),
		);
	if (!response) return null;
	const rows = await db
		.select({
			questionId: s.surveyAnswers.questionId,
			kind: s.surveyQuestions.kind,
			value: s.surveyAnswers.value,
			text: s.surveyAnswers.text,
		})
		.from(s.surveyAnswers)
		.innerJoin(s.surveyQuestions, eq(s.surveyQuestions.id, s.surveyAnswers.questionId))
		.where(eq(s.surveyAnswers.responseId, response.id))
		.orderBy(s.surveyAnswers.questionId, s.surveyAnswers.value);
	const answers: Answers = new Map();
	for (const r of rows) {
		const prev = answers.get(r.questionId);
		if (r.kind === 'multiple') {
			answers.set(r.questionId, {
				kind: 'multiple',
				values: [...(prev?.kind === 'multiple' ? prev.values : []), r.value],
			});
		} else if (r.kind === 'text') answers.set(r.questionId, { kind: 'text', text: r.text ?? '' });
		else answers.set(r.questionId, { kind: r.kind, value: r.value });
	}
	return { answers, revision: response.revision, updatedAt: response.updatedAt };
}

/** Which of the resident's households may answer (in scope), and whether each has answered. */
export async function myHouseholdsInSurvey(
	db: Executor,
	actor: Actor | null,
	survey: Pick<SurveyInfo, 'id' | 'mode'>,
) {
	if (actor?.kind !== 'resident' || actor.memberships.length === 0) return [];
	const ids = actor.memberships.map((m) => m.householdId);
	const inScope = await db
		.select({ householdId: s.surveyHouseholds.householdId })
		.from(s.surveyHouseholds)
		.where(
			and(eq(s.surveyHouseholds.surveyId, survey.id), inArray(s.surveyHouseholds.householdId, ids)),
		);
	const keys = actor.memberships.map((m) =>
		survey.mode === 'household' ? `h:${m.householdId}` : `u:${actor.userId}`,
	);
	const answered = await db
		.select({ key: s.surveyResponses.respondentKey })
		.from(s.surveyResponses)
		.where(
			and(
				eq(s.surveyResponses.surveyId, survey.id),
				inArray(s.surveyResponses.respondentKey, keys),
			),
		);
	const done = new Set(answered.map((a) => a.key));
	return actor.memberships
		.filter((m) => inScope.some((h) => h.householdId === m.householdId))
		.map((m) => ({
			membership: m,
			answered: done.has(survey.mode === 'household' ? `h:${m.householdId}` : `u:${actor.userId}`),
		}));
}

/**
 * Who has responded and who has not, per household, for follow-up visits (入户) — never what
 * anyone answered. Committee staff only. Errors: forbidden, not_found.
 */
export async function listRespondents(db: Executor, actor: Actor | null, survey: SurveyInfo) {
	requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	return queryRows<{
		household_id: number;
		compound: string;
		building: string;
		unit: string;
		room: string;
		responses: number;
		paper: number;
	}>(
		db,
		sql`select h.id as household_id, c.name as compound, b.number as building, u.number as unit, h.room,
		           count(r.id)::int as responses,
		           count(r.id) filter (where r.channel = 'paper')::int as paper
		    from survey_households sh
		    join households h on h.id = sh.household_id
		    join units u on u.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    join compounds c on c.id = h.compound_id
		    left join survey_responses r on r.survey_id = sh.survey_id and r.household_id = sh.household_id
		    where sh.survey_id = ${survey.id}
		    group by h.id, c.name, b.number, u.number, h.room, c.id, b.id, u.id
		    order by c.id, b.id, u.id, h.room`,
	);
}

/**
 * Free-text answers for moderation: the text and an opaque reference, never the household
 * or the response's other answers. Committee staff only.
 */
export async function listTextsForModeration(
	db: Executor,
	actor: Actor | null,
	survey: SurveyInfo,
) {
	requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	return db
		.select({
			responseId: s.surveyAnswers.responseId,
			questionId: s.surveyAnswers.questionId,
			text: s.surveyAnswers.text,
			state: s.surveyAnswers.textState,
		})
		.from(s.surveyAnswers)
		.where(and(eq(s.surveyAnswers.surveyId, survey.id), sql`${s.surveyAnswers.text} is not null`))
		.orderBy(s.surveyAnswers.textState, s.surveyAnswers.questionId, s.surveyAnswers.text)
		.limit(500);
}

export { computeResults } from './compute.ts';

export type PublishedVersion = { version: number; note: string; publishedAt: Date };

/**
 * A published result (the latest, or the given version) with the history of versions, or
 * null when nothing is published. Public: snapshots hold aggregates only.
 */
export async function getPublishedResults(db: Executor, surveyId: number, version?: number) {
	const versions = await db
		.select({
			version: s.surveyResults.version,
			note: s.surveyResults.note,
			publishedAt: s.surveyResults.publishedAt,
			digest: s.surveyResults.digest,
		})
		.from(s.surveyResults)
		.where(eq(s.surveyResults.surveyId, surveyId))
		.orderBy(desc(s.surveyResults.version));
	const wanted = version ?? versions[0]?.version;
	const row = versions.find((v) => v.version === wanted);
	if (!row) return null;
	return {
		...row,
		view: await publishedSnapshot(db, surveyId, row),
		versions: versions.map(({ version, note, publishedAt }): PublishedVersion => ({
			version,
			note,
			publishedAt,
		})),
		latest: versions[0]!.version,
	};
}

/**
 * Published snapshots never change (a trigger refuses any update), so a parsed copy is kept by
 * its digest — a survey of 2,000 buildings has a 0.5 MB snapshot, read and parsed once instead
 * of on every view of its results page. A few dozen, least recently used first out.
 */
const snapshots = new Map<string, SurveyResultsView>();
const SNAPSHOTS_KEPT = 32;

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

async function publishedSnapshot(
	db: Executor,
	surveyId: number,
	row: { version: number; digest: string },
): Promise<SurveyResultsView> {
	const kept = snapshots.get(row.digest);
	if (kept) {
		snapshots.delete(row.digest);
		snapshots.set(row.digest, kept);
		return kept;
	}
	const [found] = await db
		.select({ snapshot: s.surveyResults.snapshot })
		.from(s.surveyResults)
		.where(and(eq(s.surveyResults.surveyId, surveyId), eq(s.surveyResults.version, row.version)));
	// Frozen: every request shares the object, so none may change it.
	const view = deepFreeze(found!.snapshot) as SurveyResultsView;
	snapshots.set(row.digest, view);
	if (snapshots.size > SNAPSHOTS_KEPT) snapshots.delete(snapshots.keys().next().value!);
	return view;
}

/** Surveys for the public list and a resident's home: published ones, newest first. */
export async function listPublicSurveys(db: Executor) {
	return db
		.select({
			id: s.surveys.id,
			title: s.surveys.title,
			titleEn: s.surveys.titleEn,
			status: s.surveys.status,
			closesAt: s.surveys.closesAt,
			projectSlug: s.projects.slug,
			projectName: s.projects.name,
			projectNameEn: s.projects.nameEn,
		})
		.from(s.surveys)
		.innerJoin(s.projects, eq(s.projects.id, s.surveys.projectId))
		.where(sql`${s.surveys.status} <> 'draft'`)
		.orderBy(desc(s.surveys.publishedAt))
		.limit(200);
}

/** Surveys the staff member manages (all for an admin), newest first. */
export async function listStaffSurveys(db: Executor, actor: Actor | null) {
	const scope = staffScope(actor, 'survey.manage');
	return db
		.select({
			id: s.surveys.id,
			title: s.surveys.title,
			titleEn: s.surveys.titleEn,
			status: s.surveys.status,
			closesAt: s.surveys.closesAt,
			projectName: s.projects.name,
			projectNameEn: s.projects.nameEn,
		})
		.from(s.surveys)
		.innerJoin(s.projects, eq(s.projects.id, s.surveys.projectId))
		.where(scopeFilter(scope, { communityId: s.projects.communityId }))
		.orderBy(desc(s.surveys.id));
}

/** Projects the staff member may create surveys for (evaluation-stage ones first). */
export async function listSurveyProjects(db: Executor, actor: Actor | null) {
	const scope = staffScope(actor, 'survey.manage');
	return db
		.select({
			id: s.projects.id,
			name: s.projects.name,
			nameEn: s.projects.nameEn,
			stage: s.projects.stage,
		})
		.from(s.projects)
		.where(scopeFilter(scope, { communityId: s.projects.communityId }))
		.orderBy(sql`${s.projects.stage} <> 'evaluation'`, s.projects.id);
}

/** A compound of a survey's project, for the results page's filter. */
export type ResultCompound = { id: number; name: string; nameEn: string };

/**
 * The compounds of a survey's project and the compound of each of their buildings: the
 * published snapshot names buildings only, and the results page groups and filters them by
 * compound (one compound's cards at a time on a large scope).
 */
export async function listSurveyCompounds(
	db: Executor,
	projectId: number,
): Promise<{ compounds: ResultCompound[]; compoundOf: Map<number, number> }> {
	const rows = await db
		.select({
			buildingId: s.buildings.id,
			compoundId: s.compounds.id,
			name: s.compounds.name,
			nameEn: s.compounds.nameEn,
		})
		.from(s.projectCompounds)
		.innerJoin(s.compounds, eq(s.compounds.id, s.projectCompounds.compoundId))
		.innerJoin(s.buildings, eq(s.buildings.compoundId, s.compounds.id))
		.where(eq(s.projectCompounds.projectId, projectId))
		.orderBy(s.compounds.id);
	const compounds = new Map<number, ResultCompound>();
	const compoundOf = new Map<number, number>();
	for (const row of rows) {
		compounds.set(row.compoundId, { id: row.compoundId, name: row.name, nameEn: row.nameEn });
		compoundOf.set(row.buildingId, row.compoundId);
	}
	return { compounds: [...compounds.values()], compoundOf };
}
