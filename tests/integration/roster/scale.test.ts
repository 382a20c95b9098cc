import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { applyRoster, checkRoster } from '../../../src/lib/server/roster/commands.ts';
import { decodePayload } from '../../../src/lib/server/roster/payload.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { generatedRoster, utf8Csv, xlsxRoster } from '../../factories/roster.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const SECRET = 'scale-owner-key-secret-0123456789abcdef';
const HOUSEHOLDS = 20_000;

/**
 * Issue 10's scale requirement: a 20,000-household roster is checked and applied (dry run +
 * apply) in under 30 s, by bulk statements rather than a round trip per row. Timings are printed
 * for the report.
 */
describe.each(drivers)('a 20,000-household roster on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const meiling = await demoPlaces(t.db, '梅岭社区');
		moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
	});
	afterAll(async () => t?.close());

	const run = async (bytes: Uint8Array, label: string) => {
		const started = performance.now();
		const checked = await checkRoster(t.db, moderator, { bytes, ownerKeySecret: SECRET });
		const checkedMs = performance.now() - started;
		const applied = await applyRoster(t.db, moderator, {
			rows: decodePayload(checked.payload),
			planHash: checked.planHash,
			fileHash: checked.fileHash,
		});
		const totalMs = performance.now() - started;
		console.log(
			`[roster scale] ${driver} ${label}: ${(bytes.length / 1024).toFixed(0)} kB, dry run ${(checkedMs / 1000).toFixed(2)} s, apply ${((totalMs - checkedMs) / 1000).toFixed(2)} s, total ${(totalMs / 1000).toFixed(2)} s`,
		);
		return { checked, applied, totalMs };
	};

	it(
		'imports 20,000 new households (CSV; timing: npm run bench)',
		{ timeout: 120_000 },
		async () => {
			const lines = generatedRoster(HOUSEHOLDS, { community: '梅岭社区', compound: '规模新村' });
			const { checked, applied } = await run(utf8Csv(lines), 'create from CSV');
			expect(checked.clean).toBe(true);
			expect(applied).toMatchObject({ applied: true, created: HOUSEHOLDS });
			const [row] = await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from households h join compounds c on c.id = h.compound_id where c.name = '规模新村'`,
			);
			expect(row!.n).toBe(HOUSEHOLDS);
		},
	);

	it(
		're-imports it from XLSX with every area changed , then again as a no-op (timing: npm run bench)',
		{ timeout: 120_000 },
		async () => {
			const lines = generatedRoster(
				HOUSEHOLDS,
				{ community: '梅岭社区', compound: '规模新村' },
				{ area: (i) => (70 + (i % 30)).toFixed(2) },
			);
			const update = await run(xlsxRoster(lines), 'update from XLSX');
			expect(update.applied).toMatchObject({ applied: true, created: 0 });
			expect(update.applied.changed).toBeGreaterThan(HOUSEHOLDS / 2);
			const again = await run(xlsxRoster(lines), 'same XLSX again');
			expect(again.applied).toMatchObject({ applied: false, unchanged: HOUSEHOLDS });
		},
	);
});
