import { asc, count, gt, isNull, min } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, storedContent } from './chain.ts';
import type { AuditAnchor, AuditBreak, AuditPending, AuditVerification } from './types.ts';

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
 *
 * The chain alone cannot show that its newest entries were cut off, or that an entry was added
 * and everything after it rehashed (by someone who can bypass the triggers). An `anchor` — a
 * head noted down outside the database — can: the entry at its `seq` must exist and carry its
 * hash, which fixes every entry up to it (`anchor_missing`, `anchor_mismatch`).
 */
export async function verifyAuditChain(
	db: Executor,
	options: { batchSize?: number; anchor?: AuditAnchor } = {},
): Promise<AuditVerification> {
	const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5_000));
	let expectedPrev = GENESIS_HASH;
	let lastSeq = 0;
	let lastId = 0;
	let lastAt = new Date(0);
	let entries = 0;
	const { anchor } = options;
	for (;;) {
		const rows = await db
			.select()
			.from(auditLog)
			.where(gt(auditLog.seq, lastSeq))
			.orderBy(asc(auditLog.seq))
			.limit(batchSize);
		for (const row of rows) {
			const broken =
				checkRow(expectedPrev, row) ??
				(anchor && row.seq === anchor.seq && row.hash !== anchor.hash
					? { id: row.id, reason: 'anchor_mismatch' as const }
					: null);
			if (broken)
				return { ok: false, entries, firstBroken: broken, ...(await getAuditPending(db)) };
			expectedPrev = row.hash!;
			lastSeq = row.seq!;
			lastId = row.id;
			lastAt = row.at;
			entries++;
		}
		if (rows.length < batchSize) break;
	}
	if (anchor && lastSeq < anchor.seq) {
		const firstBroken = { id: lastId, reason: 'anchor_missing' as const };
		return { ok: false, entries, firstBroken, ...(await getAuditPending(db)) };
	}
	const head = entries ? { id: lastId, seq: lastSeq, hash: expectedPrev, at: lastAt } : null;
	return { ok: true, entries, head, ...(await getAuditPending(db)) };
}

/** `<64 hex>@<seq>` → an anchor, or null. */
export function parseAuditAnchor(value: string): AuditAnchor | null {
	const match = /^([0-9a-f]{64})@(\d{1,15})$/.exec(value.trim().toLowerCase());
	return match ? { hash: match[1]!, seq: Number(match[2]) } : null;
}

/** An anchor as people copy it: `hash@seq`. */
export const formatAuditAnchor = (head: AuditAnchor) => `${head.hash}@${head.seq}`;
