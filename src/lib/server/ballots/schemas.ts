import { z } from 'zod';
import { isLocalDateTime } from '../shared/index.ts';

/** Inputs of the ballots module, validated at the edge; messages are i18n keys. */

export const choiceInput = z.enum(['agree', 'disagree', 'abstain'], {
	error: 'ballots.choiceInvalid',
});

const id = z.coerce.number().int().positive().max(2_147_483_647);

/**
 * Astro hands an empty form field over as null: optional fields read null or '' as absent,
 * optional texts as ''.
 */
const absent = (value: unknown) => (value === '' || value === null ? undefined : value);
const optionalId = z.preprocess(absent, id.optional());
const optionalText = (
	max: number,
	message:
		| 'ballots.commentTooLong'
		| 'ballots.titleInvalid'
		| 'ballots.descriptionTooLong'
		| 'ballots.questionsInvalid'
		| 'ballots.choiceQuestionInvalid'
		| 'ballots.noteTooLong',
) =>
	z.preprocess(
		(value) => (value === null || value === undefined ? '' : value),
		z.string().trim().max(max, message),
	);

/** Form fields `choices.<roundItemId>` (radio groups) become `{ [roundItemId]: choice }`. */
const choices = z
	.object({})
	.catchall(choiceInput)
	.refine((value) => Object.keys(value).every((key) => /^\d{1,10}$/.test(key)), {
		message: 'ballots.choiceInvalid',
	});

/**
 * Form fields `options.<questionId>` (one radio group per single-choice question) become
 * `{ [questionId]: optionItemId | 'abstain' }`.
 */
const options = z
	.object({})
	.catchall(
		z
			.string({ error: 'ballots.choiceInvalid' })
			.regex(/^(abstain|\d{1,10})$/, 'ballots.choiceInvalid'),
	)
	.refine((value) => Object.keys(value).every((key) => /^\d{1,10}$/.test(key)), {
		message: 'ballots.choiceInvalid',
	});

const comment = optionalText(2000, 'ballots.commentTooLong');

export const castBallotInput = z.object({
	roundId: id,
	householdId: id,
	choices: choices.default({}),
	options: options.default({}),
	overall: z.preprocess(absent, choiceInput.optional()),
	comment,
});
/** `options` may be left out by callers whose round has no single-choice question. */
export type CastBallotInput = Omit<z.infer<typeof castBallotInput>, 'options'> &
	Partial<Pick<z.infer<typeof castBallotInput>, 'options'>>;

const datetime = z
	.string({ error: 'ballots.timeInvalid' })
	.trim()
	.refine(isLocalDateTime, 'ballots.timeInvalid');

/**
 * A paper form (入户) entered by committee staff. `filledAt` is when the household filled it in
 * (Beijing time): when an online ballot exists, the newer of the two counts.
 */
export const paperBallotInput = castBallotInput.extend({
	filledAt: datetime,
	photo: z
		.instanceof(File, { error: 'ballots.photoRequired' })
		.refine((file) => file.size > 0, { message: 'ballots.photoRequired' }),
});
export type PaperBallotInput = Omit<z.infer<typeof paperBallotInput>, 'options'> &
	Pick<CastBallotInput, 'options'>;

/**
 * A paper form as the staff page posts it, in single- or double-entry rounds. The photo may be
 * left out only when the form confirms an entry awaiting confirmation (`confirms`, the first
 * entry's id): the first entry's photo is the form's. An empty file input counts as none.
 */
export const paperFormInput = castBallotInput.extend({
	filledAt: datetime,
	photo: z.preprocess(
		(value) => (value === null || (value instanceof File && value.size === 0) ? undefined : value),
		z.instanceof(File, { error: 'ballots.photoRequired' }).optional(),
	),
	confirms: optionalId,
});
export type PaperFormInput = Omit<z.infer<typeof paperFormInput>, 'options' | 'photo'> &
	Pick<CastBallotInput, 'options'> & { photo?: File | Uint8Array | undefined };

/** A reviewer's decision on a double-entered form: count this entry, or discard the pair. */
export const resolvePaperInput = z.object({
	roundId: id,
	entryId: id,
	decision: z.enum(['accept', 'discard'], { error: 'ballots.decisionInvalid' }),
});
export type ResolvePaperInput = z.infer<typeof resolvePaperInput>;

