import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	serial,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';
import { households } from './org.ts';
import { users } from './people.ts';
import { projects } from './projects.ts';

/*
 * 居民公约 (residents' convention), issue 23 item 4: the compound's own rules for life after the
 * works (upkeep, parking, rubbish, shared spaces), published by the committee in Markdown and
 * confirmed household by household — online by an owner or family member, or on paper through
 * the committee — and counted per building, like agreements.
 */

/** One version of a project's convention; a change publishes the next version, never an edit. */
export const conventionVersions = pgTable(
	'convention_versions',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		version: integer('version').notNull(),
		title: text('title').notNull(),
		/** Markdown, rendered safely (plans/markdown.ts). */
		body: text('body').notNull(),
		bodyEn: text('body_en').notNull().default(''),
		publishedBy: text('published_by').references(() => users.id, { onDelete: 'set null' }),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('convention_versions_version_uq').on(t.projectId, t.version),
		check('convention_versions_version_ck', sql`${t.version} >= 1`),
	],
);

export const conventionChannel = pgEnum('convention_channel', ['online', 'paper']);

/**
 * A household's confirmation of one version (one per household and version): online by a bound
 * owner or family member, or a paper slip the committee recorded. A new version starts a new
 * count.
 */
export const conventionConfirmations = pgTable(
	'convention_confirmations',
	{
		id: serial('id').primaryKey(),
		versionId: integer('version_id')
			.notNull()
			.references(() => conventionVersions.id),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		channel: conventionChannel('channel').notNull(),
		/** The resident who confirmed, or the staff member who recorded the paper slip. */
		recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('convention_confirmations_household_uq').on(t.versionId, t.householdId),
		index('convention_confirmations_household_idx').on(t.householdId),
	],
);
