import { z } from 'zod';
import { zhCN } from '../../../i18n/zh-CN.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { DomainError } from '../shared/index.ts';
import { parseTarget } from './rules.ts';
import { alignments, reportReasons } from './types.ts';

/** Longest opinion, in characters (code points, as PostgreSQL's length() counts them). */
export const BODY_MAX = 2000;
/** Longest note on a report. */
export const REPORT_TEXT_MAX = 500;

// Invisible characters that only hide or disguise text: C0/C1 controls (except line breaks,
// handled first), zero-width space, word joiner, BOM, and the bidi overrides used to spoof
// the reading order of text.
const INVISIBLE =
	// eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
	/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]/g;
// Horizontal whitespace of every script, the ideographic space (全角空格) included.
const SPACES = /[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

/**
 * Normalises what a resident typed: one kind of line break, no invisible or spoofing
 * characters, runs of spaces (tabs, 全角空格) as one space, no spaces around line breaks, at
 * most one blank line in a row, NFC, trimmed. Idempotent, so commands may re-apply it.
 */
export function normaliseText(raw: string): string {
	return raw
		.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
		.replace(INVISIBLE, '')
		.replace(SPACES, ' ')
		.replace(/ ?\n ?/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.normalize('NFC')
		.trim();
}

/** Characters as PostgreSQL counts them (an emoji is one, not two UTF-16 units). */
export const codePoints = (text: string): number => {
	let n = 0;
	for (const _ of text) n++;
	return n;
};

const boundedText = (max: number, tooLong: MessageKey, required: MessageKey | null) =>
	z
		.string({ error: required ?? tooLong })
		// A raw bound before any work: whitespace may shrink, but not by this much.
		.max(max * 4, tooLong)
		.transform(normaliseText)
		.pipe(
			z
				.string()
				.min(required ? 1 : 0, required ?? tooLong)
				.refine((text) => codePoints(text) <= max, tooLong),
		);

export const bodyInput = boundedText(BODY_MAX, 'opinions.bodyTooLong', 'opinions.bodyRequired');

export const alignmentInput = z.enum(alignments, { error: 'opinions.alignmentRequired' });

const id = z.coerce.number().int().positive().max(2_147_483_647);
const optionalId = id.optional();

/**
 * The post action: a top-level opinion about the version ('' or "version"), one rendering
 * ("r12") or one item ("i7"), as the composer's `about` field says.
 */
export const postOpinionInput = z
	.object({
		planVersionId: id,
		about: z.string().max(24).optional(),
		alignment: alignmentInput,
		body: bodyInput,
	})
	.transform(({ about, ...rest }, ctx) => {
		const target = about ? parseTarget(about) : 'version';
		if (target === undefined) {
			ctx.issues.push({
				code: 'custom',
				message: 'opinions.targetInvalid',
				path: ['about'],
				input: about,
			});
			return z.NEVER;
		}
		if (target === 'version') return rest;
		return { ...rest, ...target };
	});

/** The author edits their opinion: new text and position (issue 19). */
export const reviseOpinionInput = z.object({
	opinionId: id,
	alignment: alignmentInput,
	body: bodyInput,
});

/** The author withdraws their opinion (issue 19). */
export const withdrawOpinionInput = z.object({ opinionId: id });

/** The reply action: one level under a top-level opinion; the position is optional. */
export const replyInput = z.object({
	planVersionId: id,
	parentId: id,
	alignment: alignmentInput.default('neutral'),
	body: bodyInput,
});

/** What `postOpinion` accepts from any caller (actions, scripts, tests); re-parsed there. */
export const opinionCommandInput = z
	.object({
		planVersionId: id,
		renderingId: optionalId,
		planItemId: optionalId,
		parentId: optionalId,
		alignment: alignmentInput,
		body: bodyInput,
	})
	.refine((v) => v.renderingId === undefined || v.planItemId === undefined, {
		message: 'opinions.targetInvalid',
		path: ['renderingId'],
	});
export type OpinionCommandInput = z.input<typeof opinionCommandInput>;

export const meTooInput = z.object({ opinionId: id });

export const reportInput = z.object({
	opinionId: id,
	reason: z.enum(reportReasons, { error: 'opinions.reasonRequired' }),
	// Optional at the top level: Astro's form parsing turns an empty field into undefined only
	// for an optional key (null otherwise); the command stores '' for it.
	text: boundedText(REPORT_TEXT_MAX, 'opinions.reportTooLong', null).optional(),
});
export type ReportInput = z.input<typeof reportInput>;

const isKey = (value: string): value is MessageKey => value in zhCN;

/**
 * Parses a command's input with its schema; a failure is `invalid` with the first issue's
 * message (schema messages are i18n keys).
 * @throws DomainError('invalid')
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return parsed.data;
	const message = parsed.error.issues[0]?.message ?? '';
	throw new DomainError('invalid', isKey(message) ? message : 'error.invalidField');
}
