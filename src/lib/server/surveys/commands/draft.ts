/**
 * What every builder command shares: the draft check (published surveys are immutable), the
 * audit entry, and renumbering so that `sort` always equals the order residents see.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor, StaffActor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadSurvey, lockSurvey } from '../load.ts';
import { displayOrder } from '../order.ts';
import { requireSurveyStaff } from '../policy.ts';
import type { SurveyInfo } from '../types.ts';

/** The survey as a draft its staff may edit. Errors: not_found, forbidden, conflict (published). */
export async function editableSurvey(db: Db, actor: Actor | null, surveyId: number) {
	const survey = await loadSurvey(db, surveyId);
	if (!survey) throw new DomainError('not_found', 'error.notFound');
	const staff = requireSurveyStaff(actor, 'survey.manage', survey.communityId);
	// Published surveys are immutable: residents answer exactly what was published.
	if (survey.status !== 'draft') throw new DomainError('conflict', 'surveys.alreadyPublished');
	return { survey, staff };
}

/** Re-checks under the row lock that the survey is still a draft (publishing may race an edit). */
export async function stillDraft(tx: Tx, surveyId: number): Promise<void> {
	const state = await lockSurvey(tx, surveyId, 'update');
	if (state?.status !== 'draft') throw new DomainError('conflict', 'surveys.alreadyPublished');
}

export async function auditDraft(
	tx: Tx,
	staff: StaffActor,
	survey: Pick<SurveyInfo, 'id' | 'communityId'>,
	action: string,
	details: Record<string, string | number | boolean> = {},
) {
	await appendAudit(tx, {
		actorId: staff.userId,
		actorKind: 'staff',
		action,
		targetType: 'survey',
		targetId: survey.id,
		communityId: survey.communityId,
		details,
	});
}

/** Sets `sort` to 1..n in the given order, on the rows whose sort differs. */
async function writeOrder(
	tx: Tx,
	table: 'survey_sections' | 'survey_questions',
	surveyId: number,
	ids: number[],
): Promise<void> {
	if (ids.length === 0) return;
	const values = sql.join(
		ids.map((id, i) => sql`(${id}::int, ${i + 1}::smallint)`),
		sql`, `,
	);
	await tx.execute(sql`
		update ${sql.identifier(table)} t set sort = v.sort
		from (values ${values}) as v(id, sort)
		where t.id = v.id and t.survey_id = ${surveyId} and t.sort <> v.sort`);
}

/**
 * Renumbers a draft inside the transaction: sections 1..n in `sectionIds` order (or their
 * current order), then questions 1..n in `questionIds` order (or the display order).
 */
export async function renumber(
	tx: Tx,
	surveyId: number,
	order: { sectionIds?: number[]; questionIds?: number[] } = {},
): Promise<void> {
	if (order.sectionIds) await writeOrder(tx, 'survey_sections', surveyId, order.sectionIds);
	if (order.questionIds) {
		await writeOrder(tx, 'survey_questions', surveyId, order.questionIds);
		return;
	}
	const [sections, questions] = await Promise.all([
		tx
			.select({ id: s.surveySections.id, sort: s.surveySections.sort })
			.from(s.surveySections)
			.where(eq(s.surveySections.surveyId, surveyId))
			.orderBy(asc(s.surveySections.sort), asc(s.surveySections.id)),
		tx
			.select({
				id: s.surveyQuestions.id,
				sort: s.surveyQuestions.sort,
				sectionId: s.surveyQuestions.sectionId,
			})
			.from(s.surveyQuestions)
			.where(eq(s.surveyQuestions.surveyId, surveyId)),
	]);
	const ordered = displayOrder(sections, questions).map((q) => q.id);
	await writeOrder(tx, 'survey_questions', surveyId, ordered);
}
