import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	applyRoster,
	applyRosterInput,
	checkRoster,
	checkRosterInput,
	decodePayload,
	editHousehold,
	editHouseholdInput,
	restoreHousehold,
	restoreHouseholdInput,
	retireHouseholds,
	retireHouseholdsInput,
} from '../lib/server/roster/index.ts';
import { getConfig, ownerKeySecret } from '../lib/server/shared/index.ts';
import { run } from './run.ts';

/** Household rosters (issue 10): dry run, apply, and staff edits of the tree. */
export const roster = {
	/** The dry run: parses and checks the uploaded file, writes nothing. */
	check: defineAction({
		accept: 'form',
		input: checkRosterInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				checkRoster(await getDb(), ctx.locals.actor, {
					bytes: new Uint8Array(await input.file.arrayBuffer()),
					ownerKeySecret: ownerKeySecret(getConfig()),
				}),
			),
	}),
	/** Applies the rows a clean dry run returned, if the plan is still the one it showed. */
	apply: defineAction({
		accept: 'form',
		input: applyRosterInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				applyRoster(await getDb(), ctx.locals.actor, {
					rows: decodePayload(input.payload),
					planHash: input.planHash,
					fileHash: input.fileHash,
				}),
			),
	}),
	editHousehold: defineAction({
		accept: 'form',
		input: editHouseholdInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => editHousehold(await getDb(), ctx.locals.actor, input)),
	}),
	retire: defineAction({
		accept: 'form',
		input: retireHouseholdsInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				retireHouseholds(await getDb(), ctx.locals.actor, { householdIds: input.householdId }),
			),
	}),
	restore: defineAction({
		accept: 'form',
		input: restoreHouseholdInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => restoreHousehold(await getDb(), ctx.locals.actor, input)),
	}),
};
