import { asc, isNotNull, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema/audit.ts';
import { appendAudit, sealAudit } from '../../../src/lib/server/audit/commands.ts';
import type { AuditEntryInput } from '../../../src/lib/server/audit/types.ts';

/** Runs `work` in a transaction that is always rolled back; returns what it returned. */
export async function inRolledBack<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
	let result: T | undefined;
	try {
		await db.transaction(async (tx) => {
			result = await work(tx);
			tx.rollback();
		});
	} catch (error) {
		if (!(error instanceof TransactionRollbackError)) throw error;
	}
	return result as T;
}

/** Appends one entry in a transaction of its own (unsealed). */
export function append(db: Db, entry: AuditEntryInput) {
	return db.transaction((tx) => appendAudit(tx, entry));
}

/** Seals everything pending, batch by batch; returns how many entries were sealed. */
export async function sealAll(db: Db, limit = 5_000): Promise<number> {
	let total = 0;
	for (;;) {
		const sealed = await sealAudit(db, { limit });
		total += sealed;
		if (sealed < limit) return total;
	}
}

export function staffEntry(n: number, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
	return {
		actorId: 'u_staff',
		actorKind: 'staff',
		action: 'project.updated',
		targetType: 'project',
		targetId: n,
		details: { n, changes: ['summary'] },
		...extra,
	};
}

export function allRows(db: Executor) {
	return db.select().from(auditLog).orderBy(asc(auditLog.id));
}

/** Sealed rows in chain order. */
export function chainRows(db: Executor) {
	return db.select().from(auditLog).where(isNotNull(auditLog.seq)).orderBy(asc(auditLog.seq));
}

/** Lets a test rewrite history, as only the table owner or a superuser could. */
export function disableGuard(tx: Executor) {
	return tx.execute(sql`alter table audit_log
		disable trigger audit_log_append_only, disable trigger audit_log_seal_only`);
}

export function enableGuard(tx: Executor) {
	return tx.execute(sql`alter table audit_log
		enable trigger audit_log_append_only, enable trigger audit_log_seal_only`);
}

/** The database's own message for a failed query (drizzle wraps it as the cause). */
export async function databaseError(query: Promise<unknown>): Promise<string> {
	try {
		await query;
	} catch (error) {
		const cause = (error as { cause?: { message?: string } }).cause;
		return cause?.message ?? (error as Error).message;
	}
	throw new Error('expected the query to fail');
}
