import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	createStaff,
	createStaffInput,
	disableStaffInput,
	resetPasswordInput,
	resetStaffPassword,
	setStaffDisabled,
	signOutEverywhere,
	staffTargetInput,
	updateStaffAccess,
	updateStaffInput,
} from '../lib/server/staff/index.ts';
import { run } from './run.ts';

export const staff = {
	create: defineAction({
		accept: 'form',
		input: createStaffInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => createStaff(await getDb(), ctx.locals.actor, input)),
	}),
	updateAccess: defineAction({
		accept: 'form',
		input: updateStaffInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const { userId, ...access } = input;
				await updateStaffAccess(await getDb(), ctx.locals.actor, userId, access);
				return { ok: true };
			}),
	}),
	resetPassword: defineAction({
		accept: 'form',
		input: resetPasswordInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await resetStaffPassword(await getDb(), ctx.locals.actor, input.userId, input.password);
				return { ok: true };
			}),
	}),
	setDisabled: defineAction({
		accept: 'form',
		input: disableStaffInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await setStaffDisabled(
					await getDb(),
					ctx.locals.actor,
					input.userId,
					input.disabled === 'yes',
				);
				return { ok: true };
			}),
	}),
	signOutEverywhere: defineAction({
		accept: 'form',
		input: staffTargetInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => ({
				ended: await signOutEverywhere(await getDb(), ctx.locals.actor, input.userId),
			})),
	}),
};
