import { sql } from 'drizzle-orm';
import {
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	serial,
	smallint,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';
import { opinions } from './opinions.ts';
import { planChanges, planItems } from './plans.ts';
import { communities } from './org.ts';
import { users } from './people.ts';
import { projects } from './projects.ts';

/**
 * Why an opinion is in the committee's queue: the project is pre-moderated (先审后发), its text
 * matched the sensitive-word list, or residents reported it.
 */
export const moderationCause = pgEnum('moderation_cause', ['premoderation', 'words', 'reports']);

/**
 * The official answer's disposition: 采纳 adopted, 部分采纳 partly adopted, 不予采纳 not adopted
 * (always with the reason: "不合理建议针对性沟通"), 已知悉 noted.
 */
export const disposition = pgEnum('disposition', [
	'adopted',
	'partly_adopted',
	'not_adopted',
	'noted',
]);

/**
 * The admin-editable sensitive-word list. `pattern` is what the admin typed; `normalised` is its
 * canonical form (full-width folded, lower case, separators removed), unique so the same word
 * cannot be listed twice in two spellings.
 */
export const sensitiveWords = pgTable(
	'sensitive_words',
	{
		id: serial('id').primaryKey(),
		pattern: text('pattern').notNull(),
		normalised: text('normalised').notNull().unique(),
		createdBy: text('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [check('sensitive_words_pattern_ck', sql`length(${t.pattern}) between 1 and 60`)],
);

/**
 * An opinion's place in its community's moderation queue: one row per opinion, open while
 * `resolved_at` is null. Community and project are copied from the opinion's project so the
 * queue of one community is read from one index. `reviewed_at` is the last decision: reports
 * made before it do not count towards hiding the opinion again.
 */
export const moderationFlags = pgTable(
	'moderation_flags',
	{
		opinionId: integer('opinion_id')
			.primaryKey()
			.references(() => opinions.id),
		communityId: integer('community_id')
			.notNull()
			.references(() => communities.id),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		cause: moderationCause('cause').notNull(),
		/** The list entries the text matched (cause 'words'). */
		matched: text('matched')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		flaggedAt: timestamp('flagged_at', { withTimezone: true }).notNull().defaultNow(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: text('resolved_by').references(() => users.id),
		reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
	},
	(t) => [
		index('moderation_flags_open_idx')
			.on(t.communityId, t.flaggedAt)
			.where(sql`${t.resolvedAt} is null`),
		index('moderation_flags_project_idx').on(t.projectId),
	],
);

/**
 * The committee's official answer to an opinion (one per opinion; the current text). Every
 * version of it, the first included, is kept in opinion_answer_revisions.
 */
export const opinionAnswers = pgTable(
	'opinion_answers',
	{
		id: serial('id').primaryKey(),
		opinionId: integer('opinion_id')
			.notNull()
			.unique()
			.references(() => opinions.id),
		disposition: disposition('disposition').notNull(),
		body: text('body').notNull().default(''),
		revision: smallint('revision').notNull().default(1),
		answeredBy: text('answered_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/**
		 * What carries an adopted (or partly adopted) opinion into a later plan version (issue 21:
		 * "adopted means changed"): one of its items or one of its listed changes; neither means
		 * "in the next version", still to be linked.
		 */
		carrierItemId: integer('carrier_item_id').references(() => planItems.id, {
			onDelete: 'set null',
		}),
		carrierChangeId: integer('carrier_change_id').references(() => planChanges.id, {
			onDelete: 'set null',
		}),
	},
	(t) => [
		check('opinion_answers_body_ck', sql`length(${t.body}) <= 2000`),
		check(
			'opinion_answers_carrier_ck',
			sql`num_nonnulls(${t.carrierItemId}, ${t.carrierChangeId}) <= 1`,
		),
		check(
			'opinion_answers_reason_ck',
			sql`${t.disposition} <> 'not_adopted' or length(btrim(${t.body})) > 0`,
		),
		check('opinion_answers_revision_ck', sql`${t.revision} >= 1`),
	],
);

export const opinionAnswerRevisions = pgTable(
	'opinion_answer_revisions',
	{
		id: serial('id').primaryKey(),
		answerId: integer('answer_id')
			.notNull()
			.references(() => opinionAnswers.id),
		revision: smallint('revision').notNull(),
		disposition: disposition('disposition').notNull(),
		body: text('body').notNull(),
		editedBy: text('edited_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [unique('opinion_answer_revisions_uq').on(t.answerId, t.revision)],
);

/**
 * A resident barred from commenting in one community's projects until `ends_at` (a
 * moderator's scope is their community, so is their block). Lifting keeps the row.
 */
export const commentBlocks = pgTable(
	'comment_blocks',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		communityId: integer('community_id')
			.notNull()
			.references(() => communities.id),
		/** The opinion that led to the block, for the record. */
		opinionId: integer('opinion_id').references(() => opinions.id),
		reason: text('reason').notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		createdBy: text('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		liftedAt: timestamp('lifted_at', { withTimezone: true }),
		liftedBy: text('lifted_by').references(() => users.id),
	},
	(t) => [
		check('comment_blocks_reason_ck', sql`length(${t.reason}) between 1 and 200`),
		check('comment_blocks_ends_ck', sql`${t.endsAt} > ${t.createdAt}`),
		index('comment_blocks_user_idx').on(t.userId, t.communityId),
	],
);

/**
 * Opinions received offline (居民议事会 / 夜谈会, by phone, on paper), recorded by staff for a
 * household: who recorded it and the day it was received (the opinion's own row carries the
 * channel and the household).
 */
export const offlineOpinions = pgTable('offline_opinions', {
	opinionId: integer('opinion_id')
		.primaryKey()
		.references(() => opinions.id),
	recordedBy: text('recorded_by')
		.notNull()
		.references(() => users.id),
	receivedOn: date('received_on').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
