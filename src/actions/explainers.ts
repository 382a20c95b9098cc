import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import { saveExplainer, saveExplainerInput } from '../lib/server/explainers/index.ts';
import { run } from './run.ts';

/** 政策解读 (issue 22 item 8): staff write explainers and FAQ in Markdown. */
export const explainers = {
	save: defineAction({
		accept: 'form',
		input: saveExplainerInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => saveExplainer(await getDb(), ctx.locals.actor, input)),
	}),
};
