import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigint,
	bigserial,
	boolean,
	check,
	index,
	integer,
	jsonb,
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
import { images } from './images.ts';
import { buildings, compounds, households, units } from './org.ts';
import { users } from './people.ts';
import { planItems, planVersions } from './plans.ts';
import { projects, renovationItems } from './projects.ts';

/**
 * Consultation rounds and household ballots (PRODUCT capability 4; 三入户、三公示 of seeds/000).
 *
 * A round is opened once: its households are then frozen in `round_households` (so a later
 * change to the tree or to a flat's area cannot move a result), and one tally row per item and
 * scope is created. Every ballot revision updates those rows in its own transaction, so full
 * results are a read of a few thousand rows, never a GROUP BY over the ballots, and never
 * stale; `npm run tally` recounts from the ballots and compares.
 */

/** 需求问卷 needs questionnaire · 方案意见 opinion on a plan version · 专项表决 special decision. */
export const roundKind = pgEnum('round_kind', ['needs', 'plan_opinion', 'special']);

/**
 * simple_majority: > 1/2 of the responding households agree. civil_code_*: 民法典 art. 278
 * double thresholds, approval > 1/2 or ≥ 3/4 (matters 6–8 such as elevators).
 */
export const decisionRuleKind = pgEnum('decision_rule', [
	'simple_majority',
	'civil_code_majority',
	'civil_code_three_quarters',
]);

/** The scope a verdict is taken over: 小区 compound, 楼栋 building, 单元 unit. */
export const decisionScope = pgEnum('decision_scope', ['compound', 'building', 'unit']);

/** Tally rows exist per compound and building always, per unit when an item decides per unit. */
export const tallyLevel = pgEnum('tally_level', ['compound', 'building', 'unit']);

/** A verdict over one scope (ballots/rules.ts `Verdict`). */
export const roundVerdict = pgEnum('round_verdict', ['approved', 'rejected', 'not_quorate']);

export const ballotChannel = pgEnum('ballot_channel', ['online', 'paper']);

export const ballotChoice = pgEnum('ballot_choice', ['agree', 'disagree', 'abstain']);

/**
 * How a single-choice question (e.g. the property-management model) is decided: the option most
 * responding households chose (plurality), or an option passes only if it meets the Civil Code
 * double thresholds (art. 278: > 1/2, or ≥ 3/4 for matters 6–8).
 */
export const choiceRuleKind = pgEnum('choice_rule', [
	'plurality',
	'civil_code_majority',
	'civil_code_three_quarters',
]);

/**
 * A paper form entered twice (双人录入): the first entry awaits a second, different committee
 * member; a match counts it (confirmed), a difference leaves both for review (mismatch); a
 * reviewer accepts one (confirmed) and discards the other, or discards both.
 */
export const paperEntryState = pgEnum('paper_entry_state', [
	'awaiting',
	'confirmed',
	'mismatch',
	'discarded',
]);

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

/** Item → choice, e.g. {"12": "agree", "13": "abstain"}: a choice for every item in scope. */
export type BallotChoices = Record<string, 'agree' | 'disagree' | 'abstain'>;

/**
 * The ballot that counts, one per household per round: the unique constraint makes a second
 * current ballot impossible whatever the concurrency. `prevChoices` is the counted choices
 * before the latest revision, written by the same upsert under the row lock, so the tally
 * deltas are exact. A paper ballot that meets an online one (or the reverse) sets `conflict`
 * for staff review.
 */
export const ballots = pgTable(
	'ballots',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		revision: integer('revision').notNull(),
		choices: jsonb('choices').$type<BallotChoices>().notNull(),
		prevChoices: jsonb('prev_choices').$type<BallotChoices>(),
		overall: ballotChoice('overall'),
		comment: text('comment').notNull().default(''),
		channel: ballotChannel('channel').notNull(),
		castBy: text('cast_by').references(() => users.id),
		enteredBy: text('entered_by').references(() => users.id),
		photoImageId: text('photo_image_id').references(() => images.id),
		/** When the counted ballot was filled in (for paper: the date written on the form). */
		filledAt: timestamp('filled_at', { withTimezone: true }).notNull(),
		conflict: boolean('conflict').notNull().default(false),
		reviewedBy: text('reviewed_by').references(() => users.id),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('ballots_household_uq').on(t.roundId, t.householdId),
		index('ballots_conflict_idx')
			.on(t.roundId)
			.where(sql`${t.conflict}`),
		check('ballots_revision_ck', sql`${t.revision} >= 1`),
		check('ballots_comment_ck', sql`length(${t.comment}) <= 2000`),
		check(
			'ballots_paper_ck',
			sql`${t.channel} = 'online' or (${t.enteredBy} is not null and ${t.photoImageId} is not null)`,
		),
	],
);

