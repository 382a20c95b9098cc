import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import * as s from '../../../../../db/schema/index.ts';
import type { SurveyOption } from '../../../../../db/schema/surveys.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadSurvey } from '../load.ts';
import { orderAfterQuestionMove } from '../order.ts';
import { requireSurveyStaff } from '../policy.ts';
import type { AddQuestionInput, CreateSurveyInput, UpdateSurveyInput } from '../schemas.ts';
import { auditDraft as audit, editableSurvey, renumber, stillDraft } from './draft.ts';

export { editableSurvey } from './draft.ts';

/** "中文 | English" lines → options (blank lines skipped). */
export function parseOptions(text: string): SurveyOption[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const [label = '', labelEn = ''] = line.split('|').map((part) => part.trim());
			return { label, labelEn };
		});
}

/** The items of the project's final plan version (the completed items the template rates). */
async function finalPlanItems(tx: Tx, projectId: number) {
	return tx
		.select({
			id: s.planItems.id,
			name: s.renovationItems.name,
			nameEn: s.renovationItems.nameEn,
			building: s.buildings.number,
		})
		.from(s.planItems)
		.innerJoin(s.planVersions, eq(s.planVersions.id, s.planItems.planVersionId))
		.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.planItems.itemId))
		.leftJoin(s.buildings, eq(s.buildings.id, s.planItems.buildingId))
		.where(
			and(
				eq(s.planVersions.projectId, projectId),
				eq(s.planVersions.status, 'final'),
				// An item dropped during the works (progress: 已取消) is not asked about.
				sql`not exists (select 1 from ${s.itemProgress} ip
				    where ip.project_id = ${projectId} and ip.item_id = ${s.planItems.itemId}
				      and coalesce(ip.building_id, 0) = coalesce(${s.planItems.buildingId}, 0)
				      and ip.status = 'dropped')`,
			),
		)
		.orderBy(asc(s.planItems.sort), asc(s.planItems.id));
}

/**
 * The "post-completion satisfaction" template (改造后问效于民): one rating per item of the
 * project's final plan, overall satisfaction, "would you recommend this renovation to other
 * compounds", and an optional free-text suggestion.
 */
export async function fillSatisfactionTemplate(
	tx: Tx,
	surveyId: number,
	projectId: number,
): Promise<number> {
	const items = await finalPlanItems(tx, projectId);
	const [itemSection, overallSection] = await tx
		.insert(s.surveySections)
		.values([
			{ surveyId, title: '改造项目满意度', titleEn: 'Satisfaction with each item', sort: 1 },
			{ surveyId, title: '总体评价', titleEn: 'Overall', sort: 2 },
		])
		.returning({ id: s.surveySections.id });
	const rows: (typeof s.surveyQuestions.$inferInsert)[] = items.map((item, index) => ({
		surveyId,
		sectionId: itemSection!.id,
		kind: 'rating' as const,
		prompt: `您对“${item.name}${item.building ? `（${item.building}号楼）` : ''}”的改造效果是否满意？`,
		promptEn: `How satisfied are you with “${item.nameEn}${item.building ? ` (building ${item.building})` : ''}”?`,
		required: false,
		sort: index + 1,
		role: 'item',
		planItemId: item.id,
	}));
	const base = items.length + 1;
	rows.push(
		{
			surveyId,
			sectionId: overallSection!.id,
			kind: 'rating',
			prompt: '您对本次小区改造的总体满意度如何？',
			promptEn: 'Overall, how satisfied are you with this renovation?',
			required: true,
			sort: base,
			role: 'overall',
		},
		{
			surveyId,
			sectionId: overallSection!.id,
			kind: 'single',
			prompt: '您会向其他小区推荐这样的改造吗？',
			promptEn: 'Would you recommend this renovation to other compounds?',
			required: true,
			sort: base + 1,
			role: 'recommend',
			options: [
				{ label: '会推荐', labelEn: 'Yes' },
				{ label: '说不准', labelEn: 'Not sure' },
				{ label: '不会推荐', labelEn: 'No' },
			],
		},
		{
			surveyId,
			sectionId: overallSection!.id,
			kind: 'text',
			prompt: '您对改造后的管理和维护还有什么建议？',
			promptEn: 'Any suggestions for looking after the compound from now on?',
			required: false,
			sort: base + 2,
			maxLength: 500,
		},
	);
	await tx.insert(s.surveyQuestions).values(rows);
	return rows.length;
}

/**
 * Creates a draft survey for a project, optionally filled from the post-completion template.
 * Committee staff of the project's community. Errors: not_found (project), forbidden.
 */
export async function createSurvey(
	db: Db,
	actor: Actor | null,
	input: CreateSurveyInput,
): Promise<{ surveyId: number; questions: number }> {
	const [project] = await db
		.select({ id: s.projects.id, communityId: s.projects.communityId })
		.from(s.projects)
		.where(eq(s.projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	const staff = requireSurveyStaff(actor, 'survey.manage', project.communityId);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(s.surveys)
			.values({
				projectId: project.id,
				title: input.title,
				titleEn: input.titleEn,
				description: input.description,
				descriptionEn: input.descriptionEn,
				mode: input.mode,
				anonymous: input.anonymous,
				createdBy: staff.userId,
			})
			.returning({ id: s.surveys.id });
		const questions = input.template ? await fillSatisfactionTemplate(tx, row!.id, project.id) : 0;
		await audit(tx, staff, { id: row!.id, communityId: project.communityId }, 'survey.created', {
			projectId: project.id,
			template: input.template,
		});
		return { surveyId: row!.id, questions };
	});
}

