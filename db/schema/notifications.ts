import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
} from 'drizzle-orm/pg-core';
import { users } from './people.ts';
import { projects } from './projects.ts';

/**
 * In-app notifications for residents (the notification centre). One row per recipient; the
 * text is rendered from `kind` + `params` in the reader's language, so nothing is stored
 * translated. SMS copies go through the job queue (see src/lib/server/notifications).
 */
export const notifications = pgTable(
	'notifications',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** e.g. 'opinion.answered', 'opinion.hidden', 'round.opened', 'results.published', 'progress.milestone'. */
		kind: text('kind').notNull(),
		params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
		/** Site path the notification links to (never an absolute URL). */
		link: text('link').notNull().default('/'),
		projectId: integer('project_id').references(() => projects.id),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('notifications_user_idx').on(t.userId, t.createdAt),
		check('notifications_link_ck', sql`${t.link} ~ '^/[^/]'  or ${t.link} = '/'`),
	],
);

/** Residents following a project (explicitly, or automatically when they comment or are bound). */
export const follows = pgTable(
	'follows',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		automatic: boolean('automatic').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.userId, t.projectId] })],
);
