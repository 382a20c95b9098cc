import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import { communityContactInput, updateCommunityContact } from '../lib/server/projects/index.ts';
import { run } from './run.ts';

export const communities = {
	updateContact: defineAction({
		accept: 'form',
		input: communityContactInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await updateCommunityContact(await getDb(), ctx.locals.actor, input);
				return { saved: true };
			}),
	}),
};
