import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
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

/**
 * Who pays for a plan item, by source (资金来源, seeds/001 and seeds/004): 财政补助 government
 * subsidy, 专项维修资金 the maintenance fund, 住房公积金 housing provident fund, 管线单位 utility
 * companies, 原产权单位 the former owner unit, 社会资本 private capital, 居民出资 residents.
 */
export const fundingSource = pgEnum('funding_source', [
	'government',
	'maintenance_fund',
	'provident_fund',
	'utilities',
	'former_owner',
	'private_capital',
	'residents',
]);

/**
 * A plan item's amount from one funding source, in fen (exact integers). When an item has
 * these rows they are its breakdown: the residents' share is the `residents` row alone
 * (plans/funding.ts `residentPartFen`), and the sources together never exceed the item's cost.
 */
export const planItemFunding = pgTable(
	'plan_item_funding',
	{
		planItemId: integer('plan_item_id')
			.notNull()
			.references(() => planItems.id, { onDelete: 'cascade' }),
		source: fundingSource('source').notNull(),
		amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.planItemId, t.source] }),
		check('plan_item_funding_amount_ck', sql`${t.amountFen} >= 0`),
	],
);

/**
 * 多方案比选 (seeds/003): two or three alternative designs a version offers for one of its items,
 * each with a description, a rendering and its cost in fen. Residents choose one in a round (a
 * single-choice question whose options name these rows, counted per household); the version
 * drafted after that round keeps the chosen one (`chosen`) and drops the others.
 */
export const planItemAlternatives = pgTable(
	'plan_item_alternatives',
	{
		id: serial('id').primaryKey(),
		planItemId: integer('plan_item_id')
			.notNull()
			.references(() => planItems.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		labelEn: text('label_en').notNull().default(''),
		description: text('description').notNull().default(''),
		descriptionEn: text('description_en').notNull().default(''),
		costFen: bigint('cost_fen', { mode: 'bigint' }).notNull(),
		imageId: text('image_id').references(() => images.id),
		/** Set on the copy in the next version: residents chose this design. */
		chosen: boolean('chosen').notNull().default(false),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [
		index('plan_item_alternatives_item_idx').on(t.planItemId),
		check('plan_item_alternatives_cost_ck', sql`${t.costFen} >= 0`),
	],
);