/** Changes a draft's title, texts, mode and anonymity. Errors: as editableSurvey. */
export async function updateSurvey(db: Db, actor: Actor | null, input: UpdateSurveyInput) {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		await tx
			.update(s.surveys)
			.set({
				title: input.title,
				titleEn: input.titleEn,
				description: input.description,
				descriptionEn: input.descriptionEn,
				mode: input.mode,
				anonymous: input.anonymous,
				updatedAt: sql`now()`,
			})
			.where(and(eq(s.surveys.id, survey.id), eq(s.surveys.status, 'draft')));
		await audit(tx, staff, survey, 'survey.updated', {
			mode: input.mode,
			anonymous: input.anonymous,
		});
	});
}

/** Adds a section at the end of a draft. */
export async function addSection(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; title: string; titleEn: string },
): Promise<number> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	return db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		const [row] = await tx
			.insert(s.surveySections)
			.values({ ...input, sort: Math.max(0, ...survey.sections.map((x) => x.sort)) + 1 })
			.returning({ id: s.surveySections.id });
		await audit(tx, staff, survey, 'survey.section_added', { sectionId: row!.id });
		return row!.id;
	});
}

/**
 * Adds a question at the end of a draft. Choice questions need 2–30 options; multiple choice
 * min ≤ max ≤ options. Errors: as editableSurvey; invalid (options, limits, section).
 */
export async function addQuestion(
	db: Db,
	actor: Actor | null,
	input: AddQuestionInput,
): Promise<number> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	const choice = input.kind === 'single' || input.kind === 'multiple';
	const options = choice ? parseOptions(input.options) : [];
	if (
		choice &&
		(options.length < 2 || options.length > 30 || options.some((o) => o.label.length > 200))
	) {
		throw new DomainError('invalid', 'surveys.optionsInvalid');
	}
	const multiple = input.kind === 'multiple';
	const minChoices = multiple ? (input.minChoices ?? null) : null;
	const maxChoices = multiple ? (input.maxChoices ?? null) : null;
	if (
		multiple &&
		((maxChoices ?? options.length) > options.length ||
			(minChoices ?? 0) > (maxChoices ?? options.length))
	) {
		throw new DomainError('invalid', 'surveys.choiceLimitsInvalid');
	}
	if (input.sectionId !== undefined && !survey.sections.some((x) => x.id === input.sectionId)) {
		throw new DomainError('invalid', 'surveys.sectionInvalid');
	}
	const sort = Math.max(0, ...survey.questions.map((q) => q.sort)) + 1;
	return db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		const [row] = await tx
			.insert(s.surveyQuestions)
			.values({
				surveyId: survey.id,
				sectionId: input.sectionId ?? null,
				kind: input.kind,
				prompt: input.prompt,
				promptEn: input.promptEn,
				required: input.required,
				sort,
				options,
				minChoices,
				maxChoices,
				maxLength: input.kind === 'text' ? (input.maxLength ?? 500) : null,
			})
			.returning({ id: s.surveyQuestions.id });
		// Appended to its section: the numbers follow the order residents see.
		await renumber(tx, survey.id);
		await audit(tx, staff, survey, 'survey.question_added', {
			questionId: row!.id,
			kind: input.kind,
		});
		return row!.id;
	});
}

/**
 * Moves a draft's question one place up or down within its section (ordering); a no-op at
 * either end of the section. Errors: as editableSurvey; not_found (question).
 */
export async function moveQuestion(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; questionId: number; direction: 'up' | 'down' },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	if (!survey.questions.some((q) => q.id === input.questionId)) {
		throw new DomainError('not_found', 'error.notFound');
	}
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		// The order as it is under the lock (another edit may have committed since the load).
		const now = (await loadSurvey(tx, survey.id))!;
		const order = orderAfterQuestionMove(
			now.sections,
			now.questions,
			input.questionId,
			input.direction,
		);
		if (!order) return;
		await renumber(tx, survey.id, { questionIds: order.map((q) => q.id) });
		await audit(tx, staff, survey, 'survey.question_moved', {
			questionId: input.questionId,
			direction: input.direction,
		});
	});
}

/** Removes a question from a draft (a draft has no answers). */
export async function removeQuestion(
	db: Db,
	actor: Actor | null,
	input: { surveyId: number; questionId: number },
): Promise<void> {
	const { survey, staff } = await editableSurvey(db, actor, input.surveyId);
	if (!survey.questions.some((q) => q.id === input.questionId)) {
		throw new DomainError('not_found', 'error.notFound');
	}
	await db.transaction(async (tx) => {
		await stillDraft(tx, survey.id);
		await tx
			.delete(s.surveyQuestions)
			.where(
				and(eq(s.surveyQuestions.id, input.questionId), eq(s.surveyQuestions.surveyId, survey.id)),
			);
		await audit(tx, staff, survey, 'survey.question_removed', { questionId: input.questionId });
	});
}
