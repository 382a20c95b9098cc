import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../../src/lib/server/roster/payload.ts';
import {
	planRoster,
	resolveCommunities,
	type ExistingHousehold,
	type ExistingState,
} from '../../../src/lib/server/roster/plan.ts';
import { isEmptyPlan, planHash } from '../../../src/lib/server/roster/summary.ts';
import type { RosterRow } from '../../../src/lib/server/roster/validate.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

const row = (n: number, overrides: Partial<RosterRow> = {}): RosterRow => ({
	row: n,
	subdistrict: '',
	community: '梅岭社区',
	compound: '红岩新村',
	building: '1',
	unit: '1',
	room: '101',
	floor: 1,
	area: '80.00',
	occupancy: 'owner_occupied',
	ownerKey: KEY_A,
	...overrides,
});

const household = (
	id: number,
	room: string,
	overrides: Partial<ExistingHousehold> = {},
): ExistingHousehold => ({
	id,
	unitId: 100,
	buildingId: 10,
	compoundId: 1,
	room,
	floor: Number(room[0]),
	area: '80.00',
	occupancy: 'owner_occupied',
	ownerKey: KEY_A,
	retired: false,
	inUse: false,
	...overrides,
});

/** 梅岭社区 (1) has 红岩新村 (compound 1) with building 1 (id 10), unit 1 (id 100), three flats. */
const state = (
	households: ExistingHousehold[] = [household(1, '101'), household(2, '102'), household(3, '201')],
): ExistingState => ({
	compounds: [
		{ id: 1, communityId: 1, name: '红岩新村' },
		{ id: 2, communityId: 1, name: '杜鹃新村' },
	],
	buildings: [{ id: 10, compoundId: 1, number: '1', floors: 6 }],
	units: [{ id: 100, buildingId: 10, number: '1' }],
	households,
});

const resolved = (rows: RosterRow[]) => rows.map((r) => ({ row: r, communityId: 1 }));

describe('community resolution', () => {
	const communities = [
		{ id: 1, name: '梅岭社区', subdistrict: '列东街道' },
		{ id: 2, name: '江滨社区', subdistrict: '列西街道' },
		{ id: 3, name: '新村社区', subdistrict: '列东街道' },
		{ id: 4, name: '新村社区', subdistrict: '列西街道' },
	];
	it.each([
		['a community in scope', row(2), [1, 3, 4], 1, null],
		[
			'a community out of scope (same message as unknown)',
			row(2, { community: '江滨社区' }),
			[1],
			null,
			'roster.reason.communityUnknown',
		],
		[
			'an unknown community',
			row(2, { community: '不存在社区' }),
			[1, 2, 3, 4],
			null,
			'roster.reason.communityUnknown',
		],
		[
			'a repeated name without subdistrict',
			row(2, { community: '新村社区' }),
			[3, 4],
			null,
			'roster.reason.communityAmbiguous',
		],
		[
			'a repeated name with subdistrict',
			row(2, { community: '新村社区', subdistrict: '列西街道' }),
			[3, 4],
			4,
			null,
		],
		['a repeated name, one in scope', row(2, { community: '新村社区' }), [3], 3, null],
		[
			'a wrong subdistrict',
			row(2, { subdistrict: '列西街道' }),
			[1],
			null,
			'roster.reason.communityUnknown',
		],
	])('%s', (_name, input, scope, communityId, reason) => {
		const result = resolveCommunities([input], communities, (id) => scope.includes(id));
		expect(result.resolved.map((r) => r.communityId)).toEqual(
			communityId === null ? [] : [communityId],
		);
		expect(result.errors.map((e) => e.reason)).toEqual(reason === null ? [] : [reason]);
	});
});

