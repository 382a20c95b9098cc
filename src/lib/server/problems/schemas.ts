import { z } from 'zod';
import { files } from '../progress/index.ts';
import { dbId, isCalendarDate } from '../shared/index.ts';

const id = dbId();
// Astro turns an empty form field into null: optional texts read it back as ''.
const text = (max: number, required: string | null) =>
	required === null
		? z.preprocess((v) => v ?? '', z.string().trim().max(max, 'progress.textTooLong'))
		: z.preprocess(
				(v) => v ?? '',
				z.string().trim().min(1, required).max(max, 'progress.textTooLong'),
			);
const optionalId = z.preprocess((v) => (v === '' || v === null ? undefined : v), id.optional());

export const reportProblemInput = z.object({
	projectId: id,
	body: text(1000, 'problems.bodyRequired'),
	buildingId: optionalId,
	place: text(60, null),
	photos: files(3),
});

export const dispatchProblemInput = z.object({
	reportId: id,
	unit: text(40, 'problems.unitInvalid'),
	dueOn: z.string().refine(isCalendarDate, 'progress.dateInvalid'),
});

export const closeProblemInput = z.object({
	reportId: id,
	answer: text(2000, 'problems.answerRequired'),
	photo: files(1),
});
