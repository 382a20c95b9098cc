/**
 * `listen` (db/client.ts) on both drivers: a NOTIFY sent on the database reaches the listener —
 * on PGlite too, whose notices stay in its own process (the one process that may open it).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../db/client.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)('LISTEN/NOTIFY on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	it('delivers a notice sent after listening, with its payload', async () => {
		const received: string[] = [];
		await listen(t.db, 'gj_test', (payload) => received.push(payload));
		await t.db.execute(sql`select pg_notify('gj_test', ${JSON.stringify(['project:7'])})`);
		await expect.poll(() => received, { timeout: 5_000 }).toEqual(['["project:7"]']);
	});
});
