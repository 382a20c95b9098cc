import { z } from 'zod';
import { dbId } from '../shared/index.ts';

export const confirmAgreementInput = z.object({ projectId: dbId(), householdId: dbId() });

export const paperAgreementInput = z.object({
	projectId: dbId(),
	householdId: dbId(),
	photo: z.instanceof(File).nullable().default(null),
});
