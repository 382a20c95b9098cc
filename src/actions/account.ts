import { defineAction } from 'astro:actions';
import { z } from 'zod';
import {
	deleteMyAccount,
	PRIVACY_POLICY_VERSION,
	recordPrivacyConsent,
} from '../lib/server/account/index.ts';
import { getDb } from '../lib/server/db.ts';
import { clearSessionCookie } from '../lib/server/http/index.ts';
import { signOutEverywhere } from '../lib/server/staff/index.ts';
import { DomainError } from '../lib/server/shared/index.ts';
import { run } from './run.ts';

export const account = {
	acceptPrivacy: defineAction({
		accept: 'form',
		input: z.object({ version: z.string().trim().max(20) }),
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const actor = ctx.locals.actor;
				if (actor?.kind !== 'resident')
					throw new DomainError('unauthenticated', 'auth.signInFirst');
				if (input.version !== PRIVACY_POLICY_VERSION)
					throw new DomainError('conflict', 'privacy.versionChanged');
				await recordPrivacyConsent(await getDb(), actor.userId, input.version, 'account');
				return { accepted: true };
			}),
	}),
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
