import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	confirmMember,
	confirmMemberInput,
	drawInput,
	drawMembers,
	inspectionNoteInput,
	postInspectionNote,
	signAcceptance,
	signAcceptanceInput,
	volunteer,
	volunteerInput,
} from '../lib/server/supervision/index.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

/** 居民监督小组 (issue 22 item 4). */
export const supervision = {
	volunteer: defineAction({
		accept: 'form',
		input: volunteerInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => volunteer(await getDb(), ctx.locals.actor, input)),
	}),
	confirmMember: defineAction({
		accept: 'form',
		input: confirmMemberInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await confirmMember(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	draw: defineAction({
		accept: 'form',
		input: drawInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => drawMembers(await getDb(), ctx.locals.actor, input)),
	}),
	postNote: defineAction({
		accept: 'form',
		input: inspectionNoteInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => postInspectionNote(await getDb(), ctx.locals.actor, input)),
	}),
	signAcceptance: defineAction({
		accept: 'form',
		input: signAcceptanceInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await signAcceptance(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
};
