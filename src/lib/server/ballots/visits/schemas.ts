import { z } from 'zod';

/** What a door visit (入户) found; the order is the form's. */
export const visitOutcomes = [
	'opinion_taken',
	'not_home',
	'come_back',
	'refused',
	'moved_out',
] as const;
export type VisitOutcome = (typeof visitOutcomes)[number];

const id = z.coerce.number().int().positive().max(2_147_483_647);
const absent = (value: unknown) => (value === '' || value === null ? undefined : value);

/**
 * A door visit as the visit form sends it. `key` is the random token rendered with the form: the
 * same form sent twice (a dropped connection in a stairwell) records one visit.
 */
export const recordVisitInput = z.object({
	roundId: id,
	householdId: id,
	outcome: z.enum(visitOutcomes, { error: 'visits.outcomeInvalid' }),
	comeBackOn: z.preprocess(
		absent,
		z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}$/, 'visits.dateInvalid')
			.optional(),
	),
	note: z.preprocess(
		(value) => (value === null || value === undefined ? '' : value),
		z.string().trim().max(500, 'visits.noteTooLong'),
	),
	key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'visits.formExpired'),
});
export type RecordVisitInput = z.infer<typeof recordVisitInput>;
