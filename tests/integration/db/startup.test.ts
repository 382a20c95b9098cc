import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { prepareDatabase } from '../../../src/lib/server/db.ts';
import { parseConfig } from '../../../src/lib/server/shared/config.ts';
import { createServerDatabase } from '../../helpers/test-db.ts';

/** Several instances starting at once on one PostgreSQL: migrations and the seed happen once. */
describe.runIf(process.env.TEST_DATABASE_URL)('concurrent start-up on the real server', () => {
	it('migrates and seeds exactly once when four instances start together', async () => {
		const target = await createServerDatabase();
		try {
			const config = parseConfig({
				DATABASE_URL: target.url,
				SEED_DEMO: 'empty',
				DB_POOL_MAX: '3',
			});
			const results = await Promise.all([1, 2, 3, 4].map(() => prepareDatabase(config)));
			try {
				expect(results.filter((r) => r.seeded)).toHaveLength(1);
				const [row] = await queryRows<{ districts: number; items: number }>(
					results[0]!.handle.db,
					sql`select (select count(*) from districts)::int as districts, (select count(*) from renovation_items)::int as items`,
				);
				expect(row).toEqual({ districts: 1, items: 36 });
			} finally {
				await Promise.all(results.map((r) => r.handle.close()));
			}
		} finally {
			await target.drop();
		}
	});

	it('does not seed a server database unless asked to', async () => {
		const target = await createServerDatabase();
		try {
			const { handle, seeded } = await prepareDatabase(parseConfig({ DATABASE_URL: target.url }));
			expect(seeded).toBe(false);
			await handle.close();
		} finally {
			await target.drop();
		}
	});
});
