import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	addSensitiveWord,
	answerInput,
	answerManyInput,
	answerOpinion,
	answerOpinions,
	blockAuthor,
	blockInput,
	bulkModerate,
	bulkModerateInput,
	digestInput,
	liftBlock,
	liftBlockInput,
	moderateInput,
	moderateOpinion,
	offlineInput,
	recordOfflineOpinion,
	removeSensitiveWord,
	removeWordInput,
	setModerationDigest,
	wordInput,
} from '../lib/server/moderation/index.ts';
import { run } from './run.ts';

/**
 * Moderation and official answers (PRODUCT.md capability 3). Every handler goes through a
 * command that checks the policy itself: a moderator of another community gets not_found.
 */
export const moderation = {
	moderate: defineAction({
		accept: 'form',
		input: moderateInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => moderateOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	bulk: defineAction({
		accept: 'form',
		input: bulkModerateInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => bulkModerate(await getDb(), ctx.locals.actor, input)),
	}),
	block: defineAction({
		accept: 'form',
		input: blockInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => blockAuthor(await getDb(), ctx.locals.actor, input)),
	}),
	liftBlock: defineAction({
		accept: 'form',
		input: liftBlockInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await liftBlock(await getDb(), ctx.locals.actor, input);
				return { ok: true };
			}),
	}),
	answer: defineAction({
		accept: 'form',
		input: answerInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => answerOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	/** One answer to several opinions (each its own record and notification), or approve-and-answer. */
	answerMany: defineAction({
		accept: 'form',
		input: answerManyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => answerOpinions(await getDb(), ctx.locals.actor, input)),
	}),
	setDigest: defineAction({
		accept: 'form',
		input: digestInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => setModerationDigest(await getDb(), ctx.locals.actor, input)),
	}),
	recordOffline: defineAction({
		accept: 'form',
		input: offlineInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordOfflineOpinion(await getDb(), ctx.locals.actor, input)),
	}),
	addWord: defineAction({
		accept: 'form',
		input: wordInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => addSensitiveWord(await getDb(), ctx.locals.actor, input)),
	}),
	removeWord: defineAction({
		accept: 'form',
		input: removeWordInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await removeSensitiveWord(await getDb(), ctx.locals.actor, input);
				return { ok: true };
			}),
	}),
};