/** Double entry of paper forms on or off, while the round is a draft. */
/** Floor coefficients as typed: parsed by ballots/floors.ts in the command. */
export const floorCoefficientsInput = z.object({
	roundId: id,
	// An emptied textarea arrives as null: it clears the coefficients.
	coefficients: z
		.string()
		.max(4000)
		.nullish()
		.transform((value) => value ?? ''),
});

export const doubleEntryInput = z.object({
	roundId: id,
	doubleEntry: z.boolean().default(false),
});

const text = (max: number, message: string) => z.string().trim().max(max, message);

export const createRoundInput = z
	.object({
		projectId: id,
		kind: z.enum(['needs', 'plan_opinion', 'special'], { error: 'ballots.kindInvalid' }),
		title: text(120, 'ballots.titleInvalid').min(2, 'ballots.titleInvalid'),
		titleEn: optionalText(160, 'ballots.titleInvalid'),
		description: optionalText(4000, 'ballots.descriptionTooLong'),
		descriptionEn: optionalText(4000, 'ballots.descriptionTooLong'),
		planVersionId: optionalId,
		scopeBuildingId: optionalId,
		/** Menu items asked about (needs questionnaires). */
		itemIds: z.array(id).max(60, 'ballots.tooManyItems').default([]),
		/** Special decisions: one question per line (optionally "中文 | English"). */
		questions: optionalText(4000, 'ballots.questionsInvalid'),
		/** The typed questions (and the choice question) are special matters of art. 278 (6)–(8). */
		specialMatter: z.boolean().default(false),
		rule: z.enum(['simple_majority', 'civil_code_majority', 'civil_code_three_quarters'], {
			error: 'ballots.ruleInvalid',
		}),
		decisionScope: z.enum(['compound', 'building', 'unit'], { error: 'ballots.scopeInvalid' }),
		opensAt: datetime,
		closesAt: datetime,
		talliesPublic: z.boolean().default(false),
		/** Paper forms count only once a second committee member entered them again. */
		doubleEntry: z.boolean().default(false),
		/**
		 * Special decisions: one single-choice question (e.g. the property-management model), its
		 * options one per line ("中文 | English"), decided by plurality or the Civil Code.
		 */
		choiceTitle: optionalText(200, 'ballots.choiceQuestionInvalid'),
		choiceTitleEn: optionalText(300, 'ballots.choiceQuestionInvalid'),
		choiceOptions: optionalText(2000, 'ballots.choiceQuestionInvalid'),
		choiceRule: z
			.enum(['plurality', 'civil_code_majority', 'civil_code_three_quarters'], {
				error: 'ballots.ruleInvalid',
			})
			.default('plurality'),
		targetPercent: z.preprocess(
			absent,
			z.coerce
				.number({ error: 'ballots.targetInvalid' })
				.int('ballots.targetInvalid')
				.min(1, 'ballots.targetInvalid')
				.max(100, 'ballots.targetInvalid')
				.optional(),
		),
	})
	.refine((v) => v.kind !== 'plan_opinion' || v.planVersionId !== undefined, {
		message: 'ballots.planVersionRequired',
		path: ['planVersionId'],
	});
type ParsedRoundInput = z.infer<typeof createRoundInput>;
type RoundExtras =
	| 'doubleEntry'
	| 'specialMatter'
	| 'choiceTitle'
	| 'choiceTitleEn'
	| 'choiceOptions'
	| 'choiceRule';
/** What `createRound` takes: double entry and a single-choice question are optional. */
export type CreateRoundInput = Omit<ParsedRoundInput, RoundExtras> &
	Partial<Pick<ParsedRoundInput, RoundExtras>>;

export const roundIdInput = z.object({ roundId: id });

/** Sent from the confirmation page: the ticked box, and a reason when below target. */
export const closeRoundInput = z.object({
	roundId: id,
	confirm: z.boolean().default(false),
	reason: optionalText(1000, 'ballots.noteTooLong'),
});

export const publishInput = z.object({
	roundId: id,
	note: optionalText(1000, 'ballots.noteTooLong'),
	confirm: z.boolean().default(false),
});

export const reviewConflictInput = z.object({ roundId: id, householdId: id });
