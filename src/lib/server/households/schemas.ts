import { z } from 'zod';
import { dbId } from '../shared/index.ts';

export const relationInput = z.enum(['owner', 'family', 'tenant'], {
	error: 'households.relationInvalid',
});

export const bindInput = z.object({
	code: z.string().trim().min(1, 'households.codeFormat').max(40, 'households.codeFormat'),
});

export const bindWithPasswordInput = bindInput.extend({
	phone: z.string().trim().min(1, 'auth.phoneInvalid').max(32, 'auth.phoneInvalid'),
	password: z.string().min(8, 'auth.passwordRules').max(128, 'auth.passwordRules'),
});

export const issueCodesInput = z
	.object({
		householdId: dbId().optional(),
		buildingId: dbId().optional(),
		compoundId: dbId().optional(),
		relation: relationInput,
		maxMembers: z.coerce
			.number({ error: 'households.maxMembersInvalid' })
			.int('households.maxMembersInvalid')
			.min(1, 'households.maxMembersInvalid')
			.max(20, 'households.maxMembersInvalid'),
	})
	.refine(
		(v) => [v.householdId, v.buildingId, v.compoundId].filter((x) => x !== undefined).length === 1,
		{
			message: 'households.scopeRequired',
			path: ['buildingId'],
		},
	);

export const revokeCodesInput = z.object({ householdId: dbId() });

export const consentInput = z.object({
	householdId: dbId(),
	membershipId: dbId(),
	authorised: z.enum(['yes', 'no']),
});
