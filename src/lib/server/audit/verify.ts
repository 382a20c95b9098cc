import { asc, gt } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry } from './chain.ts';
import type { AuditBreak, AuditContent, AuditVerification } from './types.ts';

type StoredRow = typeof auditLog.$inferSelect;

function recompute(prevHash: string, row: StoredRow): string | null {
	const content: AuditContent = {
		at: row.at.toISOString(),
		actorId: row.actorId,
		actorKind: row.actorKind,
		action: row.action,
		targetType: row.targetType,
		targetId: row.targetId,
		communityId: row.communityId,
		details: row.details,
	};
	try {
		return hashEntry(prevHash, content);
	} catch {
		return null; // content no writer could have hashed: tampered
	}
}

/** The first way `row` fails to follow an entry whose hash is `expectedPrev`, or null. */
function checkRow(expectedPrev: string, row: StoredRow): AuditBreak | null {
	if (row.prevHash !== expectedPrev) return { id: row.id, reason: 'prev_hash_mismatch' };
	if (recompute(row.prevHash, row) !== row.hash) return { id: row.id, reason: 'hash_mismatch' };
	return null;
}

/**
 * Walks the whole log in id order, `batchSize` rows at a time (keyset pages, so memory stays
 * flat however long the log), checking that each entry names the previous entry's hash and
 * that its own hash matches its content. Ids may have gaps (rolled-back appends); only the
 * links count. A removed entry shows as a `prev_hash_mismatch` at the entry after it, an
 * edited one as a `hash_mismatch` (or, if its hash was recomputed, at the next entry).
 * Read-only; safe while the application appends.
 */
export async function verifyAuditChain(
	db: Executor,
	options: { batchSize?: number } = {},
): Promise<AuditVerification> {
	const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5_000));
	let expectedPrev = GENESIS_HASH;
	let lastId = 0;
	let entries = 0;
	for (;;) {
		const rows = await db
			.select()
			.from(auditLog)
			.where(gt(auditLog.id, lastId))
			.orderBy(asc(auditLog.id))
			.limit(batchSize);
		for (const row of rows) {
			const broken = checkRow(expectedPrev, row);
			if (broken) return { ok: false, entries, firstBroken: broken };
			expectedPrev = row.hash;
			lastId = row.id;
			entries++;
		}
		if (rows.length < batchSize) break;
	}
	return { ok: true, entries, head: entries ? { id: lastId, hash: expectedPrev } : null };
}
