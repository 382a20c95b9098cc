import type { Stage, StageRow } from './types.ts';

export const stageOrder: readonly Stage[] = [
	'survey',
	'consultation',
	'design',
	'notice',
	'construction',
	'acceptance',
	'evaluation',
	'maintenance',
];

export function isStage(value: string): value is Stage {
	return (stageOrder as readonly string[]).includes(value);
}

/** Every stage of the lifecycle in order, marked done / current / upcoming by the project's stage. */
export function buildTimeline(current: Stage, dates: Omit<StageRow, 'status'>[]): StageRow[] {
	const currentIndex = stageOrder.indexOf(current);
	return stageOrder.map((stage, index) => {
		const row = dates.find((d) => d.stage === stage);
		return {
			stage,
			plannedStart: row?.plannedStart ?? null,
			plannedEnd: row?.plannedEnd ?? null,
			actualStart: row?.actualStart ?? null,
			actualEnd: row?.actualEnd ?? null,
			status: index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'upcoming',
		};
	});
}

export const PAGE_SIZE = 20;

/** Clamps a page number from a query string to 1…pages. */
export function clampPage(raw: string | null, pages: number): number {
	const n = Number.parseInt(raw ?? '1', 10);
	if (!Number.isFinite(n) || n < 1) return 1;
	return Math.min(n, Math.max(pages, 1));
}