/** Every revision, kept: who, when, through which channel, and whether it counts. */
export const ballotRevisions = pgTable(
	'ballot_revisions',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		ballotId: bigint('ballot_id', { mode: 'number' })
			.notNull()
			.references(() => ballots.id, { onDelete: 'cascade' }),
		roundId: integer('round_id').notNull(),
		householdId: integer('household_id').notNull(),
		revision: integer('revision').notNull(),
		choices: jsonb('choices').$type<BallotChoices>().notNull(),
		overall: ballotChoice('overall'),
		comment: text('comment').notNull().default(''),
		channel: ballotChannel('channel').notNull(),
		castBy: text('cast_by').references(() => users.id),
		enteredBy: text('entered_by').references(() => users.id),
		photoImageId: text('photo_image_id').references(() => images.id),
		filledAt: timestamp('filled_at', { withTimezone: true }).notNull(),
		/** False for a paper form older than the online ballot it met: kept, not counted. */
		counted: boolean('counted').notNull().default(true),
		/** The second committee member of a double-entered paper form (`entered_by` is the first). */
		confirmedBy: text('confirmed_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('ballot_revisions_uq').on(t.ballotId, t.revision),
		index('ballot_revisions_round_idx').on(t.roundId, t.householdId),
	],
);

/**
 * Paper forms of a double-entry round (双人录入), kept apart from the ballots: an entry counts
 * nothing until a second, different committee member entered the same form and it matched; then
 * it becomes a ballot revision (`ballotRevision`) with both members recorded. `pairOf` links a
 * second entry to the first. At most one open first entry (awaiting or mismatch) per household
 * and round, whatever the concurrency (partial unique index).
 */
export const paperEntries = pgTable(
	'paper_entries',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		pairOf: bigint('pair_of', { mode: 'number' }).references((): AnyPgColumn => paperEntries.id),
		state: paperEntryState('state').notNull(),
		choices: jsonb('choices').$type<BallotChoices>().notNull(),
		overall: ballotChoice('overall'),
		comment: text('comment').notNull().default(''),
		filledAt: timestamp('filled_at', { withTimezone: true }).notNull(),
		photoImageId: text('photo_image_id').references(() => images.id),
		enteredBy: text('entered_by')
			.notNull()
			.references(() => users.id),
		/** Who confirmed (second entry or reviewer) or discarded it. */
		resolvedBy: text('resolved_by').references(() => users.id),
		/** The ballot revision it became when counted. */
		ballotRevision: integer('ballot_revision'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
	},
	(t) => [
		uniqueIndex('paper_entries_open_uq')
			.on(t.roundId, t.householdId)
			.where(sql`${t.pairOf} is null and ${t.state} in ('awaiting', 'mismatch')`),
		index('paper_entries_round_idx').on(t.roundId, t.state),
		check('paper_entries_comment_ck', sql`length(${t.comment}) <= 2000`),
		check('paper_entries_photo_ck', sql`${t.pairOf} is not null or ${t.photoImageId} is not null`),
	],
);

/**
 * The running tally of one item over one scope, kept equal to a recount by every ballot
 * transaction: the scope's totals (frozen at open) and the counted choices by households, area
 * (0.01 m²) and owner heads. The checks refuse any update that would make it impossible.
 */
