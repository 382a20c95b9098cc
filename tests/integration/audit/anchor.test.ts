import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	formatAuditAnchor,
	parseAuditAnchor,
	verifyAuditChain,
} from '../../../src/lib/server/audit/verify.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { append, disableGuard, enableGuard, sealAll, staffEntry } from './helpers.ts';

/**
 * With the triggers bypassed (the database owner can), cutting the newest entries off or
 * rewriting the tail leaves a chain that verifies; an anchor noted down outside does not
 * (issue 20).
 */
describe.each(drivers)('audit anchors on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	const head = async () => {
		const result = await verifyAuditChain(t.db);
		if (!result.ok || !result.head) throw new Error('no intact head');
		return result.head;
	};

	it('reads back as printed, and refuses anything else', () => {
		const anchor = { hash: 'a'.repeat(64), seq: 42 };
		expect(parseAuditAnchor(formatAuditAnchor(anchor))).toEqual(anchor);
		for (const bad of [
			'',
			'a'.repeat(64),
			`${'a'.repeat(63)}@1`,
			`${'g'.repeat(64)}@1`,
			`${'a'.repeat(64)}@x`,
		])
			expect(parseAuditAnchor(bad)).toBeNull();
	});

	it('catches entries cut off after the anchor was noted, and a tail rewritten behind it', async () => {
		for (let i = 0; i < 5; i++) await append(t.db, staffEntry(i));
		await sealAll(t.db);
		const anchor = await head();
		expect(formatAuditAnchor(anchor)).toMatch(/^[0-9a-f]{64}@5$/);
		expect(await verifyAuditChain(t.db, { anchor })).toMatchObject({ ok: true });

		// The owner removes the two newest entries with the triggers off: the chain still verifies.
		await t.db.transaction(async (tx) => {
			await disableGuard(tx);
			await tx.execute(sql`delete from audit_log where seq > 3`);
			await enableGuard(tx);
		});
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 3 });
		expect(await verifyAuditChain(t.db, { anchor })).toMatchObject({
			ok: false,
			firstBroken: { reason: 'anchor_missing' },
		});

		// … then writes two other entries in their place: seq 5 exists again, with another hash.
		for (let i = 0; i < 2; i++) await append(t.db, staffEntry(100 + i));
		await sealAll(t.db);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 5 });
		expect(await verifyAuditChain(t.db, { anchor })).toMatchObject({
			ok: false,
			firstBroken: { reason: 'anchor_mismatch' },
		});
	});
});
