import { asc, count, gt, isNull, min } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, storedContent } from './chain.ts';
import type { AuditBreak, AuditPending, AuditVerification } from './types.ts';

type StoredRow = typeof auditLog.$inferSelect;

function recompute(prevHash: string, row: StoredRow): string | null {
	try {
		return hashEntry(prevHash, storedContent(row));
	} catch {
		return null; // content no writer could have hashed: tampered
	}
}

/** The first way `row` fails to follow an entry whose hash is `expectedPrev`, or null. */
function checkRow(expectedPrev: string, row: StoredRow): AuditBreak | null {
	if (row.prevHash !== expectedPrev) return { id: row.id, reason: 'prev_hash_mismatch' };
	if (recompute(expectedPrev, row) !== row.hash) return { id: row.id, reason: 'hash_mismatch' };
	return null;
}

/** How many entries wait for the sealer, and the time of the oldest. */
export async function getAuditPending(db: Executor): Promise<AuditPending> {
	const [row] = await db
		.select({ n: count(), oldest: min(auditLog.at) })
		.from(auditLog)
		.where(isNull(auditLog.seq));
	return { pending: row?.n ?? 0, oldestPendingAt: row?.oldest ?? null };
}

/**
 * Walks the sealed log in chain order (`seq`), `batchSize` rows at a time (keyset pages, so
 * memory stays flat however long the log), checking that each entry names the previous
 * entry's hash and that its own hash matches its content. A removed entry shows as a
 * `prev_hash_mismatch` at the entry after it, an edited one as a `hash_mismatch` (or, if its
 * hash was recomputed, at the next entry), two entries swapped as a `prev_hash_mismatch` at the
 * first of them. Entries not sealed yet are counted in `pending`, not checked, and are no
 * failure: they are sealed shortly after their commit (see sealAudit).
 * Read-only; safe while the application appends and a sealer runs.
 */
export async function verifyAuditChain(
	db: Executor,
	options: { batchSize?: number } = {},
): Promise<AuditVerification> {
	const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5_000));
	let expectedPrev = GENESIS_HASH;
	let lastSeq = 0;
	let lastId = 0;
	let entries = 0;
	for (;;) {
		const rows = await db
			.select()
			.from(auditLog)
			.where(gt(auditLog.seq, lastSeq))
			.orderBy(asc(auditLog.seq))
			.limit(batchSize);
		for (const row of rows) {
			const broken = checkRow(expectedPrev, row);
			if (broken)
				return { ok: false, entries, firstBroken: broken, ...(await getAuditPending(db)) };
			expectedPrev = row.hash!;
			lastSeq = row.seq!;
			lastId = row.id;
			entries++;
		}
		if (rows.length < batchSize) break;
	}
	const head = entries ? { id: lastId, seq: lastSeq, hash: expectedPrev } : null;
	return { ok: true, entries, head, ...(await getAuditPending(db)) };
}
