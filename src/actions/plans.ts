import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	addAlternative,
	addAlternativeInput,
	addAttachment,
	addAttachmentInput,
	addChangeInput,
	addItemInput,
	addPlanChange,
	addPlanItem,
	addRendering,
	addRenderingInput,
	closePlanVersion,
	createPlanVersion,
	createVersionInput,
	publishInput,
	publishPlanVersion,
	removeAlternative,
	removeAlternativeInput,
	removeAttachment,
	removeAttachmentInput,
	removeItemInput,
	removePlanItem,
	removeRendering,
	removeRenderingInput,
	setFundingInput,
	setPlanItemFunding,
	updateDraftInput,
	updatePlanDraft,
	versionIdInput,
} from '../lib/server/plans/index.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

export const plans = {
	createVersion: defineAction({
		accept: 'form',
		input: createVersionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				createPlanVersion(await getDb(), ctx.locals.actor, input.projectId),
			),
	}),
	updateDraft: defineAction({
		accept: 'form',
		input: updateDraftInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await updatePlanDraft(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	addItem: defineAction({
		accept: 'form',
		input: addItemInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => (await addPlanItem(await getDb(), ctx.locals.actor, input), ok)),
	}),
	setFunding: defineAction({
		accept: 'form',
		input: setFundingInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await setPlanItemFunding(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	addAlternative: defineAction({
		accept: 'form',
		input: addAlternativeInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => addAlternative(await getDb(), ctx.locals.actor, input)),
	}),
	removeAlternative: defineAction({
		accept: 'form',
		input: removeAlternativeInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await removeAlternative(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	removeItem: defineAction({
		accept: 'form',
		input: removeItemInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await removePlanItem(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	addRendering: defineAction({
		accept: 'form',
		input: addRenderingInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => addRendering(await getDb(), ctx.locals.actor, input)),
	}),
	removeRendering: defineAction({
		accept: 'form',
		input: removeRenderingInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await removeRendering(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	addChange: defineAction({
		accept: 'form',
		input: addChangeInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await addPlanChange(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	publish: defineAction({
		accept: 'form',
		input: publishInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (
					await publishPlanVersion(await getDb(), ctx.locals.actor, {
						...input,
						final: input.final === 'yes',
					}),
					ok
				),
			),
	}),
	addAttachment: defineAction({
		accept: 'form',
		input: addAttachmentInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => addAttachment(await getDb(), ctx.locals.actor, input)),
	}),
	removeAttachment: defineAction({
		accept: 'form',
		input: removeAttachmentInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await removeAttachment(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	close: defineAction({
		accept: 'form',
		input: versionIdInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await closePlanVersion(await getDb(), ctx.locals.actor, input.versionId), ok),
			),
	}),
};
