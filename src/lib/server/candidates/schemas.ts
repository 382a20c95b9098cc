import { z } from 'zod';
import { dbId } from '../shared/index.ts';

export const includeCompoundInput = z.object({
	compoundId: dbId(),
	reason: z.preprocess(
		(v) => v ?? '',
		z.string().trim().min(10, 'candidates.reasonTooShort').max(1000, 'candidates.reasonTooLong'),
	),
});

export const setCutoffInput = z.object({
	districtId: dbId(),
	builtBefore: z.coerce
		.number({ error: 'candidates.cutoffInvalid' })
		.int('candidates.cutoffInvalid')
		.min(1950, 'candidates.cutoffInvalid')
		.max(2100, 'candidates.cutoffInvalid'),
});
