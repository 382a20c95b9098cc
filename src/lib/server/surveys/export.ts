/**
 * Published results as files: CSV (UTF-8 with BOM, CRLF, formula-safe — the ballots module's
 * writer) and XLSX (the roster module's writer). Aggregates only, as the snapshot holds.
 */
import { translate, type Locale, type MessageKey } from '../../../i18n/index.ts';
import { toCsv } from '../shared/index.ts';
import { toChinaLocalInput } from '../../china-time.ts';
import { writeXlsx } from '../roster/index.ts';
import { answerText, numberedQuestions, type NamedResponse } from './named.ts';
import { meanText, percentText } from './results.ts';
import type { RatingStats, SurveyInfo, SurveyResultsView } from './types.ts';

type Cell = string | number;

const ratingCells = (r: RatingStats | null): Cell[] =>
	r
		? [r.valid, ...r.distribution, meanText(r), percentText(r.satisfied)]
		: ['', '', '', '', '', '', '', ''];

/** One row per question (ratings with distribution, mean and rate; choices one row per option). */
export function questionRows(view: SurveyResultsView, locale: Locale): Cell[][] {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	const rows: Cell[][] = [
		[
			t('surveys.export.question'),
			t('surveys.export.kind'),
			t('surveys.export.option'),
			t('surveys.export.answered'),
			t('surveys.export.count'),
			'1',
			'2',
			'3',
			'4',
			'5',
			t('surveys.export.mean'),
			t('surveys.export.satisfaction'),
		],
	];
	view.questions.forEach((q, index) => {
		const prompt = `${index + 1}. ${en && q.promptEn ? q.promptEn : q.prompt}`;
		const kind = t(`surveys.kind.${q.kind}`);
		if (q.suppressed || !q.stats) {
			rows.push([prompt, kind, t('surveys.export.suppressed'), q.answered]);
		} else if (q.stats.kind === 'rating') {
			rows.push([prompt, kind, '', q.answered, ...ratingCells(q.stats)]);
		} else if (q.stats.kind === 'text') {
			rows.push([prompt, kind, '', q.answered, q.stats.published.length]);
		} else {
			const counts = q.stats.counts;
			q.options.forEach((o, i) =>
				rows.push([
					prompt,
					kind,
					en && o.labelEn ? o.labelEn : o.label,
					q.answered,
					counts[i] ?? 0,
				]),
			);
		}
	});
	return rows;
}

/** Participation and overall satisfaction per building (suppressed below the minimum). */
export function buildingRows(view: SurveyResultsView, locale: Locale): Cell[][] {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	return [
		[
			t('surveys.export.building'),
			t('surveys.export.households'),
			t('surveys.export.responded'),
			t('surveys.export.count'),
			'1',
			'2',
			'3',
			'4',
			'5',
			t('surveys.export.mean'),
			t('surveys.export.satisfaction'),
		],
		...view.buildings.map((b): Cell[] => [
			en ? b.nameEn : b.name,
			b.households,
			b.responded,
			...(b.suppressed ? [t('surveys.export.suppressed')] : ratingCells(b.overall)),
		]),
	];
}

/** Free text as published after moderation. */
export function textRows(view: SurveyResultsView, locale: Locale): Cell[][] {
	const en = locale === 'en';
	const rows: Cell[][] = [
		[translate(locale, 'surveys.export.question'), translate(locale, 'surveys.export.text')],
	];
	for (const q of view.questions) {
		if (q.stats?.kind !== 'text') continue;
		for (const text of q.stats.published)
			rows.push([en && q.promptEn ? q.promptEn : q.prompt, text]);
	}
	return rows;
}

/** The CSV file: summary lines, then the question table. */
export function resultsCsv(view: SurveyResultsView, locale: Locale, version: number): string {
	const t = (key: MessageKey) => translate(locale, key);
	const summary: Cell[][] = [
		[t('surveys.export.survey'), locale === 'en' && view.titleEn ? view.titleEn : view.title],
		[t('surveys.export.version'), version],
		[t('surveys.export.households'), view.households],
		[t('surveys.export.responded'), view.respondedHouseholds],
		[t('surveys.export.responses'), view.responses],
		[
			t('surveys.export.participation'),
			percentText({ num: view.respondedHouseholds, den: view.households }),
		],
		[t('surveys.export.satisfaction'), view.overall ? percentText(view.overall.satisfied) : ''],
		[],
	];
	return toCsv([...summary, ...questionRows(view, locale), [], ...buildingRows(view, locale)]);
}

/** The XLSX workbook: questions, buildings and free text sheets. */
export function resultsXlsx(view: SurveyResultsView, locale: Locale): Uint8Array {
	const t = (key: MessageKey) => translate(locale, key);
	return writeXlsx([
		{ name: t('surveys.export.questionsSheet'), rows: questionRows(view, locale), header: true },
		{ name: t('surveys.export.buildingsSheet'), rows: buildingRows(view, locale), header: true },
		{ name: t('surveys.export.textSheet'), rows: textRows(view, locale), header: true },
	]);
}

/**
 * A named survey's responses as CSV (UTF-8 with BOM): one row per response with its
 * household, who answered, channel, time and one column per question. Staff only; the
 * caller has checked `requireNamedAnswers` (listNamedAnswers does).
 */
export function namedAnswersCsv(
	survey: Pick<SurveyInfo, 'sections' | 'questions'>,
	responses: NamedResponse[],
	locale: Locale,
): string {
	const t = (key: MessageKey) => translate(locale, key);
	const en = locale === 'en';
	const questions = numberedQuestions(survey);
	const header: Cell[] = [
		t('surveys.export.compound'),
		t('surveys.export.building'),
		t('surveys.export.unit'),
		t('surveys.export.room'),
		t('surveys.export.respondent'),
		t('surveys.export.relation'),
		t('surveys.export.channel'),
		t('surveys.export.enteredBy'),
		t('surveys.export.answeredAt'),
		t('surveys.export.revision'),
		...questions.map(({ number, q }) => `${number}. ${en && q.promptEn ? q.promptEn : q.prompt}`),
	];
	const rows = responses.map((r): Cell[] => [
		en ? r.compoundEn : r.compound,
		r.building,
		r.unit,
		r.room,
		r.channel === 'paper' ? '' : (r.respondent ?? t('surveys.named.accountGone')),
		r.relation ? t(`relation.${r.relation}`) : '',
		t(`surveys.channel.${r.channel}`),
		r.enteredBy ?? '',
		toChinaLocalInput(r.updatedAt).replace('T', ' '),
		r.revision,
		...questions.map(({ q }) => answerText(q, r.answers.get(q.id), locale)),
	]);
	return toCsv([header, ...rows]);
}
