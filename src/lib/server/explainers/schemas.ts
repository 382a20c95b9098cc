import { z } from 'zod';
import { dbId } from '../shared/index.ts';

const text = (max: number, required: string | null) =>
	required === null
		? z.preprocess((v) => v ?? '', z.string().trim().max(max, 'explainers.tooLong'))
		: z.preprocess(
				(v) => v ?? '',
				z.string().trim().min(1, required).max(max, 'explainers.tooLong'),
			);

/** A new or edited explainer (id given) of a project or (districtCode) a district. */
export const saveExplainerInput = z
	.object({
		id: z.preprocess((v) => (v === '' || v === null ? undefined : v), dbId().optional()),
		projectId: z.preprocess((v) => (v === '' || v === null ? undefined : v), dbId().optional()),
		districtCode: z.preprocess(
			(v) => (v === '' || v === null ? undefined : v),
			z
				.string()
				.regex(/^\d{6}$/, 'explainers.scopeInvalid')
				.optional(),
		),
		kind: z.enum(['explainer', 'faq'], 'explainers.kindInvalid'),
		title: text(120, 'explainers.titleRequired'),
		titleEn: text(200, null),
		body: text(8000, 'explainers.bodyRequired'),
		bodyEn: text(12000, null),
		sort: z.coerce.number().int().min(0).max(999).default(0),
	})
	.refine((v) => (v.projectId === undefined) !== (v.districtCode === undefined), {
		message: 'explainers.scopeInvalid',
		path: ['projectId'],
	});

export type SaveExplainerInput = z.infer<typeof saveExplainerInput>;
