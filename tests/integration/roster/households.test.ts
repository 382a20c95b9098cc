import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { getProjectBySlug } from '../../../src/lib/server/projects/queries.ts';
import {
	editHousehold,
	restoreHousehold,
	retireHouseholds,
} from '../../../src/lib/server/roster/edit.ts';
import {
	getHouseholdForStaff,
	listHouseholdsByIds,
	listRosterCompounds,
	searchHouseholds,
} from '../../../src/lib/server/roster/queries.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('viewing and editing the tree on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let other: StaffActor;
	let hongyanId: number;
	let jiangbinHousehold: number;
	const audits = async (action: string) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from audit_log where action = ${action}`,
			)
		)[0]!.n;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const meiling = await demoPlaces(t.db, '梅岭社区');
		const jiangbin = await demoPlaces(t.db, '江滨社区');
		moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
		other = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [jiangbin.communityId],
		});
		const [hongyan] = await t.db
			.select({ id: s.compounds.id })
			.from(s.compounds)
			.where(eq(s.compounds.name, '红岩新村'));
		hongyanId = hongyan!.id;
		const [h] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.where(eq(s.households.compoundId, jiangbin.compoundId))
			.limit(1);
		jiangbinHousehold = h!.id;
	});
	afterAll(async () => t?.close());

	it('lists only the compounds in scope, with counts', async () => {
		const compounds = await listRosterCompounds(t.db, moderator);
		expect(compounds.map((c) => c.name).sort()).toEqual(['杜鹃新村', '红岩新村']);
		expect(compounds.every((c) => c.households > 0 && c.retired === 0)).toBe(true);
		expect(await listRosterCompounds(t.db, null)).toEqual([]);
	});

	it('finds households by building and room, normalised like the import, in scope only', async () => {
		const building = await searchHouseholds(t.db, moderator, {
			compoundId: hongyanId,
			building: '2',
		});
		expect(building.length).toBeGreaterThan(10);
		expect(new Set(building.map((h) => h.building))).toEqual(new Set(['2']));
		const room = await searchHouseholds(t.db, moderator, {
			compoundId: hongyanId,
			building: '2',
			room: '301',
		});
		expect(room.map((h) => [h.building, h.room])).toEqual(room.map(() => ['2', '301']));
		expect(room.length).toBeGreaterThanOrEqual(2); // one per unit
		expect(await searchHouseholds(t.db, other, { compoundId: hongyanId })).toEqual([]);
	});

	it('edits floor, area and occupancy with an audit entry; nothing changed writes nothing', async () => {
		const [h] = await searchHouseholds(t.db, moderator, {
			compoundId: hongyanId,
			building: '1',
			room: '101',
		});
		const before = await audits('household.edited');
		expect(
			await editHousehold(t.db, moderator, {
				householdId: h!.id,
				floor: 1,
				area: '66.6',
				occupancy: 'rented',
			}),
		).toEqual({ changed: true });
		expect(await getHouseholdForStaff(t.db, moderator, h!.id)).toMatchObject({
			areaM2: '66.60',
			occupancy: 'rented',
		});
		expect(
			await editHousehold(t.db, moderator, {
				householdId: h!.id,
				floor: 1,
				area: '66.60',
				occupancy: 'rented',
			}),
		).toEqual({ changed: false });
		expect(await audits('household.edited')).toBe(before + 1);
		expect(
			(
				await reject(
					editHousehold(t.db, moderator, {
						householdId: h!.id,
						floor: 1,
						area: '0',
						occupancy: 'rented',
					}),
				)
			).messageKey,
		).toBe('roster.reason.areaTooSmall');
		expect(
			(
				await reject(
					editHousehold(t.db, moderator, {
						householdId: h!.id,
						floor: 101,
						area: '60',
						occupancy: 'rented',
					}),
				)
			).messageKey,
		).toBe('roster.reason.floorInvalid');
	});

	it('refuses edits outside the scope as not found, revealing nothing', async () => {
		const error = await reject(
			editHousehold(t.db, moderator, {
				householdId: jiangbinHousehold,
				floor: 1,
				area: '60',
				occupancy: 'rented',
			}),
		);
		expect(error.code).toBe('not_found');
		expect(
			(await reject(retireHouseholds(t.db, moderator, { householdIds: [jiangbinHousehold] }))).code,
		).toBe('not_found');
		expect(
			(
				await reject(
					editHousehold(t.db, moderator, {
						householdId: 99_999_999,
						floor: 1,
						area: '60',
						occupancy: 'rented',
					}),
				)
			).code,
		).toBe('not_found');
		expect(await getHouseholdForStaff(t.db, moderator, jiangbinHousehold)).toBeNull();
	});

	it('retires households out of the project counts and restores them, audited; history stays', async () => {
		const project = await getProjectBySlug(t.db, 'hongyan');
		const rows = await searchHouseholds(t.db, moderator, { compoundId: hongyanId, building: '3' });
		const ids = rows.slice(0, 3).map((h) => h.id);
		expect(await retireHouseholds(t.db, moderator, { householdIds: ids })).toEqual({ retired: 3 });
		expect(await retireHouseholds(t.db, moderator, { householdIds: ids })).toEqual({ retired: 0 });
		expect((await getProjectBySlug(t.db, 'hongyan'))!.households).toBe(project!.households - 3);
		expect((await listHouseholdsByIds(t.db, moderator, ids)).every((h) => h.retired)).toBe(true);
		expect(await audits('household.retired')).toBe(1);
		// Mixed scope: nothing is retired at all.
		await reject(
			retireHouseholds(t.db, moderator, { householdIds: [rows[5]!.id, jiangbinHousehold] }),
		);
		expect((await getHouseholdForStaff(t.db, moderator, rows[5]!.id))!.retired).toBe(false);
		expect(await restoreHousehold(t.db, moderator, { householdId: ids[0]! })).toEqual({
			restored: true,
		});
		expect(await restoreHousehold(t.db, moderator, { householdId: ids[0]! })).toEqual({
			restored: false,
		});
		expect((await getProjectBySlug(t.db, 'hongyan'))!.households).toBe(project!.households - 2);
		expect(await audits('household.restored')).toBe(1);
	});
});
