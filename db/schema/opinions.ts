import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
	unique,
	type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { households } from './org.ts';
import { users } from './people.ts';
import { planChanges, planItems, planVersions, renderings } from './plans.ts';

export const alignment = pgEnum('alignment', ['support', 'object', 'neutral']);
export const opinionState = pgEnum('opinion_state', ['pending', 'published', 'hidden', 'rejected']);
export const opinionChannel = pgEnum('opinion_channel', ['online', 'meeting', 'phone', 'paper']);

/**
 * An opinion (意见) on a plan version, one of its renderings or one of its items; replies are
 * one level deep. The author is shown only as "N号楼住户" (author_building, a snapshot taken when
 * writing), never by phone or name. Moderation changes state, never deletes.
 */
export const opinions = pgTable(
	'opinions',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id),
		renderingId: integer('rendering_id').references(() => renderings.id),
		planItemId: integer('plan_item_id').references(() => planItems.id),
		parentId: integer('parent_id').references((): AnyPgColumn => opinions.id),
		authorId: text('author_id').references(() => users.id),
		/** The household an opinion is recorded for (offline opinions, or the author's own). */
		householdId: integer('household_id').references(() => households.id),
		authorBuilding: text('author_building').notNull().default(''),
		alignment: alignment('alignment').notNull().default('neutral'),
		body: text('body').notNull(),
		state: opinionState('state').notNull().default('published'),
		stateReason: text('state_reason').notNull().default(''),
		channel: opinionChannel('channel').notNull().default('online'),
		meTooCount: integer('me_too_count').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** When the author last changed the text (each earlier text is in opinion_revisions). */
		editedAt: timestamp('edited_at', { withTimezone: true }),
		/** When the author withdrew it (before any answer): kept, shown to no one else. */
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
	},
	(t) => [
		check('opinions_body_ck', sql`length(${t.body}) between 1 and 2000`),
		check('opinions_target_ck', sql`num_nonnulls(${t.renderingId}, ${t.planItemId}) <= 1`),
		check('opinions_me_too_ck', sql`${t.meTooCount} >= 0`),
		index('opinions_version_idx').on(t.planVersionId, t.state, t.createdAt),
		index('opinions_parent_idx').on(t.parentId),
		index('opinions_author_idx').on(t.authorId),
	],
);

/** "Me too" (我也这么想): one per resident per opinion. */
export const opinionReactions = pgTable(
	'opinion_reactions',
	{
		opinionId: integer('opinion_id')
			.notNull()
			.references(() => opinions.id),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.opinionId, t.userId] })],
);

export const reportReason = pgEnum('report_reason', [
	'spam',
	'abusive',
	'personal_info',
	'off_topic',
	'other',
]);

/** Reports by residents; one per resident per opinion (the moderation issue acts on them). */
export const opinionReports = pgTable(
	'opinion_reports',
	{
		id: serial('id').primaryKey(),
		opinionId: integer('opinion_id')
			.notNull()
			.references(() => opinions.id),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		reason: reportReason('reason').notNull(),
		text: text('text').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('opinion_reports_uq').on(t.opinionId, t.userId),
		index('opinion_reports_opinion_idx').on(t.opinionId),
	],
);

/** Which opinions caused a change between plan versions. */
export const planChangeOpinions = pgTable(
	'plan_change_opinions',
	{
		changeId: integer('change_id')
			.notNull()
			.references(() => planChanges.id, { onDelete: 'cascade' }),
		opinionId: integer('opinion_id')
			.notNull()
			.references(() => opinions.id),
	},
	(t) => [primaryKey({ columns: [t.changeId, t.opinionId] })],
);

/**
 * An opinion's earlier texts: each edit or withdrawal by its author stores what was there
 * before, so what residents and the committee read can always be traced (issue 19).
 */
export const opinionRevisions = pgTable(
	'opinion_revisions',
	{
		id: serial('id').primaryKey(),
		opinionId: integer('opinion_id')
			.notNull()
			.references(() => opinions.id),
		kind: text('kind').notNull(),
		body: text('body').notNull(),
		alignment: alignment('alignment').notNull(),
		/** When that text stopped being the current one. */
		replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('opinion_revisions_opinion_idx').on(t.opinionId),
		check('opinion_revisions_kind_ck', sql`${t.kind} in ('edit', 'withdraw')`),
	],
);
