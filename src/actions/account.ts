import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { deleteMyAccount } from '../lib/server/account/commands.ts';
import { getDb } from '../lib/server/db.ts';
import { clearSessionCookie } from '../lib/server/http/cookies.ts';
import { signOutEverywhere } from '../lib/server/staff/commands.ts';
import { run } from './run.ts';

export const account = {
	signOutEverywhere: defineAction({
		accept: 'form',
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const actor = ctx.locals.actor;
				const ended = await signOutEverywhere(await getDb(), actor, actor?.userId ?? '');
				clearSessionCookie(ctx.cookies, ctx.locals.https);
				return { ended };
			}),
	}),
	deleteAccount: defineAction({
		accept: 'form',
		input: z.object({ confirm: z.literal('yes', { error: 'account.confirmRequired' }) }),
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await deleteMyAccount(await getDb(), ctx.locals.actor);
				clearSessionCookie(ctx.cookies, ctx.locals.https);
				return { deleted: true };
			}),
	}),
};
