import { z } from 'zod';
import { alignmentInput, bodyInput, normaliseText } from '../opinions/index.ts';
import {
	dispositions,
	moderationOps,
	offlineChannels,
	type Disposition,
	type ModerationOp,
} from './types.ts';
import { needsCarrier, parseCarrier } from './rules.ts';
import { WORD_MAX } from './words.ts';
import { isCalendarDate } from '../shared/index.ts';

const id = z.coerce.number().int().positive().max(2_147_483_647);
/** Longest moderation reason (shown to the author and the public). */
export const REASON_MAX = 200;
/** Longest official answer. */
export const ANSWER_MAX = 2000;
/** Opinions one bulk decision may touch. */
export const BULK_MAX = 100;

// Astro turns an empty form field into null: optional texts read it back as ''.
const text = (max: number, tooLong: string) =>
	z.preprocess(
		(v) => v ?? '',
		z
			.string()
			.max(max * 4, tooLong)
			.transform(normaliseText)
			.pipe(z.string().max(max, tooLong)),
	);
const reason = text(REASON_MAX, 'moderation.reasonTooLong');

/** Hide and reject need a reason: the author reads it, and for a hide so does the public. */
const needsReason = (v: { op: string; reason: string }) =>
	!(v.op === 'hide' || v.op === 'reject') || v.reason.length > 0;
const reasonIssue = { message: 'moderation.reasonRequired', path: ['reason'] };

export const moderateInput = z
	.object({ opinionId: id, op: z.enum(moderationOps), reason })
	.refine(needsReason, reasonIssue);
/** What callers pass (forms send strings; scripts and tests numbers); re-parsed by the command. */
export type ModerateInput = {
	opinionId: number | string;
	op: ModerationOp;
	reason?: string | null;
};

export const bulkModerateInput = z
	.object({
		ids: z.array(id).min(1, 'moderation.noneSelected').max(BULK_MAX, 'moderation.tooMany'),
		op: z.enum(moderationOps),
		reason,
	})
	.refine(needsReason, reasonIssue);
export type BulkModerateInput = {
	ids: (number | string)[];
	op: ModerationOp;
	reason?: string | null;
};

export const blockInput = z.object({
	opinionId: id,
	days: z.coerce
		.number({ error: 'moderation.daysInvalid' })
		.int('moderation.daysInvalid')
		.min(1, 'moderation.daysInvalid')
		.max(365, 'moderation.daysInvalid'),
	reason: reason.pipe(z.string().min(1, 'moderation.reasonRequired')),
});
export type BlockInput = { opinionId: number | string; days: number | string; reason: string };

export const liftBlockInput = z.object({ blockId: id });

/** 采纳 / 部分采纳 name what carries them (rules.ts `parseCarrier`); others may leave it. */
const carrier = z.string().max(40).nullish();
const answerFields = {
	disposition: z.enum(dispositions, { error: 'moderation.dispositionRequired' }),
	body: text(ANSWER_MAX, 'moderation.answerTooLong'),
	carrier,
	/** Approve the opinion (pending, or in the queue) in the same step (issue 21). */
	approve: z.preprocess((v) => v === true || v === '1' || v === 'on', z.boolean()).optional(),
};
const reasonGiven = (v: { disposition: string; body: string }) =>
	v.disposition !== 'not_adopted' || v.body.length > 0;
const reasonGivenIssue = { message: 'moderation.answerReasonRequired', path: ['body'] };
/** 采纳 / 部分采纳 need a carrier the rules can read (rules.ts). */
const carrierGiven = (v: { disposition: string; carrier?: string | null | undefined }) =>
	!needsCarrier(v.disposition) || parseCarrier(v.carrier) !== null;
const carrierGivenIssue = { message: 'moderation.carrierRequired', path: ['carrier'] };

export const answerInput = z
	.object({ opinionId: id, ...answerFields })
	.refine(reasonGiven, reasonGivenIssue)
	.refine(carrierGiven, carrierGivenIssue);
export type AnswerInput = {
	opinionId: number | string;
	disposition: Disposition;
	body?: string | null;
	/** `next`, `item:<id>` or `change:<id>`; omitted: `next`. */
	carrier?: string | null | undefined;
	approve?: boolean | string | undefined;
};

/** One answer to several opinions that ask the same thing: each gets its own answer. */
export const answerManyInput = z
	.object({
		ids: z.array(id).min(1, 'moderation.noneSelected').max(BULK_MAX, 'moderation.tooMany'),
		...answerFields,
	})
	.refine(reasonGiven, reasonGivenIssue)
	.refine(carrierGiven, carrierGivenIssue);
export type AnswerManyInput = Omit<AnswerInput, 'opinionId'> & { ids: (number | string)[] };

const day = z
	.string({ error: 'moderation.dateInvalid' })
	.refine(isCalendarDate, 'moderation.dateInvalid');

export const offlineInput = z.object({
	planVersionId: id,
	householdId: id,
	channel: z.enum(offlineChannels, { error: 'moderation.channelRequired' }),
	receivedOn: day,
	alignment: alignmentInput,
	body: bodyInput,
});
export type OfflineInput = z.input<typeof offlineInput>;

export const wordInput = z.object({
	pattern: z.preprocess(
		(v) => v ?? '',
		z
			.string()
			.trim()
			.min(1, 'moderation.wordInvalid')
			.max(WORD_MAX, 'moderation.wordInvalid')
			.transform((v) => v.normalize('NFC')),
	),
});
export const removeWordInput = z.object({ id });

export const digestInput = z.object({
	on: z.preprocess((v) => v === true || v === '1' || v === 'on', z.boolean()),
});
