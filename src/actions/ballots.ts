import { defineAction } from 'astro:actions';
import {
	castBallot,
	castBallotInput,
	closeRound,
	closeRoundInput,
	createRound,
	createRoundInput,
	doubleEntryInput,
	enterPaperForm,
	floorCoefficientsInput,
	openRound,
	paperFormInput,
	publishInput,
	publishResults,
	resolvePaperEntry,
	resolvePaperInput,
	reviewConflict,
	reviewConflictInput,
	roundIdInput,
	setDoubleEntry,
	setFloorCoefficients,
} from '../lib/server/ballots/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

/** Consultation rounds and household ballots; every handler's command checks the policy. */
export const ballots = {
	cast: defineAction({
		accept: 'form',
		input: castBallotInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => castBallot(await getDb(), ctx.locals.actor, input)),
	}),
	enterPaper: defineAction({
		accept: 'form',
		input: paperFormInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => enterPaperForm(await getDb(), ctx.locals.actor, input)),
	}),
	resolvePaper: defineAction({
		accept: 'form',
		input: resolvePaperInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => resolvePaperEntry(await getDb(), ctx.locals.actor, input)),
	}),
	reviewConflict: defineAction({
		accept: 'form',
		input: reviewConflictInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await reviewConflict(await getDb(), ctx.locals.actor, input);
				return { ok: true };
			}),
	}),
	createRound: defineAction({
		accept: 'form',
		input: createRoundInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => createRound(await getDb(), ctx.locals.actor, input)),
	}),
	setDoubleEntry: defineAction({
		accept: 'form',
		input: doubleEntryInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await setDoubleEntry(await getDb(), ctx.locals.actor, input);
				return { ok: true };
			}),
	}),
	setFloorCoefficients: defineAction({
		accept: 'form',
		input: floorCoefficientsInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await setFloorCoefficients(await getDb(), ctx.locals.actor, {
					roundId: input.roundId,
					text: input.coefficients,
				});
				return { ok: true };
			}),
	}),
	openRound: defineAction({
		accept: 'form',
		input: roundIdInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => openRound(await getDb(), ctx.locals.actor, input.roundId)),
	}),
	closeRound: defineAction({
		accept: 'form',
		input: closeRoundInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				closeRound(await getDb(), ctx.locals.actor, input.roundId, input),
			),
	}),
	publish: defineAction({
		accept: 'form',
		input: publishInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => publishResults(await getDb(), ctx.locals.actor, input)),
	}),
};
