/**
 * The builder's sections (分组) while the survey is a draft: rename, reorder, remove (its
 * questions stay, outside any section), and moving a question into another section. Every
 * command refuses a published survey (immutable: residents answer what was published).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadSurvey } from '../load.ts';
import { orderAfterSectionMove } from '../order.ts';
import type { SurveyInfo } from '../types.ts';
import { auditDraft, editableSurvey, renumber, stillDraft } from './draft.ts';

function requireSection(survey: SurveyInfo, sectionId: number) {
	if (!survey.sections.some((x) => x.id === sectionId)) {
		throw new DomainError('not_found', 'error.notFound');
	}
}

/** Renames a draft's section. Errors: as editableSurvey; not_found (section). */
export async function updateSection(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; sectionId: number; title: string; titleEn: string },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	requireSection(survey, input.sectionId);
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		await tx
			.update(s.surveySections)
			.set({ title: input.title, titleEn: input.titleEn })
			.where(
				and(eq(s.surveySections.id, input.sectionId), eq(s.surveySections.surveyId, survey.id)),
			);
		await auditDraft(tx, staff, survey, 'survey.section_updated', { sectionId: input.sectionId });
	});
}

/**
 * Removes a draft's section; its questions are kept, outside any section (after the other
 * sections). Errors: as editableSurvey; not_found (section).
 */
export async function removeSection(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; sectionId: number },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	requireSection(survey, input.sectionId);
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		// Explicitly, not through the foreign key's "set null": the questions move on purpose.
		await tx
			.update(s.surveyQuestions)
			.set({ sectionId: null })
			.where(
				and(
					eq(s.surveyQuestions.sectionId, input.sectionId),
					eq(s.surveyQuestions.surveyId, survey.id),
				),
			);
		await tx
			.delete(s.surveySections)
			.where(
				and(eq(s.surveySections.id, input.sectionId), eq(s.surveySections.surveyId, survey.id)),
			);
		await renumber(tx, survey.id);
		await auditDraft(tx, staff, survey, 'survey.section_removed', { sectionId: input.sectionId });
	});
}

/**
 * Moves a draft's section one place up or down, with its questions; a no-op at either end.
 * Errors: as editableSurvey; not_found (section).
 */
export async function moveSection(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; sectionId: number; direction: 'up' | 'down' },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	requireSection(survey, input.sectionId);
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		const now = (await loadSurvey(tx, survey.id))!;
		const order = orderAfterSectionMove(now.sections, input.sectionId, input.direction);
		if (!order) return;
		await renumber(tx, survey.id, { sectionIds: order.map((x) => x.id) });
		await renumber(tx, survey.id);
		await auditDraft(tx, staff, survey, 'survey.section_moved', {
			sectionId: input.sectionId,
			direction: input.direction,
		});
	});
}

/**
 * Moves a draft's question into another section (at its end), or out of any section
 * (`sectionId` undefined). Errors: as editableSurvey; not_found (question); invalid (section).
 */
export async function setQuestionSection(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; questionId: number; sectionId?: number | undefined },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	const question = survey.questions.find((q) => q.id === input.questionId);
	if (!question) throw new DomainError('not_found', 'error.notFound');
	const target = input.sectionId ?? null;
	if (target !== null && !survey.sections.some((x) => x.id === target)) {
		throw new DomainError('invalid', 'surveys.sectionInvalid');
	}
	if (question.sectionId === target) return;
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		const now = (await loadSurvey(tx, survey.id))!;
		if (target !== null && !now.sections.some((x) => x.id === target)) {
			throw new DomainError('invalid', 'surveys.sectionInvalid');
		}
		// Last in its new section: a sort after every other question, then renumbered.
		const last = Math.max(0, ...now.questions.map((q) => q.sort)) + 1;
		await tx
			.update(s.surveyQuestions)
			.set({ sectionId: target, sort: last })
			.where(
				and(eq(s.surveyQuestions.id, input.questionId), eq(s.surveyQuestions.surveyId, survey.id)),
			);
		await renumber(tx, survey.id);
		await auditDraft(tx, staff, survey, 'survey.question_section_changed', {
			questionId: input.questionId,
			sectionId: target ?? 0,
		});
	});
}
