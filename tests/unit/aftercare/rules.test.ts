import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addMonths,
	isOverdue,
	repairCounts,
	repairDueOn,
	routeRepair,
	warrantyEndsOn,
} from '../../../src/lib/server/aftercare/rules.ts';

describe('warranty end dates', () => {
	it.each([
		['2025-03-15', 24, '2027-03-14'],
		['2025-01-31', 1, '2025-02-27'],
		['2024-02-29', 12, '2025-02-27'],
		['2025-12-01', 60, '2030-11-30'],
		['2025-06-30', 6, '2025-12-29'],
	])('a warranty from %s for %i months covers through %s', (start, months, end) => {
		expect(warrantyEndsOn(start, months)).toBe(end);
	});

	it('clamps to the last day of a shorter month', () => {
		expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
		expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
	});

	it('always ends after it starts and before the next period would', () => {
		const day = fc
			.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
			.map((d) => d.toISOString().slice(0, 10));
		fc.assert(
			fc.property(day, fc.integer({ min: 1, max: 120 }), (start, months) => {
				const end = warrantyEndsOn(start, months);
				expect(end > start).toBe(true);
				expect(end < warrantyEndsOn(start, months + 1)).toBe(true);
			}),
		);
	});
});

describe('routing a repair request', () => {
	const item = { endsOn: '2027-03-14', contractor: '三明市建工集团有限公司' };

	it.each([
		['2026-06-01', 'contractor', '三明市建工集团有限公司'],
		['2027-03-14', 'contractor', '三明市建工集团有限公司'],
		['2027-03-15', 'property_manager', '三明市城发物业服务有限公司'],
		['2030-01-01', 'property_manager', '三明市城发物业服务有限公司'],
	])('reported on %s goes to the %s (%s)', (day, party, name) => {
		expect(routeRepair(item, day, '三明市城发物业服务有限公司')).toEqual({
			party,
			partyName: name,
		});
	});

	it('after the warranty with no manager on record still names the party, without a name', () => {
		expect(routeRepair(item, '2028-01-01', '')).toEqual({
			party: 'property_manager',
			partyName: '',
		});
	});
});

describe('due dates by category', () => {
	it.each([
		['safety', '2026-12-31', '2027-01-01'],
		['leak', '2026-12-30', '2027-01-02'],
		['facility', '2026-02-25', '2026-03-04'],
		['appearance', '2026-06-01', '2026-06-16'],
	] as const)('a %s request reported %s is due %s', (category, day, due) => {
		expect(repairDueOn(category, day)).toBe(due);
	});
});

describe('overdue and the public counts', () => {
	const open = (dueOn: string) => ({ status: 'open' as const, dueOn, closedOn: null });
	const closed = (dueOn: string, closedOn: string) => ({
		status: 'closed' as const,
		dueOn,
		closedOn,
	});

	it('is overdue after the due day, not on it', () => {
		expect(isOverdue(open('2026-06-10'), '2026-06-10')).toBe(false);
		expect(isOverdue(open('2026-06-10'), '2026-06-11')).toBe(true);
		expect(isOverdue(closed('2026-06-10', '2026-06-10'), '2026-07-01')).toBe(false);
		expect(isOverdue(closed('2026-06-10', '2026-06-12'), '2026-07-01')).toBe(true);
	});

	it('counts opened, closed in time and overdue', () => {
		expect(
			repairCounts(
				[
					open('2026-06-20'),
					open('2026-06-01'),
					closed('2026-06-10', '2026-06-09'),
					closed('2026-06-10', '2026-06-15'),
					{ status: 'in_progress', dueOn: '2026-06-09', closedOn: null },
				],
				'2026-06-12',
			),
		).toEqual({ opened: 5, closedInTime: 1, overdue: 3 });
		expect(repairCounts([], '2026-06-12')).toEqual({ opened: 0, closedInTime: 0, overdue: 0 });
	});
});
