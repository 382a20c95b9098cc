import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	numeric,
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
import { districts, households } from './org.ts';
import { users } from './people.ts';
import { planVersions } from './plans.ts';
import { acceptanceRecords } from './progress.ts';
import { projects } from './projects.ts';

/** How a household's 改造协议 (合约书) was confirmed: online by a member, or a signed paper copy. */
export const agreementChannel = pgEnum('agreement_channel', ['online', 'paper']);

/**
 * A household's confirmation of the renovation agreement (改造协议 / 合约书, seed 000) for the
 * final plan: the items that concern it and its cost share as they stood when it agreed. One per
 * household and final plan; a paper copy carries the photo of the signed page.
 */
export const agreements = pgTable(
	'agreements',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		channel: agreementChannel('channel').notNull(),
		/** The household's share of the residents' part (yuan) it agreed to. */
		shareYuan: numeric('share_yuan', { precision: 14, scale: 2 }).notNull(),
		/** The member who confirmed online, or the staff member who recorded the paper copy. */
		confirmedBy: text('confirmed_by').references(() => users.id, { onDelete: 'set null' }),
		scanImageId: text('scan_image_id').references(() => images.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('agreements_household_uq').on(t.planVersionId, t.householdId),
		check('agreements_paper_ck', sql`${t.channel} = 'online' or ${t.scanImageId} is not null`),
		check('agreements_share_ck', sql`${t.shareYuan} >= 0`),
	],
);

/** volunteer → member (confirmed by the committee or drawn by lot); withdrawn stays listed as such. */
export const supervisorStatus = pgEnum('supervisor_status', ['volunteer', 'member', 'withdrawn']);

/**
 * The residents' supervision group (居民监督小组, seed 000): bound residents volunteer; the
 * committee confirms members or draws them by lot (supervision_draws).
 */
export const supervisors = pgTable(
	'supervisors',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		/** How the volunteer agreed to be named in public (e.g. "3号楼 王阿姨"). */
		publicName: text('public_name').notNull(),
		status: supervisorStatus('status').notNull().default('volunteer'),
		drawId: integer('draw_id'),
		decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('supervisors_user_uq').on(t.projectId, t.userId),
		index('supervisors_project_idx').on(t.projectId),
		check('supervisors_name_ck', sql`length(${t.publicName}) between 1 and 40`),
	],
);

/** A published draw by lot: its seed, the number of seats, and who drew it. */
export const supervisionDraws = pgTable('supervision_draws', {
	id: serial('id').primaryKey(),
	projectId: integer('project_id')
		.notNull()
		.references(() => projects.id),
	seed: text('seed').notNull(),
	seats: smallint('seats').notNull(),
	/** The volunteers' ids the draw ran over, in ascending order (so anyone can re-run it). */
	candidateIds: text('candidate_ids').notNull(),
	drawnBy: text('drawn_by').references(() => users.id, { onDelete: 'set null' }),
	drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An inspection note a member of the supervision group posts on the progress page. */
export const inspectionNotes = pgTable(
	'inspection_notes',
	{
		id: serial('id').primaryKey(),
		supervisorId: integer('supervisor_id')
			.notNull()
			.references(() => supervisors.id),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('inspection_notes_project_idx').on(t.projectId)],
);

/** A supervision group member's signature on the joint acceptance record (联合竣工验收). */
export const acceptanceSignatures = pgTable(
	'acceptance_signatures',
	{
		recordId: integer('record_id')
			.notNull()
			.references(() => acceptanceRecords.id, { onDelete: 'cascade' }),
		supervisorId: integer('supervisor_id')
			.notNull()
			.references(() => supervisors.id),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.recordId, t.supervisorId] })],
);

export const explainerKind = pgEnum('explainer_kind', ['explainer', 'faq']);

/**
 * 政策解读: a policy explainer or an FAQ entry (question as title, answer as body), written by
 * staff in Markdown, for a whole district or for one project.
 */
export const policyExplainers = pgTable(
	'policy_explainers',
	{
		id: serial('id').primaryKey(),
		districtId: integer('district_id').references(() => districts.id),
		projectId: integer('project_id').references(() => projects.id),
		kind: explainerKind('kind').notNull(),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		body: text('body').notNull(),
		bodyEn: text('body_en').notNull().default(''),
		sort: smallint('sort').notNull().default(0),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		check('policy_explainers_owner_ck', sql`num_nonnulls(${t.districtId}, ${t.projectId}) = 1`),
		index('policy_explainers_project_idx').on(t.projectId),
	],
);
