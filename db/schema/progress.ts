import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { images } from './images.ts';
import { notifications } from './notifications.ts';
import { buildings } from './org.ts';
import { users } from './people.ts';
import { projects, renovationItems } from './projects.ts';

/*
 * Construction progress (周调度、月通报), the joint acceptance (联合竣工验收), residents' meetings
 * (居民议事会) and construction problem reports (派单): issue 8, PRODUCT.md capability 6.
 */

/** An officer's progress update: text (both languages) and photos; item changes hang off it. */
export const progressUpdates = pgTable(
	'progress_updates',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		body: text('body').notNull(),
		bodyEn: text('body_en').notNull().default(''),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('progress_updates_project_idx').on(t.projectId, t.createdAt)],
);

/** Photos of an update (through the image pipeline: metadata stripped, variants served). */
export const progressPhotos = pgTable(
	'progress_photos',
	{
		updateId: integer('update_id')
			.notNull()
			.references(() => progressUpdates.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.updateId, t.imageId] })],
);

export const itemProgressStatus = pgEnum('item_progress_status', [
	'not_started',
	'in_progress',
	'done',
	'dropped',
]);

/** The status rules both tables share: done is 100 %, not started 0 %, dropped says why. */
const statusChecks = (name: string, t: { status: unknown; percent: unknown; reason: unknown }) => [
	check(`${name}_percent_ck`, sql`${t.percent} between 0 and 100`),
	check(
		`${name}_status_ck`,
		sql`(${t.status} <> 'done' or ${t.percent} = 100) and (${t.status} <> 'not_started' or ${t.percent} = 0) and (${t.status} <> 'dropped' or length(${t.reason}) > 0)`,
	),
];

/**
 * The current progress of a renovation item in a project, keyed by the menu item and its
 * building (not by a plan version's row), so it carries over when the plan is revised.
 */
export const itemProgress = pgTable(
	'item_progress',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		itemId: integer('item_id')
			.notNull()
			.references(() => renovationItems.id),
		buildingId: integer('building_id').references(() => buildings.id),
		percent: smallint('percent').notNull().default(0),
		status: itemProgressStatus('status').notNull().default('not_started'),
		/** Why an item was dropped (必填 when dropped: residents are owed the reason). */
		reason: text('reason').notNull().default(''),
		updateId: integer('update_id').references(() => progressUpdates.id),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		uniqueIndex('item_progress_uq').on(t.projectId, t.itemId, sql`coalesce(${t.buildingId}, 0)`),
		...statusChecks('item_progress', t),
	],
);

/** What an update changed, item by item (the timeline shows these). */
export const progressItemChanges = pgTable(
	'progress_item_changes',
	{
		id: serial('id').primaryKey(),
		updateId: integer('update_id')
			.notNull()
			.references(() => progressUpdates.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => renovationItems.id),
		buildingId: integer('building_id').references(() => buildings.id),
		percent: smallint('percent').notNull(),
		status: itemProgressStatus('status').notNull(),
		reason: text('reason').notNull().default(''),
	},
	(t) => [
		index('progress_item_changes_update_idx').on(t.updateId),
		...statusChecks('progress_item_changes', t),
	],
);

/** 开工 works started, 完工 works completed, 联合竣工验收 joint acceptance. */
export const milestoneKind = pgEnum('milestone_kind', [
	'works_started',
	'works_completed',
	'joint_acceptance',
]);

export const milestones = pgTable(
	'milestones',
	{
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		kind: milestoneKind('kind').notNull(),
		plannedOn: date('planned_on'),
		achievedOn: date('achieved_on'),
		/** When followers were told it was achieved (once; a corrected date tells nobody again). */
		announcedAt: timestamp('announced_at', { withTimezone: true }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.projectId, t.kind] })],
);

export const acceptanceOutcome = pgEnum('acceptance_outcome', [
	'passed',
	'passed_with_defects',
	'failed',
]);

/** The joint completion acceptance (联合竣工验收) with residents' representatives; one per project. */
export const acceptanceRecords = pgTable('acceptance_records', {
	id: serial('id').primaryKey(),
	projectId: integer('project_id')
		.notNull()
		.unique()
		.references(() => projects.id),
	heldOn: date('held_on').notNull(),
	/** Participating units, one per line (建设、设计、施工、监理单位, 社区…). */
	units: text('units').notNull(),
	/** Residents' representatives, one per line (as they agreed to be named). */
	representatives: text('representatives').notNull(),
	outcome: acceptanceOutcome('outcome').notNull(),
	notes: text('notes').notNull().default(''),
	recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Open defects found at acceptance, each with a deadline to fix it (整改期限). */
export const acceptanceDefects = pgTable(
	'acceptance_defects',
	{
		id: serial('id').primaryKey(),
		recordId: integer('record_id')
			.notNull()
			.references(() => acceptanceRecords.id, { onDelete: 'cascade' }),
		description: text('description').notNull(),
		dueOn: date('due_on').notNull(),
		fixedOn: date('fixed_on'),
	},
	(t) => [index('acceptance_defects_record_idx').on(t.recordId)],
);

/** Scans of the signed acceptance form (images through the pipeline). */
export const acceptanceScans = pgTable(
	'acceptance_scans',
	{
		recordId: integer('record_id')
			.notNull()
			.references(() => acceptanceRecords.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.recordId, t.imageId] })],
);

