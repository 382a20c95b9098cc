import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	numeric,
	pgEnum,
	pgTable,
	serial,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bytea, images } from './images.ts';
import { buildings } from './org.ts';
import { users } from './people.ts';
import { projects, renovationItems } from './projects.ts';

/**
 * A design plan's versions (三入户、三公示: drafted, revised, final): draft → open for comment
 * → closed → superseded by the next version, or final. Published versions are immutable.
 */
export const planStatus = pgEnum('plan_status', ['draft', 'open', 'closed', 'superseded', 'final']);

export const planVersions = pgTable(
	'plan_versions',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		number: smallint('number').notNull(),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		/** Markdown, rendered safely (no raw HTML). */
		body: text('body').notNull().default(''),
		bodyEn: text('body_en').notNull().default(''),
		status: planStatus('status').notNull().default('draft'),
		commentOpensAt: timestamp('comment_opens_at', { withTimezone: true }),
		commentClosesAt: timestamp('comment_closes_at', { withTimezone: true }),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		/**
		 * A final plan published although a gate refused it (an item residents refused, opinions
		 * from under 2/3 of the households): the district admin's written reason, shown publicly.
		 */
		overrideReason: text('override_reason'),
		overrideBy: text('override_by').references(() => users.id),
		createdBy: text('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('plan_versions_number_uq').on(t.projectId, t.number),
		uniqueIndex('plan_versions_one_final_uq')
			.on(t.projectId)
			.where(sql`${t.status} = 'final'`),
		check('plan_versions_number_ck', sql`${t.number} >= 1`),
		check(
			'plan_versions_window_ck',
			sql`${t.commentClosesAt} is null or ${t.commentOpensAt} is null or ${t.commentClosesAt} > ${t.commentOpensAt}`,
		),
		check(
			'plan_versions_published_ck',
			sql`${t.status} = 'draft' or (${t.publishedAt} is not null and ${t.commentOpensAt} is not null and ${t.commentClosesAt} is not null)`,
		),
	],
);

export const costSplit = pgEnum('cost_split', ['area', 'equal']);

/**
 * A renovation item (from the 36-item menu) in a plan version, with its cost and who pays
 * ("谁受益、谁出资"). The residents' share is split among the households in the item's scope by
 * floor area or equally. A building-scoped item (e.g. an elevator) names its building.
 */
export const planItems = pgTable(
	'plan_items',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => renovationItems.id),
		buildingId: integer('building_id').references(() => buildings.id),
		description: text('description').notNull().default(''),
		descriptionEn: text('description_en').notNull().default(''),
		costYuan: numeric('cost_yuan', { precision: 14, scale: 2 }).notNull(),
		governmentYuan: numeric('government_yuan', { precision: 14, scale: 2 }).notNull(),
		residentYuan: numeric('resident_yuan', { precision: 14, scale: 2 }).notNull(),
		split: costSplit('split').notNull().default('area'),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [
		uniqueIndex('plan_items_uq').on(t.planVersionId, t.itemId, sql`coalesce(${t.buildingId}, 0)`),
		check(
			'plan_items_money_ck',
			sql`${t.costYuan} >= 0 and ${t.governmentYuan} >= 0 and ${t.residentYuan} >= 0 and ${t.governmentYuan} + ${t.residentYuan} <= ${t.costYuan}`,
		),
		index('plan_items_version_idx').on(t.planVersionId),
	],
);

/** Before/after rendering pairs (改造对比效果图), optionally tagged with a building and a spot. */
export const renderings = pgTable(
	'renderings',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id, { onDelete: 'cascade' }),
		beforeImageId: text('before_image_id')
			.notNull()
			.references(() => images.id),
		afterImageId: text('after_image_id')
			.notNull()
			.references(() => images.id),
		caption: text('caption').notNull(),
		captionEn: text('caption_en').notNull().default(''),
		buildingId: integer('building_id').references(() => buildings.id),
		spot: text('spot').notNull().default(''),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [index('renderings_version_idx').on(t.planVersionId)],
);

/** Attachments (PDF drawings), stored in PostgreSQL like images. */
export const attachments = pgTable(
	'attachments',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		hash: text('hash').notNull(),
		contentType: text('content_type').notNull(),
		byteLength: integer('byte_length').notNull(),
		data: bytea('data').notNull(),
		uploadedBy: text('uploaded_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [check('attachments_type_ck', sql`${t.contentType} = 'application/pdf'`)],
);

/** "What changed since the previous version and why", each change linkable to opinions. */
export const planChanges = pgTable(
	'plan_changes',
	{
		id: serial('id').primaryKey(),
		planVersionId: integer('plan_version_id')
			.notNull()
			.references(() => planVersions.id, { onDelete: 'cascade' }),
		text: text('text').notNull(),
		textEn: text('text_en').notNull().default(''),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [index('plan_changes_version_idx').on(t.planVersionId)],
);
