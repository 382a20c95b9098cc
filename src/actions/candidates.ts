import { defineAction } from 'astro:actions';
import {
	includeCompound,
	includeCompoundInput,
	setCandidateCutoff,
	setCutoffInput,
} from '../lib/server/candidates/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

/** Candidate compounds (issue 22): the district's cutoff and its 纳入计划 decisions. */
export const candidates = {
	include: defineAction({
		accept: 'form',
		input: includeCompoundInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await includeCompound(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	setCutoff: defineAction({
		accept: 'form',
		input: setCutoffInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await setCandidateCutoff(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
};
