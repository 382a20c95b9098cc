import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';

/** A JSON object as stored in `audit_log.details` (see src/lib/server/audit/chain.ts). */
export type AuditDetails = { [key: string]: AuditJson };
export type AuditJson = null | boolean | number | string | AuditJson[] | AuditDetails;

export const auditActorKinds = ['resident', 'staff', 'system'] as const;

/**
 * The append-only, hash-chained audit log (PRODUCT.md "Trust"): every staff action and every
 * ballot revision, written in the same transaction as the change it records. Each row's hash
 * covers its content and the previous row's hash, so rewriting or removing a past row breaks
 * the chain (`npm run audit:verify`). A trigger (db/migrations/0004_audit_append_only.sql) refuses UPDATE,
 * DELETE and TRUNCATE. `prev_hash` is unique too: two rows can never follow the same row, so a
 * fork is refused by the database even if a writer skipped the append lock.
 *
 * No foreign keys: the log outlives the rows it names (a deleted account, a retired household).
 * `at` has millisecond precision so the hashed ISO string reads back identically.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
		actorId: text('actor_id'),
		actorKind: text('actor_kind', { enum: auditActorKinds }).notNull(),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		communityId: integer('community_id'),
		details: jsonb('details').$type<AuditDetails>().notNull().default({}),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull(),
	},
	(t) => [
		unique('audit_log_hash_uq').on(t.hash),
		unique('audit_log_prev_hash_uq').on(t.prevHash),
		index('audit_log_action_idx').on(t.action),
		index('audit_log_actor_idx').on(t.actorId),
		index('audit_log_at_idx').on(t.at),
		index('audit_log_target_idx').on(t.targetType, t.targetId),
		index('audit_log_community_idx').on(t.communityId),
		check('audit_log_actor_kind_ck', sql`${t.actorKind} in ('resident', 'staff', 'system')`),
		check('audit_log_actor_ck', sql`(${t.actorKind} = 'system') = (${t.actorId} is null)`),
		check('audit_log_action_ck', sql`${t.action} ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)+$'`),
		check('audit_log_details_ck', sql`jsonb_typeof(${t.details}) = 'object'`),
		check(
			'audit_log_hash_ck',
			sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`,
		),
	],
);
