import { defineAction } from 'astro:actions';
import {
	castBallot,
	enterPaperBallot,
	reviewConflict,
} from '../lib/server/ballots/commands/cast.ts';
import { publishResults } from '../lib/server/ballots/commands/publish.ts';
import { closeRound, createRound, openRound } from '../lib/server/ballots/commands/rounds.ts';
import {
	castBallotInput,
	createRoundInput,
	paperBallotInput,
	publishInput,
	reviewConflictInput,
	roundIdInput,
} from '../lib/server/ballots/schemas.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

/** Consultation rounds and household ballots; every handler's command checks the policy. */
export const ballots = {
	cast: defineAction({
		accept: 'form',
		input: castBallotInput,
		handler: (input, ctx) =>
			run(ctx, async () => castBallot(await getDb(), ctx.locals.actor, input)),
	}),
	enterPaper: defineAction({
		accept: 'form',
		input: paperBallotInput,
		handler: (input, ctx) =>
			run(ctx, async () => enterPaperBallot(await getDb(), ctx.locals.actor, input)),
	}),
	reviewConflict: defineAction({
		accept: 'form',
		input: reviewConflictInput,
		handler: (input, ctx) =>
			run(ctx, async () => {
				await reviewConflict(await getDb(), ctx.locals.actor, input);
				return { ok: true };
			}),
	}),
	createRound: defineAction({
		accept: 'form',
		input: createRoundInput,
		handler: (input, ctx) =>
			run(ctx, async () => createRound(await getDb(), ctx.locals.actor, input)),
	}),
	openRound: defineAction({
		accept: 'form',
		input: roundIdInput,
		handler: (input, ctx) =>
			run(ctx, async () => openRound(await getDb(), ctx.locals.actor, input.roundId)),
	}),
	closeRound: defineAction({
		accept: 'form',
		input: roundIdInput,
		handler: (input, ctx) =>
			run(ctx, async () => {
				await closeRound(await getDb(), ctx.locals.actor, input.roundId);
				return { ok: true };
			}),
	}),
	publish: defineAction({
		accept: 'form',
		input: publishInput,
		handler: (input, ctx) =>
			run(ctx, async () => publishResults(await getDb(), ctx.locals.actor, input)),
	}),
};
