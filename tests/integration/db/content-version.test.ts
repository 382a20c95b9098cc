import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { contentVersion } from '../../../src/lib/server/http/page-cache.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** The public pages' cache key moves with every committed write to what they show, once per transaction. */
describe.each(drivers)('content version on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('moves once per committed transaction, not per row, and not on rollback', async () => {
		const v0 = BigInt(await contentVersion(t.db));
		await t.db.transaction(async (tx) => {
			await tx.update(s.projects).set({ summary: 'a' }).where(eq(s.projects.slug, 'hongyan'));
			await tx
				.update(s.households)
				.set({ occupancy: 'rented' })
				.where(sql`id <= 50`);
		});
		const v1 = BigInt(await contentVersion(t.db));
		expect(v1 - v0).toBe(1n);
		await t.db
			.transaction(async (tx) => {
				await tx.update(s.projects).set({ summary: 'b' }).where(eq(s.projects.slug, 'hongyan'));
				throw new Error('rollback');
			})
			.catch(() => {});
		expect(BigInt(await contentVersion(t.db))).toBe(v1);
		await t.db.update(s.projects).set({ summary: 'c' }).where(eq(s.projects.slug, 'dujuan'));
		expect(BigInt(await contentVersion(t.db))).toBe(v1 + 1n);
	});

	it('does not move on writes that public pages do not show (sessions, rate limits, audit)', async () => {
		const v0 = await contentVersion(t.db);
		await t.db
			.insert(s.rateLimits)
			.values({ key: 'x', windowStart: new Date(), count: 1, expiresAt: new Date() });
		expect(await contentVersion(t.db)).toBe(v0);
	});
});
