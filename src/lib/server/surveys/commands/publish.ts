import { createHash } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { notifyFollowers } from '../../notifications/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError, requireConfirmed } from '../../shared/index.ts';
import { loadSurvey, lockSurvey } from '../load.ts';
import { requireSurveyStaff } from '../policy.ts';
import { computeResults } from '../queries.ts';
import type { SurveyResultsView } from '../types.ts';

/** SHA-256 of the snapshot as published, so anyone can check a copy against the record. */
export function snapshotDigest(view: SurveyResultsView): string {
	return createHash('sha256').update(JSON.stringify(view)).digest('hex');
}

/**
 * Publishes a closed survey's results (公示) as a new immutable version: a correction is a
 * new version with a note, never an edit (the table refuses updates). A survey whose closing
 * time has passed is marked closed first. Committee staff only.
 * Only once staff confirmed it on the confirmation page (`confirm`). Returns how many
 * followers of the project were notified.
 * Errors: not_found, forbidden, closed (still open or a draft), invalid (not confirmed).
 */
export async function publishSurveyResults(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; note: string; confirm: boolean },
): Promise<{ version: number; digest: string; notified: number }> {
	const survey = await loadSurvey(db, input.surveyId);
	if (!survey) throw new DomainError('not_found', 'error.notFound');
	const staff = requireSurveyStaff(actor, 'results.publish', survey.communityId);
	requireConfirmed(input);
	return db.transaction(async (tx) => {
		const state = await lockSurvey(tx, survey.id, 'update');
		if (state?.phase !== 'closed') throw new DomainError('closed', 'surveys.notClosedYet');
		if (state.status === 'open') {
			await tx
				.update(s.surveys)
				.set({ status: 'closed', closedAt: state.closesAt })
				.where(eq(s.surveys.id, survey.id));
		}
		const closedAt = survey.closedAt ?? state.closesAt;
		const view = await computeResults(tx, { ...survey, closedAt });
		const digest = snapshotDigest(view);
		const [last] = await queryRows<{ v: number }>(
			tx,
			sql`select coalesce(max(version), 0)::int as v from survey_results where survey_id = ${survey.id}`,
		);
		const version = (last?.v ?? 0) + 1;
		const overall = view.overall;
		await tx.insert(s.surveyResults).values({
			surveyId: survey.id,
			projectId: survey.projectId,
			version,
			note: input.note,
			snapshot: view,
			digest,
			responses: view.responses,
			households: view.households,
			respondedHouseholds: view.respondedHouseholds,
			satisfiedCount: overall ? overall.satisfied.num : null,
			validCount: overall ? overall.valid : null,
			publishedBy: staff.userId,
		});
		const notified = await notifyFollowers(tx, survey.projectId, {
			kind: 'results.published',
			params: {
				project: survey.projectName,
				projectEn: survey.projectNameEn,
				title: survey.title,
				titleEn: survey.titleEn,
			},
			link: `/surveys/${survey.id}/results`,
		});
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'survey.results_published',
			targetType: 'survey',
			targetId: survey.id,
			communityId: survey.communityId,
			details: { version, digest, responses: view.responses },
		});
		return { version, digest, notified };
	});
}

/**
 * Publishes or hides one free-text answer (moderated free text: hidden text stays stored with
 * its state, never deleted). Committee staff only. Errors: not_found, forbidden.
 */
export async function moderateSurveyText(
	db: Db,
	actor: Actor | null,
	input: {
		surveyId: number;
		responseId: number;
		questionId: number;
		state: 'published' | 'hidden';
	},
): Promise<void> {
	const survey = await loadSurvey(db, input.surveyId);
	if (!survey) throw new DomainError('not_found', 'error.notFound');
	const staff = requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	await db.transaction(async (tx) => {
		const changed = await tx
			.update(s.surveyAnswers)
			.set({ textState: input.state, moderatedBy: staff.userId })
			.where(
				and(
					eq(s.surveyAnswers.surveyId, survey.id),
					eq(s.surveyAnswers.responseId, input.responseId),
					eq(s.surveyAnswers.questionId, input.questionId),
					isNotNull(s.surveyAnswers.text),
				),
			)
			.returning({ q: s.surveyAnswers.questionId });
		if (changed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: input.state === 'published' ? 'survey.text_published' : 'survey.text_hidden',
			targetType: 'survey',
			targetId: survey.id,
			communityId: survey.communityId,
			details: { questionId: input.questionId },
		});
	});
}
