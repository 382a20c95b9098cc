import { z } from 'zod';
import { dbId, isLocalDateTime } from '../shared/index.ts';
import { parseChinaTime } from '../../china-time.ts';
import { FUNDING_SOURCES, type Funding, type FundingSource } from './funding.ts';
import { parseYuan } from './rules.ts';

const id = dbId();
// Astro turns an empty form field into null: optional texts read it back as ''.
const text = (max: number, required: string | null) =>
	required === null
		? z.preprocess((v) => v ?? '', z.string().trim().max(max, 'plans.textTooLong'))
		: z.preprocess(
				(v) => v ?? '',
				z.string().trim().min(1, required).max(max, 'plans.textTooLong'),
			);
const money = z
	.string()
	.trim()
	.regex(/^\d{1,12}(\.\d{1,2})?$/, 'plans.moneyInvalid');
const file = z
	.instanceof(File, { error: 'plans.imageRequired' })
	.refine((f) => f.size > 0, 'images.image_empty');

export const versionIdInput = z.object({ versionId: id });
export const createVersionInput = z.object({ projectId: id });

export const updateDraftInput = z.object({
	versionId: id,
	title: text(120, 'plans.titleRequired'),
	titleEn: text(200, null),
	body: text(20000, null),
	bodyEn: text(30000, null),
});

export const addItemInput = z.object({
	versionId: id,
	itemId: id,
	buildingId: z.preprocess((v) => (v === '' || v === null ? undefined : v), id.optional()),
	description: text(500, null),
	descriptionEn: text(800, null),
	costYuan: money,
	governmentYuan: money,
	residentYuan: money,
	split: z.enum(['area', 'equal']),
});

export const removeItemInput = z.object({ versionId: id, planItemId: id });

export const addRenderingInput = z.object({
	versionId: id,
	before: file,
	after: file,
	caption: text(120, 'plans.captionRequired'),
	captionEn: text(200, null),
	buildingId: z.preprocess((v) => (v === '' || v === null ? undefined : v), id.optional()),
	spot: text(60, null),
});

export const removeRenderingInput = z.object({ versionId: id, renderingId: id });

export const addChangeInput = z.object({
	versionId: id,
	text: text(500, 'plans.titleRequired'),
	textEn: text(800, null),
	opinionIds: z.preprocess(
		(v) =>
			String(v ?? '')
				.split(/[\s,，、]+/)
				.filter(Boolean),
		z.array(id).max(100),
	),
});

/** Datetime-local values are China time. */
const localTime = z
	.string()
	.refine((v) => /T\d{2}:\d{2}$/.test(v) && isLocalDateTime(v), 'plans.windowInvalid')
	.transform(parseChinaTime);

export const publishInput = z.object({
	versionId: id,
	opensAt: localTime,
	closesAt: localTime,
	final: z.enum(['yes', 'no']).default('no'),
	/** A district admin's written reason to publish a final plan a gate refused. */
	overrideReason: z.preprocess(
		(v) => v ?? '',
		z
			.string()
			.trim()
			.max(1000, 'plans.gate.reasonTooLong')
			.refine((v) => v === '' || v.length >= 10, 'plans.gate.reasonTooShort'),
	),
});

export const addAttachmentInput = z.object({
	versionId: id,
	title: text(120, 'plans.titleRequired'),
	file: z.instanceof(File, { error: 'plans.pdfInvalid' }),
});

export const removeAttachmentInput = z.object({ versionId: id, attachmentId: id });

/** A funding amount in yuan with up to two decimals; empty means none. Parsed to fen. */
const fundingAmount = z.preprocess(
	(v) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? '0' : v),
	money.transform((v) => parseYuan(v)!),
);

/** The staff editor's funding form: one amount per source (资金来源), in yuan. */
export const setFundingInput = z
	.object({
		versionId: id,
		planItemId: id,
		...(Object.fromEntries(FUNDING_SOURCES.map((s) => [s, fundingAmount])) as Record<
			FundingSource,
			typeof fundingAmount
		>),
	})
	.transform(({ versionId, planItemId, ...amounts }) => ({
		versionId,
		planItemId,
		amounts: amounts as Funding,
	}));

/** 多方案比选: one alternative design of a draft item, with an optional rendering. */
export const addAlternativeInput = z.object({
	versionId: id,
	planItemId: id,
	label: text(60, 'alternatives.labelRequired'),
	labelEn: text(100, null),
	description: text(500, null),
	descriptionEn: text(800, null),
	costYuan: money,
	image: z.preprocess(
		(v) => (v instanceof File && v.size === 0 ? undefined : (v ?? undefined)),
		z.instanceof(File).optional(),
	),
});

export const removeAlternativeInput = z.object({ versionId: id, alternativeId: id });
