import { asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Executor, type Tx } from '../../../../db/client.ts';
import * as s from '../../../../db/schema/index.ts';
import type { QuestionRole, SurveyInfo, SurveyPhase, SurveyStatus } from './types.ts';

/** A survey with its project, sections and questions in order, or null. */
export async function loadSurvey(db: Executor, surveyId: number): Promise<SurveyInfo | null> {
	const [row] = await db
		.select({
			survey: s.surveys,
			projectSlug: s.projects.slug,
			projectName: s.projects.name,
			projectNameEn: s.projects.nameEn,
			communityId: s.projects.communityId,
		})
		.from(s.surveys)
		.innerJoin(s.projects, eq(s.projects.id, s.surveys.projectId))
		.where(eq(s.surveys.id, surveyId));
	if (!row) return null;
	const [sections, questions] = await Promise.all([
		db
			.select()
			.from(s.surveySections)
			.where(eq(s.surveySections.surveyId, surveyId))
			.orderBy(asc(s.surveySections.sort), asc(s.surveySections.id)),
		db
			.select()
			.from(s.surveyQuestions)
			.where(eq(s.surveyQuestions.surveyId, surveyId))
			.orderBy(asc(s.surveyQuestions.sort), asc(s.surveyQuestions.id)),
	]);
	const v = row.survey;
	return {
		id: v.id,
		projectId: v.projectId,
		projectSlug: row.projectSlug,
		projectName: row.projectName,
		projectNameEn: row.projectNameEn,
		communityId: row.communityId,
		title: v.title,
		titleEn: v.titleEn,
		description: v.description,
		descriptionEn: v.descriptionEn,
		mode: v.mode,
		anonymous: v.anonymous,
		status: v.status,
		publishedAt: v.publishedAt,
		closesAt: v.closesAt,
		closedAt: v.closedAt,
		earlyCloseReason: v.earlyCloseReason,
		scopeHouseholds: v.scopeHouseholds,
		sections: sections.map(({ id, title, titleEn, sort }) => ({ id, title, titleEn, sort })),
		questions: questions.map((q) => ({
			id: q.id,
			sectionId: q.sectionId,
			kind: q.kind,
			prompt: q.prompt,
			promptEn: q.promptEn,
			required: q.required,
			sort: q.sort,
			options: q.options,
			minChoices: q.minChoices,
			maxChoices: q.maxChoices,
			maxLength: q.maxLength,
			role: q.role as QuestionRole | null,
			planItemId: q.planItemId,
		})),
	};
}

/** The phase at a moment: open until staff close it or its closing time passes. */
export function surveyPhase(
	survey: { status: SurveyStatus; closesAt: Date | null },
	now: Date,
): SurveyPhase {
	if (survey.status === 'draft') return 'draft';
	if (survey.status === 'closed') return 'closed';
	return survey.closesAt && now.getTime() >= survey.closesAt.getTime() ? 'closed' : 'open';
}

/**
 * Locks the survey row (share: answering; update: staff changes) and returns its state with
 * the database clock, so open/close is decided by one clock under the lock.
 */
export async function lockSurvey(tx: Tx, surveyId: number, mode: 'share' | 'update') {
	const [row] = await queryRows<{ status: SurveyStatus; closes_at: string | null; now: string }>(
		tx,
		sql`select status, closes_at, now() as now from surveys where id = ${surveyId} for ${sql.raw(mode === 'share' ? 'share' : 'update')}`,
	);
	if (!row) return null;
	const state = {
		status: row.status,
		closesAt: row.closes_at === null ? null : new Date(row.closes_at),
		now: new Date(row.now),
	};
	return { ...state, phase: surveyPhase(state, state.now) };
}
