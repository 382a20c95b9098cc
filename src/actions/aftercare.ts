import { defineAction } from 'astro:actions';
import {
	answerRepair,
	answerRepairInput,
	confirmConvention,
	confirmConventionInput,
	publishConvention,
	publishConventionInput,
	recordPaperConfirmation,
	scheduleYearlyCheck,
	scheduleYearlyCheckInput,
	disclosureInput,
	publishDisclosure,
	propertyInput,
	recordPropertyManagement,
	recordWarranty,
	recordWarrantyInput,
	reportRepair,
	reportRepairInput,
} from '../lib/server/aftercare/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

/** Long-term management after the works (长效管理, issue 23): warranty, repairs, property. */
export const aftercare = {
	recordWarranty: defineAction({
		accept: 'form',
		input: recordWarrantyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordWarranty(await getDb(), ctx.locals.actor, input)),
	}),
	reportRepair: defineAction({
		accept: 'form',
		input: reportRepairInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => reportRepair(await getDb(), ctx.locals.actor, input)),
	}),
	recordProperty: defineAction({
		accept: 'form',
		input: propertyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => recordPropertyManagement(await getDb(), ctx.locals.actor, input)),
	}),
	publishDisclosure: defineAction({
		accept: 'form',
		input: disclosureInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => publishDisclosure(await getDb(), ctx.locals.actor, input)),
	}),
	answerRepair: defineAction({
		accept: 'form',
		input: answerRepairInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => (await answerRepair(await getDb(), ctx.locals.actor, input), ok)),
	}),
	/** 居民公约: the committee publishes a version; households confirm online or on paper. */
	publishConvention: defineAction({
		accept: 'form',
		input: publishConventionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => publishConvention(await getDb(), ctx.locals.actor, input)),
	}),
	confirmConvention: defineAction({
		accept: 'form',
		input: confirmConventionInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await confirmConvention(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	recordPaperConvention: defineAction({
		accept: 'form',
		input: confirmConventionInput,
		handler: (input, ctx) =>
			run(
				ctx,
				input,
				async () => (await recordPaperConfirmation(await getDb(), ctx.locals.actor, input), ok),
			),
	}),
	/** 一年回访: a follow-up satisfaction survey from the same template, opened on the anniversary. */
	scheduleYearlyCheck: defineAction({
		accept: 'form',
		input: scheduleYearlyCheckInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => scheduleYearlyCheck(await getDb(), ctx.locals.actor, input)),
	}),
};
