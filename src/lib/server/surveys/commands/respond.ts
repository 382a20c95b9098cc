import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { prepareImage, savePreparedImage, type PreparedImage } from '../../images/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { checkAnswers } from '../answers.ts';
import { loadSurvey, lockSurvey } from '../load.ts';
import { requireRespondent, requireSurveyStaff } from '../policy.ts';
import type { PaperResponseInput, RespondInput } from '../schemas.ts';
import {
	applyResponseChange,
	lockSurveyTallies,
	overallQuestionId,
	type AnswerRow,
} from '../tallies.ts';
import type { Answers, SurveyInfo } from '../types.ts';

export type ResponseOutcome = { responseId: number; revision: number };

async function publishedSurvey(db: Db, surveyId: number): Promise<SurveyInfo> {
	const survey = await loadSurvey(db, surveyId);
	// A draft does not exist for residents.
	if (!survey || survey.status === 'draft') throw new DomainError('not_found', 'error.notFound');
	return survey;
}

/** Checked answers, or `invalid` naming how many questions need attention. */
function validAnswers(survey: SurveyInfo, raw: Record<string, string>): Answers {
	const { answers, errors } = checkAnswers(survey.questions, raw);
	if (errors.size > 0) {
		throw new DomainError('invalid', 'surveys.answersHaveErrors', {
			params: { count: errors.size },
		});
	}
	return answers;
}

/** The household's building if it is in the survey's frozen scope; else not_found. */
async function scopeBuilding(tx: Tx, surveyId: number, householdId: number): Promise<number> {
	const [row] = await tx
		.select({ buildingId: s.surveyHouseholds.buildingId })
		.from(s.surveyHouseholds)
		.where(
			and(
				eq(s.surveyHouseholds.surveyId, surveyId),
				eq(s.surveyHouseholds.householdId, householdId),
			),
		);
	if (!row) throw new DomainError('not_found', 'surveys.notInScope');
	return row.buildingId;
}

async function openOrThrow(tx: Tx, surveyId: number): Promise<void> {
	const state = await lockSurvey(tx, surveyId, 'share');
	if (state?.phase !== 'open') {
		throw new DomainError(
			'closed',
			state?.phase === 'closed' ? 'surveys.closed' : 'surveys.notOpen',
		);
	}
}

/** The response of a respondent before this change (its answers with their moderation), or null. */
async function previousResponse(tx: Tx, surveyId: number, respondentKey: string) {
	const [row] = await tx
		.select({
			id: s.surveyResponses.id,
			householdId: s.surveyResponses.householdId,
			buildingId: s.surveyResponses.buildingId,
		})
		.from(s.surveyResponses)
		.where(
			and(
				eq(s.surveyResponses.surveyId, surveyId),
				eq(s.surveyResponses.respondentKey, respondentKey),
			),
		);
	if (!row) return null;
	const answers = await tx
		.select({
			questionId: s.surveyAnswers.questionId,
			value: s.surveyAnswers.value,
			text: s.surveyAnswers.text,
			state: s.surveyAnswers.textState,
		})
		.from(s.surveyAnswers)
		.where(eq(s.surveyAnswers.responseId, row.id));
	return { ...row, answers };
}
type PreviousResponse = NonNullable<Awaited<ReturnType<typeof previousResponse>>>;

/**
 * Replaces a response's answers. Moderation of a free-text answer is kept when its text is
 * unchanged; changed text waits for moderation again. Returns the rows written.
 */
async function writeAnswers(
	tx: Tx,
	surveyId: number,
	responseId: number,
	answers: Answers,
	before: PreviousResponse['answers'],
): Promise<AnswerRow[]> {
	if (before.length > 0) {
		await tx.delete(s.surveyAnswers).where(eq(s.surveyAnswers.responseId, responseId));
	}
	const rows: (typeof s.surveyAnswers.$inferInsert)[] = [];
	for (const [questionId, a] of answers) {
		const base = { responseId, surveyId, questionId };
		if (a.kind === 'multiple') for (const value of a.values) rows.push({ ...base, value });
		else if (a.kind === 'text') {
			const old = before.find((b) => b.questionId === questionId && b.text !== null);
			const textState = old && old.text === a.text ? (old.state ?? 'pending') : 'pending';
			rows.push({ ...base, value: 0, text: a.text, textState });
		} else rows.push({ ...base, value: a.value });
	}
	if (rows.length > 0) await tx.insert(s.surveyAnswers).values(rows);
	return rows.map((r) => ({ questionId: r.questionId, value: r.value, text: r.text ?? null }));
}

/**
 * Writes a response's answers and moves the survey's running totals by the difference, under
 * the survey's totals lock (taken before `previous` was read).
 */