describe('planning an import', () => {
	it('leaves an identical roster unchanged and writes nothing', () => {
		const plan = planRoster(
			resolved([row(2), row(3, { room: '102' }), row(4, { room: '201', floor: 2 })]),
			state(),
		);
		expect(plan.unchanged).toBe(3);
		expect(isEmptyPlan(plan)).toBe(true);
		expect(plan.errors).toEqual([]);
	});

	it('changes area, occupancy, floor and owner; a blank owner keeps the current one', () => {
		const plan = planRoster(
			resolved([
				row(2, { area: '81.00' }),
				row(3, { room: '102', occupancy: 'rented', ownerKey: null }),
				row(4, { room: '201', floor: 3, ownerKey: KEY_B }),
			]),
			state(),
		);
		expect(plan.updated.map((u) => [u.id, u.fields])).toEqual([
			[1, { area: ['80.00', '81.00'] }],
			[2, { occupancy: ['owner_occupied', 'rented'] }],
			[3, { floor: [2, 3], owner: true }],
		]);
		expect(plan.updated.map((u) => u.ownerKey)).toEqual([null, null, KEY_B]);
	});

	it('adds households, units, buildings and compounds as needed', () => {
		const plan = planRoster(
			resolved([
				row(2),
				row(3, { room: '102' }),
				row(4, { room: '201', floor: 2 }),
				row(5, { room: '202', floor: 2 }),
				row(6, { unit: '2', room: '101' }),
				row(7, { building: '2', room: '701', floor: 7 }),
				row(8, { compound: '新小区', building: '9', room: '101' }),
			]),
			state(),
		);
		expect(plan.created.map((c) => [c.row, c.unitKey])).toEqual([
			[5, 'u100'],
			[6, 'b10|2'],
			[7, 'c1|2|1'],
			[8, 'n1|新小区|9|1'],
		]);
		expect(plan.newUnits.map((u) => u.key)).toEqual(['b10|2', 'c1|2|1', 'n1|新小区|9|1']);
		expect(plan.newBuildings).toEqual([
			{ key: 'c1|2', compoundKey: 'c1', number: '2', floors: 7 },
			{ key: 'n1|新小区|9', compoundKey: 'n1|新小区', number: '9', floors: 1 },
		]);
		expect(plan.newCompounds).toEqual([{ key: 'n1|新小区', communityId: 1, name: '新小区' }]);
	});

	it('raises a building floor count when the roster has higher floors (never lowers it)', () => {
		const plan = planRoster(
			resolved([row(2), row(3, { room: '901', floor: 9 }), row(4, { room: '6501', floor: 65 })]),
			state(),
		);
		expect(plan.raisedBuildings).toEqual([{ id: 10, floors: 60 }]);
	});

	it('removes households missing from the roster when nothing refers to them, keeps those in use', () => {
		const plan = planRoster(
			resolved([row(2)]),
			state([
				household(1, '101'),
				household(2, '102', { inUse: true }),
				household(3, '201'),
				household(4, '202', { retired: true }),
			]),
		);
		expect(plan.removed.map((h) => h.id)).toEqual([3]);
		expect(plan.kept.map((h) => [h.id, h.label])).toEqual([
			[2, { compound: '红岩新村', building: '1', unit: '1', room: '102' }],
		]);
	});

	it('does not touch compounds the roster does not name', () => {
		const other = household(9, '101', { compoundId: 2, unitId: 900, buildingId: 90 });
		const plan = planRoster(
			resolved([row(2), row(3, { room: '102' }), row(4, { room: '201', floor: 2 })]),
			state([household(1, '101'), household(2, '102'), household(3, '201'), other]),
		);
		expect(plan.removed).toEqual([]);
	});

	it('brings back a retired household that is in the roster again', () => {
		const plan = planRoster(resolved([row(2)]), state([household(1, '101', { retired: true })]));
		expect(plan.updated).toEqual([
			expect.objectContaining({ id: 1, restore: true, fields: { restored: true } }),
		]);
	});

	it.each([
		[
			'a room repeated in a unit',
			[row(2), row(3)],
			[{ row: 3, column: 'room', reason: 'roster.reason.duplicateRoom', params: { row: 2 } }],
		],
		[
			'a room repeated in a new compound',
			[row(2, { compound: '新小区' }), row(3, { compound: '新小区' })],
			[{ row: 3, column: 'room', reason: 'roster.reason.duplicateRoom', params: { row: 2 } }],
		],
		[
			'a new household without an owner',
			[row(2, { room: '999', ownerKey: null })],
			[{ row: 2, column: 'ownerKey', reason: 'roster.reason.ownerKeyMissing' }],
		],
	])('reports %s', (_name, rows, errors) => {
		expect(planRoster(resolved(rows), state()).errors).toEqual(errors);
	});

	it('lets the same room number exist in different units and buildings', () => {
		const plan = planRoster(
			resolved([row(2), row(3, { unit: '2' }), row(4, { building: '2' })]),
			state(),
		);
		expect(plan.errors).toEqual([]);
	});

	it('gives the same hash for the same rows and state, and a different one for any change', () => {
		const rows = resolved([row(2, { area: '81.00' }), row(3, { room: '103' })]);
		const base = planHash(planRoster(rows, state()));
		expect(planHash(planRoster(rows, state()))).toBe(base);
		expect(
			planHash(planRoster(resolved([row(2, { area: '81.50' }), row(3, { room: '103' })]), state())),
		).not.toBe(base);
		const changedState = state([
			household(1, '101', { area: '81.00' }),
			household(2, '102'),
			household(3, '201'),
		]);
		expect(planHash(planRoster(rows, changedState))).not.toBe(base);
	});
});

describe('the dry run → apply payload', () => {
	const rows = [
		row(2),
		row(3, { room: '102', ownerKey: null, subdistrict: '列东街道', floor: -1, area: '1000.00' }),
	];

	it('round-trips the checked rows', () => {
		expect(decodePayload(encodePayload(rows))).toEqual(rows);
	});

	it.each([
		['garbage', 'not base64!'],
		['empty', ''],
		['not deflated', Buffer.from('[]').toString('base64url')],
		['a formula', encodePayload([row(2, { compound: '=1+1' })])],
		['an area out of range', encodePayload([row(2, { area: '1000.01' })])],
		[
			'an owner key that is not a hash',
			encodePayload([row(2, { ownerKey: 'cleartext-certificate' })]),
		],
		['a bad room', encodePayload([row(2, { room: '1/2' })])],
	])('refuses %s', (_name, payload) => {
		expect(() => decodePayload(payload)).toThrow(DomainError);
	});

	it('refuses a payload that inflates beyond its cap (deflate bomb)', () => {
		const bomb = zlib.deflateRawSync(Buffer.alloc(80 * 1024 * 1024, 0x20)).toString('base64url');
		expect(() => decodePayload(bomb)).toThrow(DomainError);
	});
});
