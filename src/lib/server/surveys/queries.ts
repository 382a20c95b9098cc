import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import * as s from '../../../../db/schema/index.ts';
import type { Actor } from '../policy/types.ts';
import { DomainError } from '../shared/errors.ts';
import { loadSurvey, surveyPhase } from './load.ts';
import { managesSurvey, requireSurveyStaff } from './policy.ts';
import { buildResults, type CountRow } from './results.ts';
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

/**
 * Results computed now from the stored answers: aggregates only, with every group below the
 * minimum suppressed (results.ts). What publication snapshots and what staff preview.
 */
export async function computeResults(db: Executor, survey: SurveyInfo): Promise<SurveyResultsView> {
	const id = survey.id;
	const overall = survey.questions.find((q) => q.role === 'overall' && q.kind === 'rating');
	const [counts, answered, texts, totals, buildings, buildingOverall] = await Promise.all([
		queryRows<{ question_id: number; value: number; n: number }>(
			db,
			sql`select question_id, value, count(*)::int as n from survey_answers
			    where survey_id = ${id} and text is null group by question_id, value`,
		),
		queryRows<{ question_id: number; n: number }>(
			db,
			sql`select question_id, count(distinct response_id)::int as n from survey_answers
			    where survey_id = ${id} group by question_id`,
		),
		// Ordered by text, not by response, so the order says nothing about who wrote what.
		queryRows<{ question_id: number; text: string }>(
			db,
			sql`select question_id, text from survey_answers
			    where survey_id = ${id} and text_state = 'published' order by question_id, text`,
		),
		queryRows<{ responses: number; households: number }>(
			db,
			sql`select count(*)::int as responses, count(distinct household_id)::int as households
			    from survey_responses where survey_id = ${id}`,
		),
		queryRows<{
			building_id: number;
			number: string;
			compound: string;
			compound_en: string;
			households: number;
			responded: number;
		}>(
			db,
			sql`select b.id as building_id, b.number, c.name as compound, c.name_en as compound_en,
			           count(*)::int as households,
			           count(*) filter (where exists (
			             select 1 from survey_responses r
			             where r.survey_id = sh.survey_id and r.household_id = sh.household_id))::int as responded
			    from survey_households sh
			    join buildings b on b.id = sh.building_id
			    join compounds c on c.id = sh.compound_id
			    where sh.survey_id = ${id}
			    group by b.id, b.number, c.id, c.name, c.name_en
			    order by c.id, b.id`,
		),
		overall
			? queryRows<{ building_id: number; value: number; n: number }>(
					db,
					sql`select r.building_id, a.value, count(*)::int as n
					    from survey_answers a join survey_responses r on r.id = a.response_id
					    where a.survey_id = ${id} and a.question_id = ${overall.id}
					    group by r.building_id, a.value`,
				)
			: Promise.resolve([]),
	]);
	const textMap = new Map<number, string[]>();
	for (const t of texts)
		textMap.set(t.question_id, [...(textMap.get(t.question_id) ?? []), t.text]);
	return buildResults({
		surveyId: id,
		title: survey.title,
		titleEn: survey.titleEn,
		anonymous: survey.anonymous,
		mode: survey.mode,
		closedAt: survey.closedAt ? new Date(survey.closedAt).toISOString() : null,
		households: survey.scopeHouseholds,
		respondedHouseholds: totals[0]?.households ?? 0,
		responses: totals[0]?.responses ?? 0,
		sections: survey.sections,
		questions: survey.questions,
		counts: counts.map((c): CountRow => ({ questionId: c.question_id, value: c.value, n: c.n })),
		answered: new Map(answered.map((a) => [a.question_id, a.n])),
		texts: textMap,
		buildings: buildings.map((b) => ({
			buildingId: b.building_id,
			name: `${b.compound} ${b.number}号楼`,
			nameEn: `${b.compound_en} building ${b.number}`,
			households: b.households,
			responded: b.responded,
		})),
		buildingOverall: buildingOverall.map((r) => ({
			buildingId: r.building_id,
			value: r.value,
			n: r.n,
		})),
	});
}

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
		})
		.from(s.surveyResults)
		.where(eq(s.surveyResults.surveyId, surveyId))
		.orderBy(desc(s.surveyResults.version));
	const wanted = version ?? versions[0]?.version;
	if (wanted === undefined) return null;
	const [row] = await db
		.select({
			snapshot: s.surveyResults.snapshot,
			digest: s.surveyResults.digest,
			version: s.surveyResults.version,
			note: s.surveyResults.note,
			publishedAt: s.surveyResults.publishedAt,
		})
		.from(s.surveyResults)
		.where(and(eq(s.surveyResults.surveyId, surveyId), eq(s.surveyResults.version, wanted)));
	if (!row) return null;
	return {
		...row,
		view: row.snapshot as SurveyResultsView,
		versions: versions as PublishedVersion[],
		latest: versions[0]!.version,
	};
}

/**
 * Individual answers per household — only for a survey declared non-anonymous before it was
 * published, and only to its staff. Anonymous surveys refuse (forbidden), always.
 */
export async function listIndividualAnswers(db: Executor, actor: Actor | null, survey: SurveyInfo) {
	requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	if (survey.anonymous || survey.status === 'draft')
		throw new DomainError('forbidden', 'surveys.anonymousRefused');
	return queryRows<{
		household_id: number;
		building: string;
		room: string;
		question_id: number;
		value: number;
		text: string | null;
	}>(
		db,
		sql`select r.household_id, b.number as building, h.room, a.question_id, a.value, a.text
		    from survey_responses r
		    join households h on h.id = r.household_id
		    join buildings b on b.id = r.building_id
		    join survey_answers a on a.response_id = r.id
		    where r.survey_id = ${survey.id}
		    order by b.id, h.room, r.id, a.question_id, a.value`,
	);
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
	if (actor?.kind !== 'staff') return [];
	const admin = actor.roles.has('admin');
	const communities = [...actor.communityIds];
	if (!admin && communities.length === 0) return [];
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
		.where(admin ? undefined : inArray(s.projects.communityId, communities))
		.orderBy(desc(s.surveys.id));
}

/** Projects the staff member may create surveys for (evaluation-stage ones first). */
export async function listSurveyProjects(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'staff') return [];
	const admin = actor.roles.has('admin');
	const communities = [...actor.communityIds];
	if (!admin && communities.length === 0) return [];
	return db
		.select({
			id: s.projects.id,
			name: s.projects.name,
			nameEn: s.projects.nameEn,
			stage: s.projects.stage,
		})
		.from(s.projects)
		.where(admin ? undefined : inArray(s.projects.communityId, communities))
		.orderBy(sql`${s.projects.stage} <> 'evaluation'`, s.projects.id);
}
