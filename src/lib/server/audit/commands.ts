import { asc, desc, isNotNull, isNull, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type Db, type Tx } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, normaliseEntry, storedContent } from './chain.ts';
import type { AppendedAudit, AuditEntryInput } from './types.ts';

/** Transaction-level advisory lock serialising sealers (start-up uses 7_340_211). */
export const AUDIT_LOCK_KEY = 7_340_212;

/** Entries sealed by one `sealAudit` call unless told otherwise. */
export const SEAL_LIMIT = 5_000;

/**
 * Appends one entry to the audit log inside the caller's transaction, so the entry commits or
 * rolls back with the change it records (PRODUCT.md "Trust"; STYLE.md "the audit entry is
 * written in the same transaction"): nothing acknowledged can be missing from the log.
 *
 * The entry is written unsealed (no `seq`, `prev_hash` or `hash`) and takes no lock, so
 * audited transactions never wait for one another and it may come anywhere in the
 * transaction. `sealAudit` chains it after commit (`startAuditSealer` runs it in every
 * instance; `npm run audit:verify` seals before verifying).
 *
 * Never put phone numbers, household codes, passwords or tokens in `details`.
 *
 * @throws AuditEntryError when the entry is malformed (nothing is written).
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
	const [row] = await tx
		.insert(auditLog)
		.values({ ...content, at })
		.returning({ id: auditLog.id });
	return { id: row!.id, at };
}

/** A stored entry that no writer could have hashed (inserted around appendAudit). */
export class AuditSealError extends Error {
	override name = 'AuditSealError';
}

/** A PostgreSQL array literal of numbers or hex strings (no quoting needed for either). */
const arrayLiteral = (values: (number | string)[]) => `{${values.join(',')}}`;

type Head = { seq: number; hash: string } | null;
type Links = { ids: number[]; seqs: number[]; prevHashes: string[]; hashes: string[] };

/**
 * Chains `pending` (in order) onto `head`. Stops at the first entry that cannot be hashed and
 * returns the error for it alongside the links made before it.
 */
function chainOnto(
	head: Head,
	pending: (typeof auditLog.$inferSelect)[],
): { links: Links; stuck: AuditSealError | null } {
	const links: Links = { ids: [], seqs: [], prevHashes: [], hashes: [] };
	let seq = head?.seq ?? 0;
	let prevHash = head?.hash ?? GENESIS_HASH;
	for (const row of pending) {
		let hash: string;
		try {
			hash = hashEntry(prevHash, storedContent(row));
		} catch (error) {
			const stuck = new AuditSealError(
				`audit entry #${row.id} cannot be hashed (${(error as Error).message}); ` +
					'it was not written by appendAudit, and no later entry can be sealed before it',
			);
			return { links, stuck };
		}
		links.ids.push(row.id);
		links.seqs.push(++seq);
		links.prevHashes.push(prevHash);
		links.hashes.push(hash);
		prevHash = hash;
	}
	return { links, stuck: null };
}

/** Writes the links in one statement; throws (rolling back) unless every row was pending. */
async function writeLinks(tx: Tx, { ids, seqs, prevHashes, hashes }: Links): Promise<void> {
	const [updated] = await queryRows<{ n: number }>(
		tx,
		sql`with sealed as (
			update audit_log as a
			set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
			from unnest(
				${arrayLiteral(ids)}::bigint[], ${arrayLiteral(seqs)}::bigint[],
				${arrayLiteral(prevHashes)}::text[], ${arrayLiteral(hashes)}::text[]
			) as v(id, seq, prev_hash, hash)
			where a.id = v.id and a.seq is null
			returning 1
		)
		select count(*)::int as n from sealed`,
	);
	if (Number(updated?.n) !== ids.length) {
		// Unreachable while every sealer takes the lock; roll back rather than leave a gap.
		throw new AuditSealError(`sealed ${updated?.n} of ${ids.length} audit entries; retry`);
	}
}

/**
 * Seals committed, unsealed entries: in one transaction holding the advisory lock
 * AUDIT_LOCK_KEY (so sealers in several instances take turns and make one chain), reads the
 * head (the sealed entry with the highest `seq`), takes up to `limit` pending entries in id
 * order, chains them onto the head (`seq` + 1, previous hash, `hashEntry`) and writes all of
 * them in one UPDATE. Entries of transactions still open are not visible yet and are sealed
 * by a later call, so the chain order (`seq`) can differ from id order.
 *
 * Returns how many entries it sealed (0 when none was pending: then no transaction is opened).
 * A call that returns `limit` may have left more behind.
 *
 * @throws AuditSealError when a pending entry cannot be hashed (it was inserted around
 *   appendAudit); the entries before it are sealed and committed first, the rest wait.
 */
export async function sealAudit(db: Db, options: { limit?: number } = {}): Promise<number> {
	const limit = options.limit ?? SEAL_LIMIT;
	if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
	const [any] = await db
		.select({ id: auditLog.id })
		.from(auditLog)
		.where(isNull(auditLog.seq))
		.limit(1);
	if (!any) return 0;
	const { sealed, stuck } = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
		// Read after taking the lock, each in a fresh snapshot (READ COMMITTED): a sealer that
		// waited sees what the one before it sealed.
		const [head] = await tx
			.select({ seq: auditLog.seq, hash: auditLog.hash })
			.from(auditLog)
			.where(isNotNull(auditLog.seq))
			.orderBy(desc(auditLog.seq))
			.limit(1);
		const pending = await tx
			.select()
			.from(auditLog)
			.where(isNull(auditLog.seq))
			.orderBy(asc(auditLog.id))
			.limit(limit);
		const chained = chainOnto(head ? { seq: head.seq!, hash: head.hash! } : null, pending);
		if (chained.links.ids.length) await writeLinks(tx, chained.links);
		return { sealed: chained.links.ids.length, stuck: chained.stuck };
	});
	if (stuck) throw stuck;
	return sealed;
}
