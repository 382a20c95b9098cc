import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, normaliseEntry } from '../../../src/lib/server/audit/chain.ts';
import { appendAudit, sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { staffEntry } from './helpers.ts';

const ENTRIES = 10_000;
/** Appended unsealed after the bulk: more than one seal batch. */
const FRESH = 6_000;

const start = Date.UTC(2026, 0, 1);
const entryAt = (i: number) => staffEntry(i, { at: new Date(start + i * 1_001) });

/**
 * Builds a sealed chain in memory and inserts it 1,000 rows per statement (fast set-up of an
 * old log, as the seal migration leaves one), then appends `fresh` entries the normal way.
 */
async function bulkAppend(t: TestDatabase, n: number, fresh: number): Promise<void> {
	let prevHash = GENESIS_HASH;
	for (let offset = 0; offset < n; offset += 1_000) {
		const rows = [];
		for (let i = offset; i < Math.min(n, offset + 1_000); i++) {
			const { content, at } = normaliseEntry(entryAt(i));
			const hash = hashEntry(prevHash, content);
			rows.push({ ...content, at, seq: i + 1, prevHash, hash });
			prevHash = hash;
		}
		await t.db.insert(auditLog).values(rows);
	}
	await t.db.transaction(async (tx) => {
		for (let i = n; i < n + fresh; i++) await appendAudit(tx, entryAt(i));
	});
}

describe.each(drivers)('a long audit log on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
		await bulkAppend(t, ENTRIES - FRESH, FRESH);
	}, 120_000);
	afterAll(async () => t?.close());

	it(`seals ${FRESH} entries in two passes, then verifies ${ENTRIES} entries batch by batch`, async () => {
		expect(await verifyAuditChain(t.db, { batchSize: 2_000 })).toMatchObject({
			ok: true,
			entries: ENTRIES - FRESH,
			pending: FRESH,
			oldestPendingAt: new Date(start + (ENTRIES - FRESH) * 1_001),
		});
		expect(await sealAudit(t.db)).toBe(5_000);
		expect(await sealAudit(t.db)).toBe(FRESH - 5_000);
		const result = await verifyAuditChain(t.db, { batchSize: 2_000 });
		expect(result).toMatchObject({
			ok: true,
			entries: ENTRIES,
			head: { id: ENTRIES, seq: ENTRIES },
			pending: 0,
		});
	}, 120_000);
});
