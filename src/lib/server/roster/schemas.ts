import { z } from 'zod';
import { occupancies } from './template.ts';
import { dbId } from '../shared/index.ts';

/** Form inputs of the roster actions. Messages are i18n keys. */
export const checkRosterInput = z.object({
	file: z
		.instanceof(File, { error: 'roster.fileRequired' })
		.refine((file) => file.size > 0, 'roster.fileRequired'),
});

export const applyRosterInput = z.object({
	payload: z
		.string()
		.min(1, 'roster.payloadInvalid')
		.max(12 * 1024 * 1024, 'roster.payloadInvalid'),
	planHash: z.string().regex(/^[0-9a-f]{64}$/, 'roster.payloadInvalid'),
	fileHash: z.string().regex(/^[0-9a-f]{64}$/, 'roster.payloadInvalid'),
});

const householdId = dbId();

export const editHouseholdInput = z.object({
	householdId,
	floor: z.coerce
		.number({ error: 'roster.reason.floorInvalid' })
		.int('roster.reason.floorInvalid')
		.min(-5, 'roster.reason.floorInvalid')
		.max(100, 'roster.reason.floorInvalid'),
	area: z
		.string()
		.trim()
		.min(1, 'roster.reason.areaNotNumber')
		.max(20, 'roster.reason.areaNotNumber'),
	occupancy: z.enum(occupancies, { error: 'roster.reason.occupancyUnknown' }),
});

export const retireHouseholdsInput = z.object({
	householdId: z
		.array(householdId)
		.min(1, 'roster.nothingSelected')
		.max(500, 'roster.nothingSelected'),
});

export const restoreHouseholdInput = z.object({ householdId });

export const exportQuery = z.object({
	format: z.enum(['csv', 'xlsx']).default('xlsx'),
	lang: z.enum(['zh-CN', 'en']).optional(),
	compound: householdId.optional(),
	community: householdId.optional(),
});
