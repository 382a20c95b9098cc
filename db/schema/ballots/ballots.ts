/** Household ballots: the one that counts, every revision, and paper forms entered by staff. */
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
	pgTable,
	text,
	timestamp,
	unique,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { images } from '../images.ts';
import { households } from '../org.ts';
import { users } from '../people.ts';
import { ballotChannel, ballotChoice, paperEntryState } from './enums.ts';
import { rounds } from './rounds.ts';

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
