import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { parseChinaTime } from '../../../china-time.ts';
import { notifyHouseholds } from '../../notifications/index.ts';
import type { Actor } from '../../policy/index.ts';
import {
	type Confirmation,
	DomainError,
	earlyCloseReason,
	requireConfirmed,
} from '../../shared/index.ts';
import { loadSurvey, lockSurvey } from '../load.ts';
import { requireSurveyStaff } from '../policy.ts';
import { getSurveyParticipation } from '../steps.ts';

async function managedSurvey(db: Db, actor: Actor | null, surveyId: number) {
	const survey = await loadSurvey(db, surveyId);
	if (!survey) throw new DomainError('not_found', 'error.notFound');
	return { survey, staff: requireSurveyStaff(actor, 'survey.manage', survey.communityId) };
}

/**
 * Publishes a draft to residents until `closesAt` (Beijing time): from now on its questions,
 * mode and anonymity are fixed. Freezes the households in the project's compounds as the
 * scope (participation denominator) and notifies their members in the same transaction.
 * Errors: not_found, forbidden, conflict (already published), invalid (no question, time).
 */
export async function openSurvey(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; closesAt: string },
): Promise<{ households: number }> {
	const { survey, staff } = await managedSurvey(db, actor, input.surveyId);
	if (survey.questions.length === 0) throw new DomainError('invalid', 'surveys.noQuestions');
	let closesAt: Date;
	try {
		closesAt = parseChinaTime(input.closesAt);
	} catch {
		throw new DomainError('invalid', 'surveys.timeInvalid');
	}
	if (closesAt.getTime() <= Date.now()) throw new DomainError('invalid', 'surveys.closesInPast');
	return db.transaction(async (tx) => {
		const state = await lockSurvey(tx, survey.id, 'update');
		if (state?.status !== 'draft') throw new DomainError('conflict', 'surveys.alreadyPublished');
		await tx.execute(sql`
			insert into survey_households (survey_id, household_id, compound_id, building_id)
			select ${survey.id}, h.id, h.compound_id, h.building_id
			from households h
			join project_compounds pc on pc.compound_id = h.compound_id
			where pc.project_id = ${survey.projectId} and h.retired_at is null`);
		// The scope's totals (whole survey and per building) start the running totals.
		await tx.execute(sql`
			insert into survey_tallies (survey_id, building_id, counter, question_id, value, n)
			select survey_id, coalesce(building_id, 0), 'scope', 0, 0, count(*)::int
			from survey_households where survey_id = ${survey.id}
			group by grouping sets ((survey_id), (survey_id, building_id))`);
		const scope = await tx
			.select({ householdId: s.surveyHouseholds.householdId })
			.from(s.surveyHouseholds)
			.where(eq(s.surveyHouseholds.surveyId, survey.id));
		await tx
			.update(s.surveys)
			.set({
				status: 'open',
				publishedAt: sql`now()`,
				closesAt,
				scopeHouseholds: scope.length,
				updatedAt: sql`now()`,
			})
			.where(eq(s.surveys.id, survey.id));
		await notifyHouseholds(
			tx,
			scope.map((h) => h.householdId),
			{
				kind: 'survey.opened',
				params: {
					project: survey.projectName,
					projectEn: survey.projectNameEn,
					title: survey.title,
					titleEn: survey.titleEn,
					deadline: closesAt.toISOString(),
				},
				link: `/surveys/${survey.id}`,
				projectId: survey.projectId,
			},
		);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'survey.opened',
			targetType: 'survey',
			targetId: survey.id,
			communityId: survey.communityId,
			details: {
				households: scope.length,
				closesAt: closesAt.toISOString(),
				anonymous: survey.anonymous,
				mode: survey.mode,
			},
		});
		return { households: scope.length };
	});
}

/**
 * Closes an open survey now (or records the close of one whose time has passed), once staff
 * confirmed it on the confirmation page: no answer is taken or changed afterwards. Below the
 * participation target (SURVEY_TARGET) a written reason is required; it is stored with the
 * survey (shown with its results) and in the audit entry.
 * Errors: not_found, forbidden, conflict (draft or closed), invalid (not confirmed, or below
 * target without a reason).
 */
export async function closeSurvey(
	db: Db,
	actor: Actor | null,
	surveyId: number,
	confirmation: Confirmation,
): Promise<{ responded: number; households: number; belowTarget: boolean }> {
	const { survey, staff } = await managedSurvey(db, actor, surveyId);
	requireConfirmed(confirmation);
	return db.transaction(async (tx) => {
		const state = await lockSurvey(tx, survey.id, 'update');
		if (state?.status !== 'open') throw new DomainError('conflict', 'surveys.notOpen');
		const participation = await getSurveyParticipation(tx, survey.id);
		const belowTarget = !participation.met;
		const reason = earlyCloseReason(confirmation, belowTarget);
		await tx
			.update(s.surveys)
			.set({
				status: 'closed',
				closedAt: sql`least(clock_timestamp(), ${s.surveys.closesAt})`,
				closesAt: sql`least(clock_timestamp(), ${s.surveys.closesAt})`,
				earlyCloseReason: belowTarget ? reason : '',
				updatedAt: sql`now()`,
			})
			.where(and(eq(s.surveys.id, survey.id), eq(s.surveys.status, 'open')));
		const { responded, households } = participation;
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'survey.closed',
			targetType: 'survey',
			targetId: survey.id,
			communityId: survey.communityId,
			details: { responded, households, belowTarget, ...(reason ? { reason } : {}) },
		});
		return { responded, households, belowTarget };
	});
}
