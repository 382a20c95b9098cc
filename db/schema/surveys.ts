import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';
import { images } from './images.ts';
import { buildings, compounds, households } from './org.ts';
import { users } from './people.ts';
import { planItems } from './plans.ts';
import { projects } from './projects.ts';

/**
 * Satisfaction surveys after completion (改造后问效于民, 效果共评; PRODUCT capability 5).
 *
 * A survey is built as a draft, then published (opened): from then on its questions and its
 * anonymity never change. Responses are one per household (default) or per resident, enforced
 * by a unique key. Results are published after close as immutable, versioned snapshots.
 */

/** draft → open (published to residents; immutable) → closed. */
export const surveyStatus = pgEnum('survey_status', ['draft', 'open', 'closed']);

/** Who answers: one response per household (default) or one per resident. */
export const surveyMode = pgEnum('survey_mode', ['household', 'resident']);

export const surveyQuestionKind = pgEnum('survey_question_kind', [
	'rating',
	'single',
	'multiple',
	'text',
]);

export const surveyChannel = pgEnum('survey_channel', ['online', 'paper']);

/** Free text is published only after moderation; hidden text stays stored, never deleted. */
export const surveyTextState = pgEnum('survey_text_state', ['pending', 'published', 'hidden']);

export const surveys = pgTable(
	'surveys',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		description: text('description').notNull().default(''),
		descriptionEn: text('description_en').notNull().default(''),
		mode: surveyMode('mode').notNull().default('household'),
		/** Fixed when the survey is published: results never show who answered what. */
		anonymous: boolean('anonymous').notNull().default(true),
		status: surveyStatus('status').notNull().default('draft'),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		/** Answers are taken until this moment (or until staff close the survey earlier). */
		closesAt: timestamp('closes_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** Why staff closed it early below the participation target (shown with its results). */
		earlyCloseReason: text('early_close_reason').notNull().default(''),
		/** Households in scope when it was published (participation denominator). */
		scopeHouseholds: integer('scope_households').notNull().default(0),
		createdBy: text('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('surveys_project_idx').on(t.projectId),
		check(
			'surveys_published_ck',
			sql`${t.status} = 'draft' or (${t.publishedAt} is not null and ${t.closesAt} is not null)`,
		),
		check('surveys_closed_ck', sql`${t.status} <> 'closed' or ${t.closedAt} is not null`),
	],
);

export const surveySections = pgTable(
	'survey_sections',
	{
		id: serial('id').primaryKey(),
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [index('survey_sections_survey_idx').on(t.surveyId)],
);

/** One choice of a single or multiple choice question; answers store its index. */
export type SurveyOption = { label: string; labelEn: string };

/**
 * A question. `role` marks the template's questions: 'item' (one completed plan item, with
 * `planItemId`), 'overall' (overall satisfaction, what the district dashboard compares) and
 * 'recommend'. Multiple choice carries min/max choices, free text a length limit.
 */
export const surveyQuestions = pgTable(
	'survey_questions',
	{
		id: serial('id').primaryKey(),
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id, { onDelete: 'cascade' }),
		sectionId: integer('section_id').references(() => surveySections.id, { onDelete: 'set null' }),
		kind: surveyQuestionKind('kind').notNull(),
		prompt: text('prompt').notNull(),
		promptEn: text('prompt_en').notNull().default(''),
		required: boolean('required').notNull().default(true),
		sort: smallint('sort').notNull().default(0),
		options: jsonb('options').$type<SurveyOption[]>().notNull().default([]),
		minChoices: smallint('min_choices'),
		maxChoices: smallint('max_choices'),
		maxLength: smallint('max_length'),
		role: text('role'),
		planItemId: integer('plan_item_id').references(() => planItems.id),
	},
	(t) => [
		index('survey_questions_survey_idx').on(t.surveyId, t.sort),
		check(
			'survey_questions_role_ck',
			sql`${t.role} is null or ${t.role} in ('item', 'overall', 'recommend')`,
		),
		check(
			'survey_questions_choices_ck',
			sql`${t.minChoices} is null or ${t.maxChoices} is null or (${t.minChoices} >= 0 and ${t.maxChoices} >= greatest(${t.minChoices}, 1))`,
		),
		check(
			'survey_questions_length_ck',
			sql`${t.maxLength} is null or ${t.maxLength} between 1 and 4000`,
		),
	],
);

/** The households in scope, frozen when the survey was published (for participation). */
export const surveyHouseholds = pgTable(
	'survey_households',
	{
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id, { onDelete: 'cascade' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
		buildingId: integer('building_id')
			.notNull()
			.references(() => buildings.id),
	},
	(t) => [
		primaryKey({ columns: [t.surveyId, t.householdId] }),
		index('survey_households_building_idx').on(t.surveyId, t.buildingId),
	],
);

/**
 * One response per respondent: `respondentKey` is 'h:<householdId>' in household mode and
 * 'u:<userId>' in resident mode (a paper form in resident mode: 'p:<uuid>'), and the unique
 * constraint makes a second response impossible whatever the concurrency. Changing a response
 * replaces its answers and bumps `revision`.
 */
export const surveyResponses = pgTable(
	'survey_responses',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id, { onDelete: 'cascade' }),
		respondentKey: text('respondent_key').notNull(),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		buildingId: integer('building_id')
			.notNull()
			.references(() => buildings.id),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		channel: surveyChannel('channel').notNull(),
		enteredBy: text('entered_by').references(() => users.id),
		photoImageId: text('photo_image_id').references(() => images.id),
		revision: integer('revision').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('survey_responses_respondent_uq').on(t.surveyId, t.respondentKey),
		index('survey_responses_household_idx').on(t.surveyId, t.householdId),
		check(
			'survey_responses_paper_ck',
			sql`${t.channel} = 'online' or (${t.enteredBy} is not null and ${t.photoImageId} is not null)`,
		),
	],
);

