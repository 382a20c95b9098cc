import { z } from 'zod';
import { dbId } from '../shared/index.ts';

const ids = z.array(dbId()).max(500).default([]);

export const staffAccessInput = z.object({
	roles: z
		.array(z.enum(['admin', 'officer', 'moderator']))
		.max(3)
		.default([]),
	communityIds: ids,
	projectIds: ids,
});

export const createStaffInput = staffAccessInput.extend({
	username: z
		.string()
		.trim()
		.regex(/^[a-zA-Z0-9_.-]{3,32}$/, 'staff.usernameRules'),
	displayName: z
		.string()
		.trim()
		.min(1, 'staff.displayNameRequired')
		.max(40, 'staff.displayNameRequired'),
	password: z.string().min(10, 'staff.passwordRules').max(128, 'staff.passwordRules'),
});

export const staffTargetInput = z.object({ userId: z.uuid('error.notFound') });
export const updateStaffInput = staffAccessInput.extend({
	userId: z.uuid('error.notFound'),
});
export const resetPasswordInput = staffTargetInput.extend({
	password: z.string().min(10, 'staff.passwordRules').max(128, 'staff.passwordRules'),
});
export const disableStaffInput = staffTargetInput.extend({ disabled: z.enum(['yes', 'no']) });
