/**
 * Results as rows for the one CSV writer (shared/csv.ts) and as an XLSX workbook (the roster
 * module's minimal writer). Long format, one row per item and scope, plus a coverage sheet.
 */
import { translate, type Locale, type MessageKey } from '../../../i18n/index.ts';
import { writeXlsx, type XlsxCell } from '../roster/index.ts';
import { formatCenti } from './rules.ts';
import type { CoverageRow, QuestionScopeResult, ResultsView, ScopeResult } from './types.ts';

type Cell = string | number;

const columns: MessageKey[] = [
	'ballots.export.item',
	'ballots.export.title',
	'ballots.export.rule',
	'ballots.export.level',
	'ballots.export.scope',
	'ballots.export.decisive',
	'ballots.export.households',
	'ballots.export.heads',
	'ballots.export.area',
	'ballots.export.responded',
	'ballots.export.agree',
	'ballots.export.disagree',
	'ballots.export.abstain',
	'ballots.export.agreeArea',
	'ballots.export.participatingArea',
	'ballots.export.headsParticipating',
	'ballots.export.headsApproving',
	'ballots.export.verdict',
];

/** 0.01 m² as m² with two decimals, exactly. */
const m2 = (centi: number) => formatCenti(BigInt(centi));

/** A verdict's words; while the round is open, marked provisional (仅供参考). */
function verdictText(locale: Locale, key: MessageKey, provisional: boolean): string {
	const verdict = translate(locale, key);
	return provisional ? translate(locale, 'ballots.provisional.verdict', { verdict }) : verdict;
}

/**
 * The results table, header first, in the locale's words (numbers are plain and exact);
 * `provisional` while the round is still open.
 */
export function resultsRows(view: ResultsView, locale: Locale, provisional = false): Cell[][] {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	const rows: Cell[][] = [columns.map(t)];
	view.items.forEach((item, index) => {
		const title = en && item.titleEn ? item.titleEn : item.title;
		const line = (scope: ScopeResult, decisive: boolean): Cell[] => {
			const c = scope.counts;
			return [
				index + 1,
				title,
				t(`ballots.rule.${item.rule}`),
				t(`ballots.level.${scope.level}`),
				en ? scope.nameEn : scope.name,
				decisive ? t('ballots.export.yes') : t('ballots.export.no'),
				c.households,
				c.heads,
				m2(c.areaCenti),
				c.responded,
				c.agree,
				c.disagree,
				c.abstain,
				m2(c.agreeAreaCenti),
				m2(c.agreeAreaCenti + c.disagreeAreaCenti + c.abstainAreaCenti),
				c.headsParticipating,
				c.headsApproving,
				verdictText(locale, `ballots.verdict.${scope.verdict}`, provisional),
			];
		};
		for (const d of item.decisions) rows.push(line(d, true));
		if (item.decisionScope !== 'building')
			for (const b of item.buildings) rows.push(line(b, false));
	});
	rows.push(...questionRows(view, locale, provisional));
	return rows;
}

/**
 * A single-choice question in the same columns, one row per option and scope: "agree" is the
 * households that chose the option, "disagree" those that chose another, "abstain" those that
 * chose none; the area and heads are the option's; the verdict is "approved" for the chosen
 * option only.
 */
function questionRows(view: ResultsView, locale: Locale, provisional: boolean): Cell[][] {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	const rows: Cell[][] = [];
	(view.questions ?? []).forEach((question, n) => {
		const title = en && question.titleEn ? question.titleEn : question.title;
		const lines = (scope: QuestionScopeResult, decisive: boolean): Cell[][] =>
			scope.options.map((option) => [
				view.items.length + n + 1,
				translate(locale, 'ballots.export.optionTitle', {
					question: title,
					option: en && option.titleEn ? option.titleEn : option.title,
				}),
				t(`ballots.choiceRule.${question.rule}`),
				t(`ballots.level.${scope.level}`),
				en ? scope.nameEn : scope.name,
				decisive ? t('ballots.export.yes') : t('ballots.export.no'),
				scope.households,
				scope.heads,
				m2(scope.areaCenti),
				scope.responded,
				option.count,
				scope.responded - scope.abstain - option.count,
				scope.abstain,
				m2(option.areaCenti),
				m2(scope.participatingAreaCenti),
				scope.headsParticipating,
				option.heads,
				verdictText(locale, `ballots.verdict.${option.verdict}`, provisional),
			]);
		for (const d of question.decisions) rows.push(...lines(d, true));
		for (const b of question.buildings) rows.push(...lines(b, false));
	});
	return rows;
}

/** Coverage per compound and building, header first. */
export function coverageRows(view: ResultsView, locale: Locale): Cell[][] {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	const line = (row: CoverageRow): Cell[] => [
		t(`ballots.level.${row.level}`),
		en ? row.nameEn : row.name,
		row.households,
		row.responded,
		row.met ? t('ballots.export.yes') : t('ballots.export.no'),
	];
	return [
		[
			t('ballots.export.level'),
			t('ballots.export.scope'),
			t('ballots.export.households'),
			t('ballots.export.responded'),
			t('ballots.export.targetMet'),
		],
		...view.coverage.compounds.map(line),
		...view.coverage.buildings.map(line),
	];
}

/** The committee's workbook: results and coverage sheets. */
export function toXlsx(view: ResultsView, locale: Locale, provisional = false): Uint8Array {
	const t = (key: MessageKey) => translate(locale, key);
	const asCells = (rows: Cell[][]): XlsxCell[][] => rows;
	return writeXlsx([
		{
			name: t('ballots.export.resultsSheet'),
			rows: asCells(resultsRows(view, locale, provisional)),
			header: true,
		},
		{
			name: t('ballots.export.coverageSheet'),
			rows: asCells(coverageRows(view, locale)),
			header: true,
		},
	]);
}

/** A file name for downloads: ascii only (round id and version), e.g. round-12-v2.csv. */
export function exportName(roundId: number, version: number | null, extension: string): string {
	return `round-${roundId}${version === null ? '-live' : `-v${version}`}.${extension}`;
}
