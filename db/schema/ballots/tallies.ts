/** Running totals and coverage per item and scope, published results and their verdicts. */
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../people.ts';
import { projects, renovationItems } from '../projects.ts';
import { tallyLevel, roundVerdict } from './enums.ts';
import { rounds, roundItems } from './rounds.ts';

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
