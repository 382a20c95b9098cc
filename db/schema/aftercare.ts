import { sql } from 'drizzle-orm';
import {
	check,
	date,
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
import { buildings, compounds } from './org.ts';
import { users } from './people.ts';
import { acceptanceRecords, itemProgress } from './progress.ts';
import { projects } from './projects.ts';

/*
 * After the works: long-term management (长效管理), issue 23. The warranty ledger (保修) hangs
 * off the joint acceptance record; residents' repair requests (报修) are routed to the
 * contractor while an item is under warranty, to the property manager after.
 */

/**
 * One accepted item's warranty: who answers for it and until when. The period starts at the
 * joint acceptance (建设工程质量管理条例 第40条: the warranty runs from 竣工验收合格之日).
 */
export const warrantyItems = pgTable(
	'warranty_items',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		acceptanceId: integer('acceptance_id')
			.notNull()
			.references(() => acceptanceRecords.id),
		/** The accepted item (its progress row, done at acceptance). */
		itemProgressId: integer('item_progress_id')
			.notNull()
			.unique()
			.references(() => itemProgress.id),
		/** 施工单位 responsible during the warranty. */
		contractor: text('contractor').notNull(),
		months: smallint('months').notNull(),
		startsOn: date('starts_on').notNull(),
		endsOn: date('ends_on').notNull(),
		recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('warranty_items_project_idx').on(t.projectId),
		check('warranty_items_months_ck', sql`${t.months} between 1 and 120`),
		check('warranty_items_dates_ck', sql`${t.endsOn} > ${t.startsOn}`),
	],
);

export const repairCategory = pgEnum('repair_category', [
	'safety',
	'leak',
	'facility',
	'appearance',
]);
export const repairStatus = pgEnum('repair_status', ['open', 'in_progress', 'closed']);
export const repairParty = pgEnum('repair_party', ['contractor', 'property_manager']);

/**
 * A resident's repair request after handover (报修): routed when reported (party, due date),
 * acknowledged, closed with an answer. Like construction problem reports, its text is seen by
 * its reporter and the staff; the public sees counts only.
 */
export const repairRequests = pgTable(
	'repair_requests',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		warrantyItemId: integer('warranty_item_id')
			.notNull()
			.references(() => warrantyItems.id),
		/** Null once the reporter deleted their account (PIPL): the request stays, detached. */
		reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
		category: repairCategory('category').notNull(),
		body: text('body').notNull(),
		buildingId: integer('building_id').references(() => buildings.id),
		/** 单元 (stairwell entrance), as residents name it: "2单元". */
		unitLabel: text('unit_label').notNull().default(''),
		party: repairParty('party').notNull(),
		/** Who the party is by name: the contractor or the property manager on record. */
		partyName: text('party_name').notNull().default(''),
		dueOn: date('due_on').notNull(),
		status: repairStatus('status').notNull().default('open'),
		answer: text('answer').notNull().default(''),
		answeredBy: text('answered_by').references(() => users.id, { onDelete: 'set null' }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** The China date it was closed on, compared with dueOn for "closed in time". */
		closedOn: date('closed_on'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('repair_requests_project_idx').on(t.projectId, t.status),
		index('repair_requests_reporter_idx').on(t.reporterId),
		check(
			'repair_requests_close_ck',
			sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.closedOn} is not null) and (${t.status} = 'open' or length(${t.answer}) > 0)`,
		),
	],
);

/** Up to three photos of a repair request (through the image pipeline). */
export const repairPhotos = pgTable(
	'repair_photos',
	{
		requestId: integer('request_id')
			.notNull()
			.references(() => repairRequests.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.requestId, t.imageId] })],
);

/** 物业服务企业 a property company, 居民自治 residents manage it themselves, 社区托管 the community does. */
export const propertyModel = pgEnum('property_model', [
	'enterprise',
	'self_governed',
	'community_trust',
]);

/**
 * Who manages the compound after the works, as residents decided it (专项决策): one row per
 * version, never updated — a change adds the next version, so the history stays public.
 */
export const propertyManagementRecords = pgTable(
	'property_management_records',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		version: integer('version').notNull(),
		model: propertyModel('model').notNull(),
		/** The company, the residents' group or the community office that manages it. */
		manager: text('manager').notNull(),
		contractStart: date('contract_start').notNull(),
		contractEnd: date('contract_end'),
		/** 物业费 in yuan per m² of floor area per month, exact. */
		feePerSqm: numeric('fee_per_sqm', { precision: 6, scale: 2 }).notNull(),
		/** A public contact of the manager (office phone, service desk), not a person's mobile. */
		contact: text('contact').notNull(),
		note: text('note').notNull().default(''),
		recordedBy: text('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('property_management_records_version_uq').on(t.projectId, t.version),
		check('property_management_records_version_ck', sql`${t.version} >= 1`),
		check('property_management_records_fee_ck', sql`${t.feePerSqm} >= 0`),
		check(
			'property_management_records_contract_ck',
			sql`${t.contractEnd} is null or ${t.contractEnd} > ${t.contractStart}`,
		),
	],
);

/** 物业费 property fees, 维修资金 maintenance-fund use, 公共收益 shared income (parking, ads). */
export const disclosureKind = pgEnum('disclosure_kind', [
	'property_fee',
	'maintenance_fund',
	'shared_income',
]);

/**
 * A periodic money disclosure of a compound after handover (收支公示): what kind, for which
 * period, the amount, what it was for, and a scan of the ledger (image pipeline). Published by
 * the committee; public, and downloadable as CSV.
 */
export const fundDisclosures = pgTable(
	'fund_disclosures',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
		kind: disclosureKind('kind').notNull(),
		periodStart: date('period_start').notNull(),
		periodEnd: date('period_end').notNull(),
		/** Yuan, exact. */
		amountYuan: numeric('amount_yuan', { precision: 14, scale: 2 }).notNull(),
		description: text('description').notNull(),
		attachmentImageId: text('attachment_image_id').references(() => images.id),
		publishedBy: text('published_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('fund_disclosures_project_idx').on(t.projectId, t.periodEnd),
		check('fund_disclosures_amount_ck', sql`${t.amountYuan} >= 0`),
		check('fund_disclosures_period_ck', sql`${t.periodEnd} >= ${t.periodStart}`),
	],
);