export const roundTallies = pgTable(
	'round_tallies',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		roundItemId: integer('round_item_id')
			.notNull()
			.references(() => roundItems.id, { onDelete: 'cascade' }),
		level: tallyLevel('level').notNull(),
		scopeId: integer('scope_id').notNull(),
		households: integer('households').notNull(),
		areaCenti: bigint('area_centi', { mode: 'number' }).notNull(),
		heads: integer('heads').notNull(),
		agree: integer('agree').notNull().default(0),
		disagree: integer('disagree').notNull().default(0),
		abstain: integer('abstain').notNull().default(0),
		agreeArea: bigint('agree_area', { mode: 'number' }).notNull().default(0),
		disagreeArea: bigint('disagree_area', { mode: 'number' }).notNull().default(0),
		abstainArea: bigint('abstain_area', { mode: 'number' }).notNull().default(0),
		headsParticipating: integer('heads_participating').notNull().default(0),
		headsApproving: integer('heads_approving').notNull().default(0),
	},
	(t) => [
		primaryKey({ columns: [t.roundId, t.level, t.roundItemId, t.scopeId] }),
		check(
			'round_tallies_counts_ck',
			sql`${t.agree} >= 0 and ${t.disagree} >= 0 and ${t.abstain} >= 0 and ${t.agree} + ${t.disagree} + ${t.abstain} <= ${t.households}`,
		),
		check(
			'round_tallies_area_ck',
			sql`${t.agreeArea} >= 0 and ${t.disagreeArea} >= 0 and ${t.abstainArea} >= 0 and ${t.agreeArea} + ${t.disagreeArea} + ${t.abstainArea} <= ${t.areaCenti}`,
		),
		check(
			'round_tallies_heads_ck',
			sql`${t.headsApproving} >= 0 and ${t.headsApproving} <= ${t.headsParticipating} and ${t.headsParticipating} <= ${t.heads}`,
		),
	],
);

/** Households responded / in scope, per compound, building and unit (coverage, seeds/000). */
export const roundCoverage = pgTable(
	'round_coverage',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		level: tallyLevel('level').notNull(),
		scopeId: integer('scope_id').notNull(),
		households: integer('households').notNull(),
		responded: integer('responded').notNull().default(0),
	},
	(t) => [
		primaryKey({ columns: [t.roundId, t.level, t.scopeId] }),
		check('round_coverage_ck', sql`${t.responded} >= 0 and ${t.responded} <= ${t.households}`),
	],
);

/**
 * Published results (公示): an immutable snapshot per version. A correction is a new version
 * with a note, never an edit (PRODUCT capability 5, "a published result never changes
 * silently"). `digest` is the SHA-256 of `snapshot` as published, for `npm run tally`.
 */
export const roundResults = pgTable(
	'round_results',
	{
		id: serial('id').primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		version: smallint('version').notNull(),
		note: text('note').notNull().default(''),
		snapshot: jsonb('snapshot').notNull(),
		digest: text('digest').notNull(),
		publishedBy: text('published_by').references(() => users.id),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('round_results_version_uq').on(t.roundId, t.version),
		check('round_results_version_ck', sql`${t.version} >= 1`),
	],
);

/**
 * The verdicts of a published round per menu item and scope, so the plans module can ask
 * whether residents refused an item (居民不同意不宜改造, seeds/002) without reading snapshots.
 */
export const roundItemVerdicts = pgTable(
	'round_item_verdicts',
	{
		roundResultId: integer('round_result_id')
			.notNull()
			.references(() => roundResults.id, { onDelete: 'cascade' }),
		roundId: integer('round_id').notNull(),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id),
		itemId: integer('item_id')
			.notNull()
			.references(() => renovationItems.id),
		roundItemId: integer('round_item_id').notNull(),
		level: tallyLevel('level').notNull(),
		scopeId: integer('scope_id').notNull(),
		approved: boolean('approved').notNull(),
		/** approved · rejected (residents refused it: 居民不同意不宜改造) · not_quorate (no verdict). */
		verdict: roundVerdict('verdict').notNull(),
	},
	(t) => [
		uniqueIndex('round_item_verdicts_uq').on(t.roundResultId, t.roundItemId, t.level, t.scopeId),
		index('round_item_verdicts_item_idx').on(t.projectId, t.itemId),
	],
);

/**
 * A counter per round that every counted ballot moves in its own transaction: live results
 * built from the aggregates can be memoised per version (one tiny read per request) and are
 * never older than the data. Created when the round opens.
 */
export const roundVersions = pgTable(
	'round_versions',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		/**
		 * Ballots bump one of several counters (by household), so concurrent ballots do not queue
		 * on one row; the round's version is their sum, which grows with every counted ballot.
		 */
		shard: smallint('shard').notNull().default(0),
		version: bigint('version', { mode: 'number' }).notNull().default(0),
	},
	(t) => [
		primaryKey({ columns: [t.roundId, t.shard] }),
		check('round_versions_ck', sql`${t.version} >= 0`),
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
