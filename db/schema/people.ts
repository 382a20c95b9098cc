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
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { communities, households } from './org.ts';
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

/** One-time sign-in codes: 6 digits, stored hashed, single use, 5 wrong tries at most. */
export const loginCodes = pgTable(
	'login_codes',
	{
		id: serial('id').primaryKey(),
		phone: text('phone').notNull(),
		codeHash: text('code_hash').notNull(),
		/** Tries from the browser that asked for the code (its login ticket). */
		attempts: integer('attempts').notNull().default(0),
		/** Tries from anywhere else: a stranger's guesses cannot use up the owner's tries. */
		foreignAttempts: integer('foreign_attempts').notNull().default(0),
		/** SHA-256 of the ticket cookie given to the browser that asked for the code. */
		ticketHash: text('ticket_hash'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		consumedAt: timestamp('consumed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('login_codes_phone_idx').on(t.phone, t.createdAt),
		check('login_codes_attempts_ck', sql`${t.attempts} between 0 and 100`),
		check('login_codes_foreign_attempts_ck', sql`${t.foreignAttempts} between 0 and 100`),
	],
);

export const memberRelation = pgEnum('member_relation', ['owner', 'family', 'tenant']);

/**
 * Household invitation codes, issued by committee staff per household and per relation. Only
 * the SHA-256 of the code is stored; the clear code is shown once, on the printed slip.
 */
export const householdCodes = pgTable(
	'household_codes',
	{
		id: serial('id').primaryKey(),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		codeHash: text('code_hash').notNull(),
		relation: memberRelation('relation').notNull(),
		maxMembers: integer('max_members').notNull(),
		uses: integer('uses').notNull().default(0),
		issuedBy: text('issued_by')
			.notNull()
			.references(() => users.id),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
	},
	(t) => [
		uniqueIndex('household_codes_hash_uq').on(t.codeHash),
		index('household_codes_household_idx').on(t.householdId),
		check('household_codes_uses_ck', sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxMembers}`),
		check('household_codes_max_ck', sql`${t.maxMembers} between 1 and 20`),
	],
);

/**
 * A resident's membership of a household (户), with the relation that decides what they may
 * do: consent rounds take the owner's ballot or that of a member the owner authorised
 * (民法典 art. 278 counts owners); other rounds and surveys are open to every member.
 */
export const memberships = pgTable(
	'memberships',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		relation: memberRelation('relation').notNull(),
		/** Set by an owner member: this member may cast consent ballots for the household. */
		consentAuthorisedBy: text('consent_authorised_by').references(() => users.id),
		/** Set when staff confirmed the relation (e.g. checked the property certificate). */
		confirmedBy: text('confirmed_by').references(() => users.id),
		viaCodeId: integer('via_code_id').references(() => householdCodes.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		endedAt: timestamp('ended_at', { withTimezone: true }),
	},
	(t) => [
		uniqueIndex('memberships_active_uq')
			.on(t.userId, t.householdId)
			.where(sql`${t.endedAt} is null`),
		index('memberships_household_idx').on(t.householdId),
	],
);
