import { z } from 'zod';
import type { ITEM_STATUSES } from './rules.ts';
import { MILESTONES } from './rules.ts';
import { dbId, isCalendarDate, isLocalDateTime } from '../shared/index.ts';
import { parseChinaTime } from '../../china-time.ts';

const id = dbId();
// Astro turns an empty form field into null: optional texts read it back as ''.
const text = (max: number, required: string | null) =>
	required === null
		? z.preprocess((v) => v ?? '', z.string().trim().max(max, 'progress.textTooLong'))
		: z.preprocess(
				(v) => v ?? '',
				z.string().trim().min(1, required).max(max, 'progress.textTooLong'),
			);
const isoDate = z.string().refine(isCalendarDate, 'progress.dateInvalid');
/** An optional date field: '' (or nothing) is no date. */
const optionalDate = z.preprocess(
	(v) => (v === null || v === undefined ? '' : v),
	z.union([z.literal(''), isoDate]),
);
/**
 * Uploaded files of a multi-file input; an empty input posts one empty file, dropped here. The
 * array comes first (Astro reads every value of a field only for an array schema).
 */
export const files = (max: number) =>
	z
		.array(z.instanceof(File))
		.transform((list) => list.filter((f) => f.size > 0))
		.pipe(z.array(z.instanceof(File)).max(max, 'progress.tooManyPhotos'))
		.default([]);
const texts = (max: number) =>
	z.array(z.preprocess((v) => v ?? '', z.string().max(max, 'progress.textTooLong'))).max(300);

export const postUpdateInput = z.object({
	projectId: id,
	body: text(4000, 'progress.bodyRequired'),
	bodyEn: text(6000, null),
	photos: files(6),
	/** Parallel arrays, one entry per item row of the form (see itemRows). */
	item: texts(24).default([]),
	status: texts(20).default([]),
	percent: texts(8).default([]),
	reason: texts(300).default([]),
});

export type ItemRowInput = {
	itemId: number;
	buildingId: number | null;
	status: (typeof ITEM_STATUSES)[number];
	percent: number;
	reason: string;
};

export const milestoneInput = z.object({
	projectId: id,
	kind: z.enum(MILESTONES, 'progress.milestoneInvalid'),
	plannedOn: optionalDate,
	achievedOn: optionalDate,
});

export const acceptanceInput = z.object({
	projectId: id,
	heldOn: isoDate,
	units: text(2000, 'progress.unitsRequired'),
	representatives: text(2000, 'progress.representativesRequired'),
	outcome: z.enum(['passed', 'passed_with_defects', 'failed'], 'progress.outcomeInvalid'),
	notes: text(4000, null),
	defects: text(6000, null),
	scans: files(6),
});

export const defectFixedInput = z.object({ defectId: id, fixedOn: isoDate });

/** Datetime-local values are China time. */
const localTime = z
	.string()
	.refine((v) => /T\d{2}:\d{2}$/.test(v) && isLocalDateTime(v), 'progress.timeInvalid')
	.transform(parseChinaTime);

export const meetingInput = z.object({
	projectId: id,
	title: text(120, 'progress.titleRequired'),
	startsAt: localTime,
	place: text(120, 'progress.placeRequired'),
	agenda: text(4000, null),
});

export const rsvpInput = z.object({
	meetingId: id,
	attending: z.enum(['yes', 'no']).default('yes'),
});

export const minutesInput = z.object({
	meetingId: id,
	minutes: text(8000, 'progress.minutesRequired'),
	decisions: text(4000, null),
	opinionsRaised: text(6000, null),
	attendance: z.preprocess((v) => (v === null || v === '' ? undefined : v), id.optional()),
});
