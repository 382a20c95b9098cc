/** A round, its items and choice questions, and the households frozen in it when it opens. */
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
} from 'drizzle-orm/pg-core';
import { buildings, compounds, households, units } from '../org.ts';
import { users } from '../people.ts';
import { planItemAlternatives, planItems, planVersions } from '../plans.ts';
import { projects, renovationItems } from '../projects.ts';
import { roundKind, decisionRuleKind, decisionScope, choiceRuleKind } from './enums.ts';

export const rounds = pgTable(
	'rounds',
	{
		id: serial('id').primaryKey(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		kind: roundKind('kind').notNull(),
		/** The plan version an opinion round is about. */
		planVersionId: integer('plan_version_id').references(() => planVersions.id),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		description: text('description').notNull().default(''),
		descriptionEn: text('description_en').notNull().default(''),
		/** Limits the round to one building (e.g. an elevator for building 3); else all compounds. */
		scopeBuildingId: integer('scope_building_id').references(() => buildings.id),
		/** Consent round: only owners and members an owner authorised may vote (民法典 art. 278). */
		consent: boolean('consent').notNull(),
		/** Whether tallies are public while the round is open, or only once published. */
		talliesPublic: boolean('tallies_public').notNull().default(false),
		/**
		 * Paper forms count only once a second, different committee member entered the same form
		 * again (双人录入). Set while the round is a draft.
		 */
		doubleEntry: boolean('double_entry').notNull().default(false),
		/** Coverage target as a fraction of households: 2/3 by default (seeds/000). */
		targetNum: smallint('target_num').notNull().default(2),
		targetDen: smallint('target_den').notNull().default(3),
		opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
		closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
		/** Set once, when the scope was frozen; ballots are taken only after it. */
		openedAt: timestamp('opened_at', { withTimezone: true }),
		/**
		 * Set once, when the households in scope were told the round opened (at `opensAt`, or when
		 * it was opened if that time had passed): the notification goes out exactly once.
		 */
		openNotifiedAt: timestamp('open_notified_at', { withTimezone: true }),
		/**
		 * Why staff closed the round ahead of its time while coverage was below target: shown
		 * with its results and kept in the audit log. Empty when it closed on time or on target.
		 */
		earlyCloseReason: text('early_close_reason').notNull().default(''),
		createdBy: text('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('rounds_project_idx').on(t.projectId),
		check('rounds_window_ck', sql`${t.closesAt} > ${t.opensAt}`),
		check(
			'rounds_target_ck',
			sql`${t.targetDen} between 1 and 100 and ${t.targetNum} between 1 and ${t.targetDen}`,
		),
		check('rounds_plan_ck', sql`(${t.kind} = 'plan_opinion') = (${t.planVersionId} is not null)`),
	],
);

/**
 * A single-choice question among N options in a special decision (e.g. the property-management
 * model: 物业服务企业 / 居民自治 / 社区托管). Each option is a round item with `question_id` set,
 * tallied like a yes/no item where "agree" means the household chose that option, "disagree" that
 * it chose another and "abstain" none; the question's rule then decides among the options.
 */
export const roundChoiceQuestions = pgTable(
	'round_choice_questions',
	{
		id: serial('id').primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		rule: choiceRuleKind('rule').notNull(),
		/** A special matter of 民法典 art. 278 (6)–(8): decided with ≥ 3/4 (ballots/rules.ts). */
		specialMatter: boolean('special_matter').notNull().default(false),
		decisionScope: decisionScope('decision_scope').notNull(),
		buildingId: integer('building_id').references(() => buildings.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [
		index('round_choice_questions_round_idx').on(t.roundId),
		check(
			'round_choice_questions_special_ck',
			sql`not ${t.specialMatter} or ${t.rule} = 'civil_code_three_quarters'`,
		),
	],
);

/**
 * What a round asks, one row per question: a menu item (needs), a plan item (opinion), a
 * titled special decision, or one option of a single-choice question (`questionId`).
 * `buildingId` restricts an item to one building's households.
 */
export const roundItems = pgTable(
	'round_items',
	{
		id: serial('id').primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		itemId: integer('item_id').references(() => renovationItems.id),
		planItemId: integer('plan_item_id').references(() => planItems.id),
		buildingId: integer('building_id').references(() => buildings.id),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull().default(''),
		rule: decisionRuleKind('rule').notNull(),
		/**
		 * A special matter of 民法典 art. 278 (6)–(8) (a menu item marked so, or a typed question
		 * the committee or its words mark): always decided with ≥ 3/4 (ballots/rules.ts `ruleFor`).
		 */
		specialMatter: boolean('special_matter').notNull().default(false),
		decisionScope: decisionScope('decision_scope').notNull(),
		/** Set for an option of a single-choice question. */
		questionId: integer('question_id').references(() => roundChoiceQuestions.id, {
			onDelete: 'cascade',
		}),
		/** An option that is one of a plan item's alternative designs (多方案比选). */
		alternativeId: integer('alternative_id').references(() => planItemAlternatives.id),
		sort: smallint('sort').notNull().default(0),
	},
	(t) => [
		index('round_items_round_idx').on(t.roundId),
		check(
			'round_items_special_ck',
			sql`not ${t.specialMatter} or ${t.rule} = 'civil_code_three_quarters'`,
		),
	],
);

/**
 * The households in a round's scope, frozen when it opened: where each is, its registered area
 * in 0.01 m² and its owner key (one head per owner, SPC interpretation art. 8–9). `ownerUnits`
 * counts the owner's flats in the round, so a ballot knows when it must look at its siblings.
 */
export const roundHouseholds = pgTable(
	'round_households',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
		buildingId: integer('building_id')
			.notNull()
			.references(() => buildings.id),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id),
		areaCenti: bigint('area_centi', { mode: 'number' }).notNull(),
		ownerKey: text('owner_key').notNull(),
		ownerUnits: integer('owner_units').notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.roundId, t.householdId] }),
		index('round_households_owner_idx').on(t.roundId, t.ownerKey),
		index('round_households_building_idx').on(t.roundId, t.buildingId),
		check('round_households_area_ck', sql`${t.areaCenti} > 0`),
		check('round_households_owner_units_ck', sql`${t.ownerUnits} >= 1`),
	],
);

/**
 * Floor coefficients (楼层系数) of a round, e.g. for an elevator: how much a flat on each floor
 * weighs in the cost shares, in thousandths (1楼 0, 2楼 300 = 0.3 …). Set while the round is a
 * draft (ballots/commands/floors.ts); a floor not listed weighs 1000 (ballots/floors.ts).
 */
export const roundFloorCoefficients = pgTable(
	'round_floor_coefficients',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		floor: smallint('floor').notNull(),
		permille: integer('permille').notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.roundId, t.floor] }),
		check('round_floor_coefficients_floor_ck', sql`${t.floor} between -5 and 100`),
		check('round_floor_coefficients_permille_ck', sql`${t.permille} between 0 and 10000`),
	],
);
