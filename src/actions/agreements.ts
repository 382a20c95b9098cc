import { defineAction } from 'astro:actions';
import {
	confirmAgreement,
	confirmAgreementInput,
	paperAgreementInput,
	recordPaperAgreement,
} from '../lib/server/agreements/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

/** 改造协议 (issue 22 item 3): online confirmation by a household, paper copies by staff. */
export const agreements = {
	confirm: defineAction({
		accept: 'form',
		input: confirmAgreementInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => confirmAgreement(await getDb(), ctx.locals.actor, input)),
	}),
	recordPaper: defineAction({
		accept: 'form',
		input: paperAgreementInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordPaperAgreement(await getDb(), ctx.locals.actor, input)),
	}),
};
