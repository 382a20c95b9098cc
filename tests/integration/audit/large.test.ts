import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema/audit.ts';
import { GENESIS_HASH, hashEntry, normaliseEntry } from '../../../src/lib/server/audit/chain.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { staffEntry } from './helpers.ts';

const ENTRIES = 10_000;

/** Builds a valid chain in memory and inserts it 1,000 rows per statement (fast set-up). */
async function bulkAppend(t: TestDatabase, n: number): Promise<void> {
	let prevHash = GENESIS_HASH;
	const start = Date.UTC(2026, 0, 1);
	for (let offset = 0; offset < n; offset += 1_000) {
		const rows = [];
		for (let i = offset; i < Math.min(n, offset + 1_000); i++) {
			const { content, at } = normaliseEntry(staffEntry(i, { at: new Date(start + i * 1_001) }));
			const hash = hashEntry(prevHash, content);
			rows.push({ ...content, at, prevHash, hash });
			prevHash = hash;
		}
		await t.db.insert(auditLog).values(rows);
	}
}

describe.each(drivers)('a long audit log on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
		await bulkAppend(t, ENTRIES);
	}, 120_000);
	afterAll(async () => t?.close());

	it(`verifies ${ENTRIES} entries batch by batch`, async () => {
		const result = await verifyAuditChain(t.db, { batchSize: 2_000 });
		expect(result).toMatchObject({ ok: true, entries: ENTRIES, head: { id: ENTRIES } });
	}, 120_000);
});
