import { sql } from 'drizzle-orm';
import {
	check,
	integer,
	pgEnum,
	pgTable,
	serial,
	text,
	timestamp,
	unique,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { communities } from './org.ts';
import { projects } from './projects.ts';

export const userKind = pgEnum('user_kind', ['resident', 'staff']);

/**
 * Residents sign in with a verified mainland mobile number; staff with a username and an
 * argon2id password. Phone numbers are stored normalised (+86…) and never shown publicly.
 */
export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		kind: userKind('kind').notNull(),
		phone: text('phone'),
		username: text('username'),
		passwordHash: text('password_hash'),
		displayName: text('display_name').notNull().default(''),
		locale: text('locale').notNull().default('zh-CN'),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		uniqueIndex('users_phone_uq').on(t.phone),
		uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
		check('users_phone_ck', sql`${t.phone} is null or ${t.phone} ~ '^\\+861[3-9][0-9]{9}$'`),
		check(
			'users_kind_ck',
			sql`(${t.kind} = 'resident' and ${t.username} is null) or (${t.kind} = 'staff' and ${t.username} is not null)`,
		),
		check('users_locale_ck', sql`${t.locale} in ('zh-CN', 'en')`),
	],
);

/** lucia's session table; the id is the SHA-256 of the cookie token, never the token itself. */
export const sessions = pgTable('sessions', {
	id: text('id').primaryKey(),
	userId: text('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const staffRole = pgEnum('staff_role', ['admin', 'officer', 'moderator']);

export const staffRoles = pgTable(
	'staff_roles',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: staffRole('role').notNull(),
	},
	(t) => [unique('staff_roles_uq').on(t.userId, t.role)],
);

/**
 * What a role may touch: a moderator's communities, an officer's projects. Admins are
 * district-wide and carry no scope rows. Exactly one target per row.
 */
export const staffScopes = pgTable(
	'staff_scopes',
	{
		id: serial('id').primaryKey(),
		staffRoleId: integer('staff_role_id')
			.notNull()
			.references(() => staffRoles.id, { onDelete: 'cascade' }),
		communityId: integer('community_id').references(() => communities.id),
		projectId: integer('project_id').references(() => projects.id),
	},
	(t) => [
		check('staff_scopes_one_target_ck', sql`num_nonnulls(${t.communityId}, ${t.projectId}) = 1`),
		uniqueIndex('staff_scopes_community_uq')
			.on(t.staffRoleId, t.communityId)
			.where(sql`${t.communityId} is not null`),
		uniqueIndex('staff_scopes_project_uq')
			.on(t.staffRoleId, t.projectId)
			.where(sql`${t.projectId} is not null`),
	],
);
