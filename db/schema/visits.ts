import { sql } from 'drizzle-orm';
import {
	bigserial,
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
} from 'drizzle-orm/pg-core';
import { rounds } from './ballots.ts';
import { households } from './org.ts';
import { users } from './people.ts';

/**
 * What a door visit (入户) found: the opinion was taken (then entered as a paper form), nobody at
 * home, the household refused, it moved out, or it asked to be visited again on a date.
 */
export const visitOutcome = pgEnum('visit_outcome', [
	'opinion_taken',
	'not_home',
	'refused',
	'moved_out',
	'come_back',
]);

/**
 * Door visits of a consultation round, one row per visit (the latest counts for the visit list
 * and the planner; earlier ones stay as the record). Written by the ballots module only.
 *
 * `idempotency_key` comes from the visit form (a random token rendered with it), so a form sent
 * again after a dropped connection in a stairwell records one visit, not two.
 */
export const doorVisits = pgTable(
	'door_visits',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		householdId: integer('household_id')
			.notNull()
			.references(() => households.id),
		outcome: visitOutcome('outcome').notNull(),
		/** The day the household asked to be visited again (outcome come_back only). */
		comeBackOn: date('come_back_on', { mode: 'string' }),
		note: text('note').notNull().default(''),
		visitedBy: text('visited_by')
			.notNull()
			.references(() => users.id),
		visitedAt: timestamp('visited_at', { withTimezone: true }).notNull().defaultNow(),
		idempotencyKey: text('idempotency_key').notNull(),
	},
	(t) => [
		uniqueIndex('door_visits_key_uq').on(t.visitedBy, t.idempotencyKey),
		index('door_visits_round_idx').on(t.roundId, t.householdId, t.visitedAt),
		check('door_visits_note_ck', sql`length(${t.note}) <= 500`),
		check('door_visits_key_ck', sql`length(${t.idempotencyKey}) between 16 and 64`),
		check(
			'door_visits_come_back_ck',
			sql`(${t.outcome} = 'come_back') = (${t.comeBackOn} is not null)`,
		),
	],
);
