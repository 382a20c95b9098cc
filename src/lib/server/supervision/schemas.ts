import { z } from 'zod';
import { dbId } from '../shared/index.ts';
import { SEED_PATTERN } from './rules.ts';

const text = (max: number, required: string) =>
	z.preprocess((v) => v ?? '', z.string().trim().min(1, required).max(max, 'supervision.tooLong'));

export const volunteerInput = z.object({
	projectId: dbId(),
	publicName: text(40, 'supervision.nameRequired'),
});
export const confirmMemberInput = z.object({ projectId: dbId(), supervisorId: dbId() });
export const drawInput = z.object({
	projectId: dbId(),
	seats: z.coerce
		.number('supervision.seatsInvalid')
		.int('supervision.seatsInvalid')
		.min(1, 'supervision.seatsInvalid')
		.max(50, 'supervision.seatsInvalid'),
	/** Empty: the server picks a random seed (published with the draw). */
	seed: z.preprocess(
		(v) => v ?? '',
		z.union([z.literal(''), z.string().trim().regex(SEED_PATTERN, 'supervision.seedInvalid')]),
	),
});
export const inspectionNoteInput = z.object({
	projectId: dbId(),
	body: text(2000, 'supervision.noteRequired'),
});
export const signAcceptanceInput = z.object({ projectId: dbId() });
