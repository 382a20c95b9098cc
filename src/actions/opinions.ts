import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	meTooInput,
	postOpinion,
	postOpinionInput,
	replyInput,
	reportInput,
	reportOpinion,
	reviseOpinion,
	reviseOpinionInput,
	toggleMeToo,
	withdrawOpinion,
	withdrawOpinionInput,
} from '../lib/server/opinions/index.ts';
import { run } from './run.ts';

/**
 * Opinions on a plan version (PRODUCT.md capability 2). Forms post to the plan page with
 * `?_action=opinions.<name>`; src/components/opinions/handle.ts turns the result into a
 * redirect or a form state. Names avoid Function.prototype's (bind, call, apply).
 */
export const opinions = {
	post: defineAction({
		accept: 'form',
		input: postOpinionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => postOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	reply: defineAction({
		accept: 'form',
		input: replyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => postOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	meToo: defineAction({
		accept: 'form',
		input: meTooInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => toggleMeToo(await getDb(), ctx.locals.actor, input.opinionId)),
	}),
	report: defineAction({
		accept: 'form',
		input: reportInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => reportOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	/** The author edits or withdraws their opinion until it is answered (issue 19). */
	revise: defineAction({
		accept: 'form',
		input: reviseOpinionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => reviseOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	withdraw: defineAction({
		accept: 'form',
		input: withdrawOpinionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => withdrawOpinion(await getDb(), ctx.locals.actor, input)),
	}),
};
