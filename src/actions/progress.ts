import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	closeProblem,
	closeProblemInput,
	dispatchProblem,
	dispatchProblemInput,
	reportProblem,
	reportProblemInput,
} from '../lib/server/problems/index.ts';
import {
	acceptanceInput,
	announceMeeting,
	defectFixedInput,
	itemRows,
	markDefectFixed,
	meetingInput,
	milestoneInput,
	minutesInput,
	postProgressUpdate,
	postUpdateInput,
	publishMinutes,
	recordAcceptance,
	rsvpInput,
	rsvpMeeting,
	setMilestone,
} from '../lib/server/progress/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

/** Construction progress, acceptance, meetings and problem reports (issue 8). */
export const progress = {
	postUpdate: defineAction({
		accept: 'form',
		input: postUpdateInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				postProgressUpdate(await getDb(), ctx.locals.actor, { ...input, items: itemRows(input) }),
			),
	}),
	setMilestone: defineAction({
		accept: 'form',
		input: milestoneInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => setMilestone(await getDb(), ctx.locals.actor, input)),
	}),
	recordAcceptance: defineAction({
		accept: 'form',
		input: acceptanceInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordAcceptance(await getDb(), ctx.locals.actor, input)),
	}),
	markDefectFixed: defineAction({
		accept: 'form',
		input: defectFixedInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await markDefectFixed(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	announceMeeting: defineAction({
		accept: 'form',
		input: meetingInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => announceMeeting(await getDb(), ctx.locals.actor, input)),
	}),
	rsvp: defineAction({
		accept: 'form',
		input: rsvpInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (
					await rsvpMeeting(await getDb(), ctx.locals.actor, {
						meetingId: input.meetingId,
						attending: input.attending === 'yes',
					}),
					ok
				),
			),
	}),
	publishMinutes: defineAction({
		accept: 'form',
		input: minutesInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => publishMinutes(await getDb(), ctx.locals.actor, input)),
	}),
	reportProblem: defineAction({
		accept: 'form',
		input: reportProblemInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => reportProblem(await getDb(), ctx.locals.actor, input)),
	}),
	dispatchProblem: defineAction({
		accept: 'form',
		input: dispatchProblemInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (
					await dispatchProblem(await getDb(), ctx.locals.actor, input, {
						units: getConfig().PROBLEM_UNITS,
					}),
					ok
				),
			),
	}),
	closeProblem: defineAction({
		accept: 'form',
		input: closeProblemInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => (await closeProblem(await getDb(), ctx.locals.actor, input), ok)),
	}),
};
