import { z } from 'zod';

/** An empty or missing field (Astro passes an empty input as null) clears the printed line. */
const line = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'community.contactTooLong')
		.nullish()
		.transform((v) => v ?? '');

/** The committee's contact, as staff type it (every field optional, bounded). */
export const communityContactInput = z.object({
	communityId: z.coerce.number().int().min(1).max(2_147_483_647),
	contactPhone: z
		.string()
		.trim()
		.max(40, 'community.contactTooLong')
		.regex(/^[0-9+\-() ]*$/, 'community.phoneInvalid')
		.nullish()
		.transform((v) => v ?? ''),
	contactAddress: line(120),
	contactAddressEn: line(160),
	officeHours: line(80),
	officeHoursEn: line(120),
});

export type CommunityContactInput = z.infer<typeof communityContactInput>;