/** A residents' meeting (居民议事会 / 夜谈会): announced, then minuted. */
export const meetings = pgTable(
	'meetings',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		title: text('title').notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		place: text('place').notNull(),
		agenda: text('agenda').notNull().default(''),
		/** Minutes: the opinions raised and the decisions taken; empty until published. */
		minutes: text('minutes').notNull().default(''),
		decisions: text('decisions').notNull().default(''),
		attendance: integer('attendance'),
		minutesPublishedAt: timestamp('minutes_published_at', { withTimezone: true }),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('meetings_project_idx').on(t.projectId, t.startsAt),
		check('meetings_attendance_ck', sql`${t.attendance} is null or ${t.attendance} >= 0`),
		check('meetings_minutes_ck', sql`${t.minutesPublishedAt} is null or length(${t.minutes}) > 0`),
	],
);

/** "I will come": one row per resident and meeting. */
export const meetingRsvps = pgTable(
	'meeting_rsvps',
	{
		meetingId: integer('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.userId] })],
);

export const problemStatus = pgEnum('problem_status', ['open', 'dispatched', 'closed']);

/**
 * A construction problem a resident reports (派单): open → dispatched to a responsible unit
 * with a due date → closed with an answer. The report is seen by its reporter and the staff;
 * the public sees counts and time to close only (a report may describe someone's home).
 */
export const problemReports = pgTable(
	'problem_reports',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		/** Null once the reporter deleted their account (PIPL): the report stays, detached. */
		reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		/** Where: a building of the project's compounds and/or a spot ("3单元楼道"). */
		buildingId: integer('building_id').references(() => buildings.id),
		place: text('place').notNull().default(''),
		status: problemStatus('status').notNull().default('open'),
		/** A key of the configured responsible units (PROBLEM_UNITS). */
		unit: text('unit'),
		dueOn: date('due_on'),
		dispatchedBy: text('dispatched_by').references(() => users.id, { onDelete: 'set null' }),
		dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
		answer: text('answer').notNull().default(''),
		answerImageId: text('answer_image_id').references(() => images.id),
		closedBy: text('closed_by').references(() => users.id, { onDelete: 'set null' }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('problem_reports_project_idx').on(t.projectId, t.status),
		index('problem_reports_reporter_idx').on(t.reporterId),
		check(
			'problem_reports_dispatch_ck',
			sql`${t.status} = 'open' or (${t.unit} is not null and ${t.dispatchedAt} is not null)`,
		),
		check(
			'problem_reports_close_ck',
			sql`(${t.status} = 'closed') = (${t.closedAt} is not null) and (${t.status} <> 'closed' or length(${t.answer}) > 0)`,
		),
	],
);

/** Up to three photos of a report (the limit is the command's; the key keeps them distinct). */
export const problemPhotos = pgTable(
	'problem_photos',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => problemReports.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.reportId, t.imageId] })],
);

/** A resident's notification choices: SMS copies of round and survey openings are opt-in. */
export const notificationSettings = pgTable('notification_settings', {
	userId: text('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	smsOptIn: boolean('sms_opt_in').notNull().default(false),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One outside delivery of a notification per channel: the row the SMS job locks, so a retried
 * or doubly-run job sends at most once per (notification, channel).
 */
export const notificationDeliveries = pgTable(
	'notification_deliveries',
	{
		notificationId: integer('notification_id')
			.notNull()
			.references(() => notifications.id, { onDelete: 'cascade' }),
		channel: text('channel').notNull(),
		state: text('state').notNull().default('queued'),
		/** Why it was skipped: 'opted_out', 'no_phone', 'rate_limited'. */
		reason: text('reason').notNull().default(''),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		primaryKey({ columns: [t.notificationId, t.channel] }),
		check('notification_deliveries_channel_ck', sql`${t.channel} in ('sms')`),
		check(
			'notification_deliveries_state_ck',
			sql`${t.state} in ('queued', 'sent', 'skipped') and (${t.state} = 'sent') = (${t.sentAt} is not null)`,
		),
		index('notification_deliveries_sent_idx')
			.on(t.sentAt)
			.where(sql`${t.state} = 'sent'`),
	],
);
