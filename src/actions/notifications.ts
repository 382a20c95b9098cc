import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { getDb } from '../lib/server/db.ts';
import {
	followProject,
	markAllRead,
	setSmsOptIn,
	unfollowProject,
} from '../lib/server/notifications/index.ts';
import { requireResident } from '../lib/server/progress/index.ts';
import { dbId, DomainError, pgErrorCode } from '../lib/server/shared/index.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;
const projectInput = z.object({ projectId: dbId() });

/** The notification centre: follows, read state, SMS opt-in — a resident's own settings only. */
export const notifications = {
	follow: defineAction({
		accept: 'form',
		input: projectInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const resident = requireResident(ctx.locals.actor);
				try {
					await followProject(await getDb(), resident.userId, input.projectId);
				} catch (error) {
					// No such project (foreign key): the same answer as any unknown page.
					if (pgErrorCode(error) === '23503') throw new DomainError('not_found', 'error.notFound');
					throw error;
				}
				return ok;
			}),
	}),
	unfollow: defineAction({
		accept: 'form',
		input: projectInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const resident = requireResident(ctx.locals.actor);
				await unfollowProject(await getDb(), resident.userId, input.projectId);
				return ok;
			}),
	}),
	markAllRead: defineAction({
		accept: 'form',
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const resident = requireResident(ctx.locals.actor);
				await markAllRead(await getDb(), resident.userId);
				return ok;
			}),
	}),
	setSms: defineAction({
		accept: 'form',
		input: z.object({ sms: z.enum(['on', 'off']) }),
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const resident = requireResident(ctx.locals.actor);
				await setSmsOptIn(await getDb(), resident.userId, input.sms === 'on');
				return ok;
			}),
	}),
};
