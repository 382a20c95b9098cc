import { sql } from 'drizzle-orm';
import {
	boolean,
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
import { communities, compounds } from './org.ts';

/**
 * The lifecycle of a renovation project: 摸底 survey → 意见征集 consultation → 方案设计 design →
 * 方案公示 notice → 施工 construction → 验收 acceptance → 满意度评价 evaluation → 长效管理 maintenance.
 */
export const projectStage = pgEnum('project_stage', [
	'survey',
	'consultation',
	'design',
	'notice',
	'construction',
	'acceptance',
	'evaluation',
	'maintenance',
]);

export const moderationMode = pgEnum('moderation_mode', ['pre', 'post']);

export const projects = pgTable(
	'projects',
	{
		id: serial('id').primaryKey(),
		/** Short, stable, shareable: /p/<slug>. */
		slug: text('slug').notNull().unique(),
		communityId: integer('community_id')
			.notNull()
			.references(() => communities.id),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		summary: text('summary').notNull().default(''),
		summaryEn: text('summary_en').notNull().default(''),
		stage: projectStage('stage').notNull().default('survey'),
		year: smallint('year').notNull(),
		/** Total investment in yuan, exact. */
		investmentYuan: numeric('investment_yuan', { precision: 14, scale: 2 }).notNull().default('0'),
		moderation: moderationMode('moderation').notNull().default('post'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		check('projects_slug_ck', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
		check('projects_year_ck', sql`${t.year} between 2000 and 2100`),
		check('projects_investment_ck', sql`${t.investmentYuan} >= 0`),
		index('projects_community_idx').on(t.communityId),
	],
);

/** A project covers one or more compounds; scope figures are computed from them. */
export const projectCompounds = pgTable(
	'project_compounds',
	{
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
	},
	(t) => [
		primaryKey({ columns: [t.projectId, t.compoundId] }),
		index('project_compounds_compound_idx').on(t.compoundId),
	],
);

export const projectStages = pgTable(
	'project_stages',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		stage: projectStage('stage').notNull(),
		plannedStart: date('planned_start'),
		plannedEnd: date('planned_end'),
		actualStart: date('actual_start'),
		actualEnd: date('actual_end'),
	},
	(t) => [
		unique('project_stages_uq').on(t.projectId, t.stage),
		check(
			'project_stages_planned_ck',
			sql`${t.plannedEnd} is null or ${t.plannedStart} is null or ${t.plannedEnd} >= ${t.plannedStart}`,
		),
		check(
			'project_stages_actual_ck',
			sql`${t.actualEnd} is null or ${t.actualStart} is null or ${t.actualEnd} >= ${t.actualStart}`,
		),
	],
);

/** 菜单式改造: 基础类 basic / 完善类 improvement / 提升类 upgrade (seeds/004 lists 36 items). */
export const itemCategory = pgEnum('item_category', ['basic', 'improvement', 'upgrade']);
export const itemScope = pgEnum('item_scope', ['building', 'public']);

export const renovationItems = pgTable(
	'renovation_items',
	{
		id: serial('id').primaryKey(),
		code: text('code').notNull().unique(),
		category: itemCategory('category').notNull(),
		scope: itemScope('scope').notNull(),
		/** 基本必改: must be done wherever it applies (seeds/004). */
		mustDo: boolean('must_do').notNull(),
		/** Civil Code art. 278 matters 6–8 (e.g. elevators) need the ≥ 3/4 approval. */
		specialMatter: boolean('special_matter').notNull().default(false),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		sort: smallint('sort').notNull(),
	},
	(t) => [check('renovation_items_must_do_ck', sql`not ${t.mustDo} or ${t.category} = 'basic'`)],
);
