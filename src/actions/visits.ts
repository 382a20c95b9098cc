import { defineAction } from 'astro:actions';
import { recordVisit, recordVisitInput } from '../lib/server/ballots/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

/** Door visits (入户) of consultation rounds; the command checks the policy. */
export const visits = {
	record: defineAction({
		accept: 'form',
		input: recordVisitInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordVisit(await getDb(), ctx.locals.actor, input)),
	}),
};
