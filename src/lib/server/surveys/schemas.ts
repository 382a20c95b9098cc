import { z } from 'zod';
import { isLocalDateTime } from '../shared/index.ts';

/** Inputs of the surveys module, validated at the edge; messages are i18n keys. */

const id = z.coerce.number().int().positive().max(2_147_483_647);
/** Astro hands an empty form field over as null. */
const orEmpty = (value: unknown) => value ?? '';
const absent = (value: unknown) => (value === '' || value === null ? undefined : value);
const text = (max: number, message: 'surveys.titleInvalid' | 'surveys.textTooLongField') =>
	z.preprocess(orEmpty, z.string().trim().max(max, message));

export const createSurveyInput = z.object({
	projectId: id,
	title: z.preprocess(
		orEmpty,
		z.string().trim().min(2, 'surveys.titleInvalid').max(120, 'surveys.titleInvalid'),
	),
	titleEn: text(160, 'surveys.titleInvalid'),
	description: text(4000, 'surveys.textTooLongField'),
	descriptionEn: text(4000, 'surveys.textTooLongField'),
	mode: z.enum(['household', 'resident'], { error: 'surveys.modeInvalid' }).default('household'),
	anonymous: z.boolean().default(true),
	/** Fill the "post-completion satisfaction" template from the project's final plan. */
	template: z.boolean().default(false),
});
export type CreateSurveyInput = z.infer<typeof createSurveyInput>;

export const updateSurveyInput = createSurveyInput
	.omit({ projectId: true, template: true })
	.extend({ surveyId: id });
export type UpdateSurveyInput = z.infer<typeof updateSurveyInput>;

export const addSectionInput = z.object({
	surveyId: id,
	title: z.preprocess(
		orEmpty,
		z.string().trim().min(1, 'surveys.titleInvalid').max(120, 'surveys.titleInvalid'),
	),
	titleEn: text(160, 'surveys.titleInvalid'),
});

const smallInt = (min: number, max: number) =>
	z.preprocess(
		absent,
		z.coerce
			.number({ error: 'surveys.numberInvalid' })
			.int('surveys.numberInvalid')
			.min(min, 'surveys.numberInvalid')
			.max(max, 'surveys.numberInvalid')
			.optional(),
	);

export const addQuestionInput = z.object({
	surveyId: id,
	sectionId: z.preprocess(absent, id.optional()),
	kind: z.enum(['rating', 'single', 'multiple', 'text'], { error: 'surveys.kindInvalid' }),
	prompt: z.preprocess(
		orEmpty,
		z.string().trim().min(2, 'surveys.promptInvalid').max(300, 'surveys.promptInvalid'),
	),
	promptEn: z.preprocess(orEmpty, z.string().trim().max(400, 'surveys.promptInvalid')),
	required: z.boolean().default(false),
	/** Choices, one per line ("中文 | English"). */
	options: z.preprocess(orEmpty, z.string().max(4000, 'surveys.optionsInvalid')),
	minChoices: smallInt(0, 50),
	maxChoices: smallInt(1, 50),
	maxLength: smallInt(1, 4000),
});
export type AddQuestionInput = z.infer<typeof addQuestionInput>;

const direction = z.enum(['up', 'down'], { error: 'surveys.invalid' });

export const questionRefInput = z.object({ surveyId: id, questionId: id });
export const moveQuestionInput = questionRefInput.extend({ direction });
/** A question into a section, or out of any section (empty `sectionId`). */
export const questionSectionInput = questionRefInput.extend({
	sectionId: z.preprocess(absent, id.optional()),
});

export const sectionRefInput = z.object({ surveyId: id, sectionId: id });
export const updateSectionInput = addSectionInput.extend({ sectionId: id });
export const moveSectionInput = sectionRefInput.extend({ direction });

const datetime = z.preprocess(
	orEmpty,
	z.string().trim().refine(isLocalDateTime, 'surveys.timeInvalid'),
);

export const openSurveyInput = z.object({ surveyId: id, closesAt: datetime });
export const surveyIdInput = z.object({ surveyId: id });

/** Answers: `a.<questionId>` and `a.<questionId>.<option>` (see answers.ts). */
const rawAnswers = z
	.object({})
	.catchall(z.preprocess(orEmpty, z.string().max(8000, 'surveys.textTooLong')))
	.default({});

export const respondInput = z.object({ surveyId: id, householdId: id, a: rawAnswers });
export type RespondInput = z.infer<typeof respondInput>;

export const paperResponseInput = respondInput.extend({
	photo: z
		.instanceof(File, { error: 'surveys.photoRequired' })
		.refine((file) => file.size > 0, { message: 'surveys.photoRequired' }),
});
export type PaperResponseInput = z.infer<typeof paperResponseInput>;

export const moderateTextInput = z.object({
	surveyId: id,
	responseId: id,
	questionId: id,
	state: z.enum(['published', 'hidden'], { error: 'surveys.invalid' }),
});

export const publishSurveyInput = z.object({
	surveyId: id,
	note: z.preprocess(orEmpty, z.string().trim().max(1000, 'surveys.noteTooLong')),
	confirm: z.boolean().default(false),
});

/** Sent from the confirmation page: the ticked box, and a reason when below target. */
export const closeSurveyInput = z.object({
	surveyId: id,
	confirm: z.boolean().default(false),
	reason: z.preprocess(orEmpty, z.string().trim().max(1000, 'surveys.noteTooLong')),
});
