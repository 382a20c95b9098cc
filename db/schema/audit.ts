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
 * ballot revision, written in the same transaction as the change it records.
 *
 * Sealed after commit: `appendAudit` inserts a row with `seq`, `prev_hash` and `hash` NULL and
 * takes no lock, so audited transactions never wait for one another. The sealer
 * (`sealAudit`, run by every instance) then gives committed rows their place in the chain: `seq`
 * (1, 2, 3… — the chain order, which need not be id order) and a hash covering the row's content
 * and the previous row's hash, so rewriting or removing a sealed row breaks the chain
 * (`npm run audit:verify`). The three chain columns are all NULL (pending) or all set.
 *
 * Triggers (db/migrations/0004_audit_append_only.sql, 0022_audit_seal_after_commit.sql) refuse
 * DELETE and TRUNCATE, and every UPDATE except sealing a pending row (setting its chain columns
 * once, content unchanged). `seq` and `prev_hash` are unique: two rows can never take the same
 * place or follow the same row, so a fork is refused by the database even if a sealer skipped
 * the seal lock.
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
		/** Position in the chain, from 1; NULL until sealed. */
		seq: bigint('seq', { mode: 'number' }),
		prevHash: text('prev_hash'),
		hash: text('hash'),
	},
	(t) => [
		unique('audit_log_hash_uq').on(t.hash),
		unique('audit_log_prev_hash_uq').on(t.prevHash),
		unique('audit_log_seq_uq').on(t.seq),
		// What the sealer reads: the few pending rows, in id order, however long the log.
		index('audit_log_pending_idx')
			.on(t.id)
			.where(sql`${t.seq} is null`),
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
			'audit_log_chain_ck',
			sql`(${t.seq} is null) = (${t.prevHash} is null) and (${t.seq} is null) = (${t.hash} is null) and (${t.seq} is null or ${t.seq} > 0)`,
		),
		// NULL (pending) passes a CHECK: the pattern applies to set hashes only.
		check(
			'audit_log_hash_ck',
			sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`,
		),
	],
);
