import { describe, expect, it } from 'vitest';
import {
	buildTimeline,
	clampPage,
	isStage,
	stageOrder,
} from '../../../src/lib/server/projects/rules.ts';

describe('buildTimeline', () => {
	it('lists all eight stages in order and marks done/current/upcoming', () => {
		const timeline = buildTimeline('construction', [
			{
				stage: 'survey',
				plannedStart: '2026-01-01',
				plannedEnd: '2026-02-01',
				actualStart: '2026-01-03',
				actualEnd: '2026-02-02',
			},
		]);
		expect(timeline.map((r) => r.stage)).toEqual(stageOrder);
		expect(timeline.map((r) => r.status)).toEqual([
			'done',
			'done',
			'done',
			'done',
			'current',
			'upcoming',
			'upcoming',
			'upcoming',
		]);
		expect(timeline[0]!.actualEnd).toBe('2026-02-02');
		expect(timeline[7]!.plannedStart).toBeNull();
	});
});

describe('clampPage', () => {
	it.each([
		[null, 5, 1],
		['3', 5, 3],
		['9', 5, 5],
		['0', 5, 1],
		['-2', 5, 1],
		['abc', 5, 1],
		['2', 0, 1],
	] as const)('%s of %d → %d', (raw, pages, expected) => {
		expect(clampPage(raw, pages)).toBe(expected);
	});
});

describe('isStage', () => {
	it('accepts the eight stages only', () => {
		expect(stageOrder.every(isStage)).toBe(true);
		expect(isStage('demolition')).toBe(false);
		expect(isStage('')).toBe(false);
	});
});
