import { z } from 'zod';
import { files } from '../progress/index.ts';
import { dbId } from '../shared/index.ts';
import { DISCLOSURE_KINDS, PROPERTY_MODELS, REPAIR_CATEGORIES } from './rules.ts';

const id = z.coerce.number().int().positive();
// Astro turns an empty form field into null: optional texts read it back as ''.
const text = (max: number, required: string | null) =>
	z.preprocess(
		(v) => v ?? '',
		required === null
			? z.string().trim().max(max, 'progress.textTooLong')
			: z.string().trim().min(1, required).max(max, 'progress.textTooLong'),
	);
const optionalId = z.preprocess((v) => (v === '' || v === null ? undefined : v), id.optional());

export const recordWarrantyInput = z.object({
	itemProgressId: id,
	contractor: text(80, 'aftercare.contractorRequired'),
	months: z.coerce
		.number({ message: 'aftercare.monthsInvalid' })
		.int('aftercare.monthsInvalid')
		.min(1, 'aftercare.monthsInvalid')
		.max(120, 'aftercare.monthsInvalid'),
});

export const reportRepairInput = z.object({
	projectId: id,
	warrantyItemId: id,
	category: z.enum(REPAIR_CATEGORIES, { message: 'aftercare.categoryInvalid' }),
	body: text(1000, 'aftercare.bodyRequired'),
	buildingId: optionalId,
	unitLabel: text(20, null),
	photos: files(3),
});

export const answerRepairInput = z.object({
	requestId: id,
	answer: text(2000, 'aftercare.answerRequired'),
	close: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'progress.dateInvalid');

export const propertyInput = z.object({
	projectId: id,
	model: z.enum(PROPERTY_MODELS, { message: 'aftercare.modelInvalid' }),
	manager: text(80, 'aftercare.managerRequired'),
	contractStart: day,
	contractEnd: z.preprocess((v) => (v === '' || v === null ? undefined : v), day.optional()),
	// Yuan per m² per month, up to two decimals (物业费标准).
	feePerSqm: z.preprocess(
		(v) => (typeof v === 'string' ? v.trim() : v),
		z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'aftercare.feeInvalid'),
	),
	contact: text(40, 'aftercare.contactRequired'),
	note: text(500, null),
});

export const disclosureInput = z.object({
	projectId: id,
	compoundId: id,
	kind: z.enum(DISCLOSURE_KINDS, { message: 'aftercare.kindInvalid' }),
	periodStart: day,
	periodEnd: day,
	amountYuan: z.preprocess(
		(v) => (typeof v === 'string' ? v.trim().replace(/,/g, '') : v),
		z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'aftercare.amountInvalid'),
	),
	description: text(500, 'aftercare.descriptionRequired'),
	attachment: files(1),
});

export const publishConventionInput = z.object({
	projectId: dbId(),
	title: text(80, 'convention.titleRequired'),
	body: text(20_000, 'convention.bodyRequired'),
	bodyEn: text(20_000, null),
});

export const confirmConventionInput = z.object({ projectId: dbId(), householdId: dbId() });

export const scheduleYearlyCheckInput = z.object({ projectId: dbId() });