async function recordAnswers(
	tx: Tx,
	survey: SurveyInfo,
	response: { id: number; householdId: number; buildingId: number },
	answers: Answers,
	previous: PreviousResponse | null,
): Promise<void> {
	const written = await writeAnswers(tx, survey.id, response.id, answers, previous?.answers ?? []);
	await applyResponseChange(tx, {
		surveyId: survey.id,
		overallId: overallQuestionId(survey.questions),
		responseId: response.id,
		before: previous,
		after: { householdId: response.householdId, buildingId: response.buildingId, answers: written },
	});
}

/**
 * Answers the survey online for a household (or, in a per-resident survey, for the resident),
 * or changes the earlier answer: allowed to any bound member until the survey closes. One
 * response per household (or resident) is guaranteed by a unique key: concurrent submissions
 * become revisions of one response. Errors: unauthenticated; forbidden (not a member);
 * not_found (no such survey, or the household is not in its scope); closed; invalid (answers).
 */
export async function submitResponse(
	db: Db,
	actor: Actor | null,
	input: RespondInput,
): Promise<ResponseOutcome> {
	const survey = await publishedSurvey(db, input.surveyId);
	const resident = requireRespondent(actor, input.householdId);
	const answers = validAnswers(survey, input.a);
	const key = survey.mode === 'household' ? `h:${input.householdId}` : `u:${resident.userId}`;
	return db.transaction(async (tx) => {
		await openOrThrow(tx, survey.id);
		const buildingId = await scopeBuilding(tx, survey.id, input.householdId);
		await lockSurveyTallies(tx, survey.id);
		const previous = await previousResponse(tx, survey.id, key);
		const [row] = await tx
			.insert(s.surveyResponses)
			.values({
				surveyId: survey.id,
				respondentKey: key,
				householdId: input.householdId,
				buildingId,
				userId: resident.userId,
				channel: 'online',
			})
			.onConflictDoUpdate({
				target: [s.surveyResponses.surveyId, s.surveyResponses.respondentKey],
				set: {
					revision: sql`${s.surveyResponses.revision} + 1`,
					householdId: input.householdId,
					buildingId,
					userId: resident.userId,
					channel: 'online',
					updatedAt: sql`now()`,
				},
			})
			.returning({ id: s.surveyResponses.id, revision: s.surveyResponses.revision });
		const response = { id: row!.id, householdId: input.householdId, buildingId };
		await recordAnswers(tx, survey, response, answers, previous);
		await appendAudit(tx, {
			actorId: resident.userId,
			actorKind: 'resident',
			action: 'survey.responded',
			targetType: 'survey',
			targetId: survey.id,
			communityId: survey.communityId,
			// Never the answers: the audit log must not undo the survey's anonymity.
			details: { revision: row!.revision, channel: 'online' },
		});
		return { responseId: row!.id, revision: row!.revision };
	});
}

/**
 * Enters a household's paper form (入户, for residents without phones): committee staff, with
 * a photo of the form through the image pipeline; entered-by recorded. In a per-household
 * survey a household that already answered is refused (its own answer is never overwritten).
 * Errors: forbidden, not_found, closed, conflict (already answered), invalid (answers, photo).
 */
export async function enterPaperResponse(
	db: Db,
	actor: Actor | null,
	input: Omit<PaperResponseInput, 'photo'> & { photo: File | Uint8Array },
): Promise<ResponseOutcome> {
	const survey = await publishedSurvey(db, input.surveyId);
	const staff = requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	const answers = validAnswers(survey, input.a);
	const photo: PreparedImage = await prepareImage(input.photo);
	const key = survey.mode === 'household' ? `h:${input.householdId}` : `p:${randomUUID()}`;
	return db.transaction(async (tx) => {
		await openOrThrow(tx, survey.id);
		const buildingId = await scopeBuilding(tx, survey.id, input.householdId);
		const photoId = await savePreparedImage(tx, staff.userId, photo);
		await lockSurveyTallies(tx, survey.id);
		const [row] = await tx
			.insert(s.surveyResponses)
			.values({
				surveyId: survey.id,
				respondentKey: key,
				householdId: input.householdId,
				buildingId,
				channel: 'paper',
				enteredBy: staff.userId,
				photoImageId: photoId,
			})
			.onConflictDoNothing()
			.returning({ id: s.surveyResponses.id, revision: s.surveyResponses.revision });
		if (!row) throw new DomainError('conflict', 'surveys.alreadyResponded');
		const response = { id: row.id, householdId: input.householdId, buildingId };
		await recordAnswers(tx, survey, response, answers, null);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'survey.paper_entered',
			targetType: 'household',
			targetId: input.householdId,
			communityId: survey.communityId,
			details: { surveyId: survey.id, photo: photoId },
		});
		return { responseId: row.id, revision: row.revision };
	});
}