/**
 * Answers, one row per chosen value: a rating 1–5, an option index (one row per option chosen
 * for multiple choice, so counts are per option, never per combination), or value 0 with text.
 */
export const surveyAnswers = pgTable(
	'survey_answers',
	{
		responseId: bigint('response_id', { mode: 'number' })
			.notNull()
			.references(() => surveyResponses.id, { onDelete: 'cascade' }),
		surveyId: integer('survey_id').notNull(),
		questionId: integer('question_id')
			.notNull()
			.references(() => surveyQuestions.id, { onDelete: 'cascade' }),
		value: smallint('value').notNull(),
		text: text('text'),
		textState: surveyTextState('text_state'),
		moderatedBy: text('moderated_by').references(() => users.id),
	},
	(t) => [
		primaryKey({ columns: [t.responseId, t.questionId, t.value] }),
		index('survey_answers_question_idx').on(t.surveyId, t.questionId, t.value),
		/** The moderated free text results show, without reading every answer of a large survey. */
		index('survey_answers_published_text_idx')
			.on(t.surveyId, t.questionId, t.text)
			.where(sql`${t.textState} = 'published'`),
		check('survey_answers_value_ck', sql`${t.value} between 0 and 100`),
		check('survey_answers_text_ck', sql`(${t.text} is null) = (${t.textState} is null)`),
	],
);

/**
 * Published results (公示): an immutable snapshot per version, with the figures the district
 * dashboard compares. A correction is a new version with a note; a trigger refuses any update
 * or delete (a published result never changes silently).
 */
export const surveyResults = pgTable(
	'survey_results',
	{
		id: serial('id').primaryKey(),
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		version: smallint('version').notNull(),
		note: text('note').notNull().default(''),
		snapshot: jsonb('snapshot').notNull(),
		digest: text('digest').notNull(),
		responses: integer('responses').notNull(),
		households: integer('households').notNull(),
		respondedHouseholds: integer('responded_households').notNull(),
		/** Satisfied + very satisfied / valid answers of the overall question (null: none). */
		satisfiedCount: integer('satisfied_count'),
		validCount: integer('valid_count'),
		publishedBy: text('published_by').references(() => users.id),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('survey_results_version_uq').on(t.surveyId, t.version),
		index('survey_results_project_idx').on(t.projectId),
		check('survey_results_version_ck', sql`${t.version} >= 1`),
	],
);

/** What a tally row counts (see src/lib/server/surveys/tallies.ts). */
export const surveyTallyCounter = pgEnum('survey_tally_counter', [
	/** households in scope, frozen at publication */
	'scope',
	/** responses (per household, or per resident) */
	'responses',
	/** distinct households that responded */
	'households',
	/** responses that answered the question */
	'answered',
	/** answer rows with this rating or option index (free text is not counted here) */
	'value',
]);

/**
 * Running totals of a survey's responses, kept in the same transaction as every response (as
 * the ballots module keeps its tallies), so the results of a survey of any size are one small
 * read. `buildingId` 0 is the whole survey; per building only scope, responses, households and
 * the overall question are kept (what the per-building table shows). `questionId` and `value`
 * are 0 where the counter is not about one. A recount from the answers gives the same rows
 * (`recountTallies`); rows that fall back to 0 are kept.
 */
export const surveyTallies = pgTable(
	'survey_tallies',
	{
		surveyId: integer('survey_id')
			.notNull()
			.references(() => surveys.id, { onDelete: 'cascade' }),
		buildingId: integer('building_id').notNull(),
		counter: surveyTallyCounter('counter').notNull(),
		questionId: integer('question_id').notNull(),
		value: smallint('value').notNull(),
		n: integer('n').notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.surveyId, t.buildingId, t.counter, t.questionId, t.value] }),
		check('survey_tallies_n_ck', sql`${t.n} >= 0`),
	],
);
