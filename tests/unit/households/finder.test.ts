import { describe, expect, it } from 'vitest';
import {
	findByDoorNumber,
	nextInUnit,
	parseDoorNumber,
	pickerLevels,
	type FinderHousehold,
} from '../../../src/lib/server/households/finder.ts';

const h = (
	householdId: number,
	building: string,
	unit: string,
	room: string,
	done = false,
	compound = '杜鹃新村',
): FinderHousehold => ({
	householdId,
	compound,
	compoundEn: 'Dujuan',
	building,
	unit,
	room,
	done,
});

describe('finding a household by its door number', () => {
	it.each([
		['5-2-301', { building: '5', unit: '2', room: '301' }],
		[' 5 2 301 ', { building: '5', unit: '2', room: '301' }],
		['５－２－３０１', { building: '5', unit: '2', room: '301' }],
		['5号楼2单元301室', { building: '5', unit: '2', room: '301' }],
		['5栋2单元301', { building: '5', unit: '2', room: '301' }],
		['5/2/301', { building: '5', unit: '2', room: '301' }],
		['12-1-B02', { building: '12', unit: '1', room: 'B02' }],
	])('reads %s', (text, door) => {
		expect(parseDoorNumber(text)).toEqual(door);
	});

	it.each(['', '5-2', '301', '5-2-301-4', '<script>', '5--301'])('refuses %s', (text) => {
		expect(parseDoorNumber(text)).toBe(null);
	});

	it('finds the household in every compound that has that door number', () => {
		const list = [
			h(1, '5', '2', '301'),
			h(2, '5', '2', '302'),
			h(3, '5', '2', '301', false, '红岩新村'),
		];
		expect(findByDoorNumber(list, parseDoorNumber('5-2-301')!).map((x) => x.householdId)).toEqual([
			1, 3,
		]);
		expect(findByDoorNumber(list, parseDoorNumber('6-2-301')!)).toEqual([]);
	});
});

describe('the next household of the same unit', () => {
	const unit = [
		h(1, '5', '2', '101'),
		h(2, '5', '2', '102', true),
		h(3, '5', '2', '201'),
		h(4, '5', '3', '101'),
	];
	it('skips households already done and stays in the unit, wrapping round', () => {
		expect(nextInUnit(unit, 1)?.householdId).toBe(3);
		expect(nextInUnit(unit, 3)?.householdId).toBe(1);
		expect(nextInUnit(unit, 4)).toBe(null);
		expect(nextInUnit(unit, 99)).toBe(null);
	});
	it('offers buildings, then units, then rooms, with how many are left', () => {
		const levels = pickerLevels(unit, { building: '杜鹃新村|5', unit: '2' });
		expect(levels.buildings).toMatchObject([{ key: '杜鹃新村|5', total: 4, left: 3 }]);
		expect(levels.units.map((u) => [u.key, u.left])).toEqual([
			['2', 2],
			['3', 1],
		]);
		expect(levels.rooms.map((r) => r.room)).toEqual(['101', '102', '201']);
	});
});
