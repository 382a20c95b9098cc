/**
 * Survey arithmetic, pure and exact: counts in, figures out. Shares stay integer ratios until
 * displayed; display rounds half up on integers (no float rounding at the boundary).
 */
import type {
	BuildingResult,
	ChoiceStats,
	QuestionResult,
	QuestionView,
	RatingStats,
	Ratio,
	SectionView,
	SurveyMode,
	SurveyResultsView,
} from './types.ts';

/**
 * Any group with fewer responses than this is suppressed and says so: with 1–4 answers a
 * neighbour could tell who answered what (PRODUCT capability 5; the statistics practice of
 * minimum cell sizes).
 */
export const MIN_GROUP = 5;

/** Rating counts 1..5 → distribution, valid answers, sum, satisfaction (4 满意 + 5 非常满意). */
export function ratingStats(counts: ReadonlyMap<number, number>): RatingStats {
	const distribution = [1, 2, 3, 4, 5].map(
		(v) => counts.get(v) ?? 0,
	) as RatingStats['distribution'];
	const valid = distribution.reduce((a, b) => a + b, 0);
	const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
	return {
		kind: 'rating',
		distribution,
		valid,
		sum,
		satisfied: { num: distribution[3] + distribution[4], den: valid },
	};
}

/** num/den rounded half up to `digits` decimals, as text ("4.25"); "—" when den is 0. */
export function roundedRatio(num: number, den: number, digits: number): string {
	if (den <= 0) return '—';
	const scale = 10 ** digits;
	const scaled = Math.floor((2 * num * scale + den) / (2 * den));
	const whole = Math.floor(scaled / scale);
	const fraction = String(scaled % scale).padStart(digits, '0');
	return digits === 0 ? String(whole) : `${whole}.${fraction}`;
}

/** The mean rating to two decimals ("4.25"), exact from the integer sum. */
export function meanText(stats: Pick<RatingStats, 'sum' | 'valid'>): string {
	return roundedRatio(stats.sum, stats.valid, 2);
}

/** A share in percent with one decimal ("83.3%"), or "—" with no valid answers. */
export function percentText(ratio: Ratio): string {
	const value = roundedRatio(ratio.num * 100, ratio.den, 1);
	return value === '—' ? value : `${value}%`;
}

/** Whether a group must be hidden: fewer than MIN_GROUP responses (but 0 shows as "none"). */
export const isSuppressed = (responses: number) => responses > 0 && responses < MIN_GROUP;

export type CountRow = { questionId: number; value: number; n: number };

export type ResultsInput = {
	surveyId: number;
	title: string;
	titleEn: string;
	anonymous: boolean;
	mode: SurveyMode;
	closedAt: string | null;
	households: number;
	respondedHouseholds: number;
	responses: number;
	sections: SectionView[];
	questions: QuestionView[];
	/** Answer rows grouped by question and value (option rows counted once per respondent). */
	counts: CountRow[];
	/** Distinct responses that answered each question. */
	answered: ReadonlyMap<number, number>;
	/** Moderated (published) free text per question. */
	texts: ReadonlyMap<number, string[]>;
	buildings: Omit<BuildingResult, 'suppressed' | 'overall'>[];
	/** The overall question's rating counts per building (value = rating). */
	buildingOverall: { buildingId: number; value: number; n: number }[];
};

function questionResult(q: QuestionView, input: ResultsInput): QuestionResult {
	const answered = input.answered.get(q.id) ?? 0;
	const rows = input.counts.filter((c) => c.questionId === q.id);
	const suppressed = isSuppressed(answered) || isSuppressed(input.responses);
	const base = {
		id: q.id,
		kind: q.kind,
		prompt: q.prompt,
		promptEn: q.promptEn,
		role: q.role,
		sectionId: q.sectionId,
		options: q.options,
		suppressed,
		answered,
	};
	if (suppressed) return { ...base, stats: null };
	if (q.kind === 'rating') {
		return { ...base, stats: ratingStats(new Map(rows.map((r) => [r.value, r.n]))) };
	}
	if (q.kind === 'text') {
		return {
			...base,
			stats: { kind: 'text', answered, published: [...(input.texts.get(q.id) ?? [])] },
		};
	}
	const counts = q.options.map((_, i) => rows.find((r) => r.value === i)?.n ?? 0);
	const stats: ChoiceStats = { kind: q.kind, answered, counts };
	return { ...base, stats };
}

/**
 * The results view from counts. Every question answered by fewer than MIN_GROUP respondents,
 * and every building with fewer than MIN_GROUP responses, is suppressed (figures null, the page
 * says why). No input carries a respondent: the view cannot show who answered what.
 */
export function buildResults(input: ResultsInput): SurveyResultsView {
	const questions = input.questions.map((q) => questionResult(q, input));
	const overallQuestion = questions.find((q) => q.role === 'overall' && q.kind === 'rating');
	const overall =
		overallQuestion && overallQuestion.stats?.kind === 'rating' ? overallQuestion.stats : null;
	const overallRows = new Map<number, ResultsInput['buildingOverall']>();
	for (const r of input.buildingOverall) {
		overallRows.set(r.buildingId, [...(overallRows.get(r.buildingId) ?? []), r]);
	}
	const buildings = input.buildings.map((b): BuildingResult => {
		const suppressed = isSuppressed(b.responded);
		const rows = overallRows.get(b.buildingId) ?? [];
		return {
			...b,
			suppressed,
			overall:
				suppressed || !overallQuestion || b.responded === 0
					? null
					: ratingStats(new Map(rows.map((r) => [r.value, r.n]))),
		};
	});
	return {
		surveyId: input.surveyId,
		title: input.title,
		titleEn: input.titleEn,
		anonymous: input.anonymous,
		mode: input.mode,
		closedAt: input.closedAt,
		households: input.households,
		respondedHouseholds: input.respondedHouseholds,
		responses: input.responses,
		minGroup: MIN_GROUP,
		suppressed: isSuppressed(input.responses),
		overall,
		sections: input.sections,
		questions,
		buildings,
	};
}
