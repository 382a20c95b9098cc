import { desc, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Tx } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, normaliseEntry } from './chain.ts';
import type { AppendedAudit, AuditEntryInput } from './types.ts';

/** Transaction-level advisory lock serialising appends (start-up uses 7_340_211). */
export const AUDIT_LOCK_KEY = 7_340_212;

/**
 * Appends one entry to the audit log inside the caller's transaction, so the entry commits or
 * rolls back with the change it records (PRODUCT.md "Trust"; STYLE.md "the audit entry is
 * written in the same transaction").
 *
 * Appends are serialised by a transaction advisory lock held until the caller commits: the
 * latest hash is read after taking it, so two transactions can never chain onto the same entry.
 * Call it as the LAST statement of the transaction to hold the lock briefly. It needs READ
 * COMMITTED (the default): under REPEATABLE READ the snapshot may miss an entry committed
 * meanwhile, and the unique `prev_hash` then fails the insert rather than forking the chain.
 *
 * Never put phone numbers, household codes, passwords or tokens in `details`.
 *
 * @throws AuditEntryError when the entry is malformed (before any lock or write).
 * @throws Error when `tx` is not a transaction.
 */
export async function appendAudit(tx: Tx, input: AuditEntryInput): Promise<AppendedAudit> {
	if (!(tx instanceof PgTransaction)) {
		throw new Error(
			'appendAudit must run inside the transaction of the change it records: ' +
				'db.transaction(async (tx) => { …; await appendAudit(tx, entry); })',
		);
	}
	const { content, at } = normaliseEntry(input);
	await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
	const [last] = await tx
		.select({ hash: auditLog.hash })
		.from(auditLog)
		.orderBy(desc(auditLog.id))
		.limit(1);
	const prevHash = last?.hash ?? GENESIS_HASH;
	const hash = hashEntry(prevHash, content);
	const [row] = await tx
		.insert(auditLog)
		.values({ ...content, at, prevHash, hash })
		.returning({ id: auditLog.id });
	return { id: row!.id, at, prevHash, hash };
}
