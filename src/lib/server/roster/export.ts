import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { compounds } from '../../../../db/schema/index.ts';
import { translate, type MessageKey } from '../../../i18n/index.ts';
import { can, isEmptyScope, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError, escapeCell, toCsv } from '../shared/index.ts';
import { listForExport } from './queries.ts';
import {
	columnKeys,
	columns,
	occupancyLabel,
	templateHeaders,
	type Occupancy,
	type TemplateLanguage,
} from './template.ts';
import { writeXlsx, type XlsxCell } from './xlsx.ts';

export type RosterFormat = 'csv' | 'xlsx';
export type RosterFile = { filename: string; contentType: string; bytes: Uint8Array; rows: number };

const contentTypes: Record<RosterFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const widths = [12, 12, 16, 8, 8, 8, 8, 14, 12, 24, 20];

function rosterFile(
	format: RosterFormat,
	language: TemplateLanguage,
	base: string,
	rows: XlsxCell[][],
	extraSheets: { name: string; rows: XlsxCell[][] }[] = [],
): RosterFile {
	const filename = `${base}.${format}`;
	const header = templateHeaders(language);
	if (format === 'csv') {
		const text = [header, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
		return {
			filename,
			contentType: contentTypes.csv,
			bytes: new TextEncoder().encode(toCsv(text)),
			rows: rows.length,
		};
	}
	const escaped = rows.map((r) => r.map((c) => (typeof c === 'string' ? escapeCell(c) : c)));
	const bytes = writeXlsx([
		{
			name: translate(language, 'roster.sheetName'),
			rows: [header, ...escaped],
			widths,
			header: true,
		},
		...extraSheets.map((s) => ({ ...s, widths: [20, 10, 60], header: true })),
	]);
	return { filename, contentType: contentTypes.xlsx, bytes, rows: rows.length };
}

/**
 * The blank template in a language. The XLSX has a second sheet explaining every column (the
 * import reads the first sheet only); the CSV is the header row alone.
 */
export function templateFile(format: RosterFormat, language: TemplateLanguage): RosterFile {
	const t = (key: MessageKey) => translate(language, key);
	const help = [
		[t('roster.help.column'), t('roster.help.required'), t('roster.help.meaning')],
		...columnKeys.map((key) => [
			language === 'en' ? columns[key].en : columns[key].zh,
			columns[key].required ? t('roster.help.yes') : t('roster.help.no'),
			t(`roster.help.${key}` as MessageKey),
		]),
	];
	return rosterFile(
		format,
		language,
		`roster-template-${language}`,
		[],
		[{ name: t('roster.help.sheetName'), rows: help }],
	);
}

/**
 * The current (not retired) households in the template, so that importing an export changes
 * nothing. Owner keys are one-way hashes and contact notes are not stored, so both columns are
 * left blank (a blank owner keeps the current owner on import). Scope: a compound or community
 * the actor may export, or everything in the actor's scope. Errors: not_found for a compound or
 * community out of scope (existence not revealed), forbidden without any roster scope.
 */
export async function exportRoster(
	db: Executor,
	actor: Actor | null,
	input: {
		format: RosterFormat;
		language: TemplateLanguage;
		compoundId?: number | undefined;
		communityId?: number | undefined;
	},
): Promise<RosterFile> {
	if (isEmptyScope(staffScope(actor, 'roster.export')))
		throw new DomainError('forbidden', 'error.forbidden');
	const communityId =
		input.compoundId !== undefined
			? (
					await db
						.select({ communityId: compounds.communityId })
						.from(compounds)
						.where(eq(compounds.id, input.compoundId))
				)[0]?.communityId
			: input.communityId;
	if (
		(input.compoundId !== undefined || input.communityId !== undefined) &&
		(communityId === undefined || !can(actor, 'roster.export', { communityId }))
	) {
		throw new DomainError('not_found', 'error.notFound');
	}
	const households = await listForExport(db, actor, input);
	const rows: XlsxCell[][] = households.map((h) => [
		h.subdistrict,
		h.community,
		h.compound,
		h.building,
		h.unit,
		h.room,
		h.floor,
		input.format === 'xlsx' ? Number(h.area) : h.area,
		occupancyLabel(h.occupancy as Occupancy, input.language),
		'',
		'',
	]);
	const base = `roster-${input.compoundId !== undefined ? `compound-${input.compoundId}` : input.communityId !== undefined ? `community-${input.communityId}` : 'all'}`;
	return rosterFile(input.format, input.language, base, rows);
}
