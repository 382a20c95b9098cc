import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { createPlanVersion, publishPlanVersion } from '../../../src/lib/server/plans/index.ts';
import { getPlanVersionView } from '../../../src/lib/server/plans/queries.ts';
import { setPlanItemFunding } from '../../../src/lib/server/plans/set-funding.ts';
import type { ResidentActor } from '../../../src/lib/server/policy/types.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createMember, setUpDujuan } from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('money by source on %s', (driver) => {
	let t: TestDatabase;
	let resident: ResidentActor;
	let officer: Awaited<ReturnType<typeof createStaffUser>>;
	let draft: { id: number; number: number };
	let itemId: number;
	const view = (number: number, viewer: ResidentActor | null = resident) =>
		getPlanVersionView(t.db, { slug: 'dujuan', number, viewer, drafts: true });
	const shareOf = async (number: number) =>
		(await view(number))!.items.find((i) => i.id === itemId)!.myShareYuan;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const dujuan = await setUpDujuan(t.db);
		resident = await createMember(t.db, dujuan.moderator, dujuan.households[0]!.id);
		officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [dujuan.dujuan] });
		draft = await createPlanVersion(t.db, officer, dujuan.dujuan);
		const items = await t.db
			.select()
			.from(s.planItems)
			.where(eq(s.planItems.planVersionId, draft.id));
		// A whole-project item: every household of the compound shares its residents' part.
		const item = items.find((i) => i.buildingId === null)!;
		await t.db
			.update(s.planItems)
			.set({ costYuan: '200000.00', governmentYuan: '200000.00', residentYuan: '0.00' })
			.where(eq(s.planItems.id, item.id));
		itemId = item.id;
	});
	afterAll(async () => t?.close());

	it('splits household shares from 居民出资 only, whatever the other sources are', async () => {
		await setPlanItemFunding(t.db, officer, {
			versionId: draft.id,
			planItemId: itemId,
			amounts: { government: 100000_00n, residents: 30000_00n },
		});
		const first = await shareOf(draft.number);
		expect(first).not.toBeNull();
		expect(Number(first)).toBeGreaterThan(0);
		await setPlanItemFunding(t.db, officer, {
			versionId: draft.id,
			planItemId: itemId,
			amounts: { maintenance_fund: 50000_00n, utilities: 70000_00n, residents: 30000_00n },
		});
		expect(await shareOf(draft.number)).toBe(first);
		await setPlanItemFunding(t.db, officer, {
			versionId: draft.id,
			planItemId: itemId,
			amounts: { government: 170000_00n, residents: 0n },
		});
		expect(await shareOf(draft.number)).toBe('0.00');
	});

	it('shows the breakdown and the totals by source, and the rest as not yet funded', async () => {
		await setPlanItemFunding(t.db, officer, {
			versionId: draft.id,
			planItemId: itemId,
			amounts: { government: 120000_00n, provident_fund: 10000_00n, residents: 20000_00n },
		});
		const v = (await view(draft.number, null))!;
		const item = v.items.find((i) => i.id === itemId)!;
		expect(item.fundingLines).toEqual([
			{ source: 'government', amountYuan: '120000.00' },
			{ source: 'provident_fund', amountYuan: '10000.00' },
			{ source: 'residents', amountYuan: '20000.00' },
		]);
		expect(item.residentYuan).toBe('20000.00');
		expect(v.funding.bySource.find((l) => l.source === 'provident_fund')?.amountYuan).toBe(
			'10000.00',
		);
		expect(Number(v.funding.unfundedYuan)).toBeGreaterThanOrEqual(50000);
	});

	it('refuses more than the cost, another project’s officer and published versions; nothing changes', async () => {
		const over = await reject(
			setPlanItemFunding(t.db, officer, {
				versionId: draft.id,
				planItemId: itemId,
				amounts: { government: 200000_00n, residents: 1n },
			}),
		);
		expect(over.code).toBe('invalid');
		expect(over.messageKey).toBe('funding.overCost');
		const stranger = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		const hidden = await reject(
			setPlanItemFunding(t.db, stranger, {
				versionId: draft.id,
				planItemId: itemId,
				amounts: { residents: 1n },
			}),
		);
		expect(hidden.code).toBe('not_found');
		const [other] = await t.db.select({ id: s.planItems.id }).from(s.planItems).limit(1);
		const wrongItem = await reject(
			setPlanItemFunding(t.db, officer, {
				versionId: draft.id,
				planItemId: other!.id === itemId ? 2_000_000_000 : 2_000_000_000,
				amounts: { residents: 1n },
			}),
		);
		expect(wrongItem.code).toBe('not_found');
		const item = (await view(draft.number, null))!.items.find((i) => i.id === itemId)!;
		expect(item.fundingLines.find((l) => l.source === 'residents')?.amountYuan).toBe('20000.00');
	});

	it('carries the breakdown into the next version', async () => {
		const now = new Date();
		await publishPlanVersion(t.db, officer, {
			versionId: draft.id,
			opensAt: now,
			closesAt: new Date(now.getTime() + 7 * 86400000),
			final: false,
		});
		const published = await reject(
			setPlanItemFunding(t.db, officer, {
				versionId: draft.id,
				planItemId: itemId,
				amounts: { residents: 1n },
			}),
		);
		expect(published.code).toBe('conflict');
		const next = await createPlanVersion(t.db, officer, (await view(draft.number))!.project.id);
		const copied = (await view(next.number, null))!.items.find((i) => i.fundingLines.length === 3)!;
		expect(copied.id).not.toBe(itemId);
		expect(copied.fundingLines.map((l) => l.amountYuan)).toEqual([
			'120000.00',
			'10000.00',
			'20000.00',
		]);
	});
});
