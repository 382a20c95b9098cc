/**
 * A survey's results computed now, from its running totals (tallies.ts) or recounted from the
 * answers; both must give the same view. What publication snapshots and what staff preview.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { buildResults, type CountRow } from './results.ts';
import {
	overallQuestionId,
	recountTallyRows,
	WHOLE_SURVEY,
	type TallyCounter,
	type TallyRow,
} from './tallies.ts';
import type { SurveyInfo, SurveyResultsView } from './types.ts';

/** One building's totals: scope, responding households, and the overall question's ratings. */
type BuildingTotals = {
	buildingId: number;
	number: string;
	compound: string;
	compoundEn: string;
	scope: number;
	households: number;
	/** Overall ratings 1..5 at index 0..4. */
	ratings: number[];
};

type BuildingRow = {
	building_id: number;
	number: string;
	compound: string;
	compound_en: string;
	scope: number;
	households: number;
	ratings: number[];
};

const toBuilding = (r: BuildingRow): BuildingTotals => ({
	buildingId: Number(r.building_id),
	number: r.number,
	compound: r.compound,
	compoundEn: r.compound_en,
	scope: Number(r.scope),
	households: Number(r.households),
	ratings: r.ratings.map(Number),
});

/**
 * The stored per-building totals, one row per building (pivoted in SQL: a survey over 2,000
 * buildings has ≈18,000 building counters, and rows, not bytes, are what cost here).
 */
async function storedBuildings(db: Executor, surveyId: number): Promise<BuildingTotals[]> {
	const rows = await queryRows<BuildingRow>(
		db,
		sql`with t as (
		      select building_id,
		             coalesce(sum(n) filter (where counter = 'scope'), 0)::int as scope,
		             coalesce(sum(n) filter (where counter = 'households'), 0)::int as households,
		             array[coalesce(sum(n) filter (where counter = 'value' and value = 1), 0),
		                   coalesce(sum(n) filter (where counter = 'value' and value = 2), 0),
		                   coalesce(sum(n) filter (where counter = 'value' and value = 3), 0),
		                   coalesce(sum(n) filter (where counter = 'value' and value = 4), 0),
		                   coalesce(sum(n) filter (where counter = 'value' and value = 5), 0)]::int[] as ratings
		      from survey_tallies
		      where survey_id = ${surveyId} and building_id <> ${WHOLE_SURVEY}
		      group by building_id
		    )
		    select t.building_id, b.number, c.name as compound, c.name_en as compound_en,
		           t.scope, t.households, t.ratings
		    from t join buildings b on b.id = t.building_id join compounds c on c.id = b.compound_id
		    where t.scope > 0
		    order by c.id, t.building_id`,
	);
	return rows.map(toBuilding);
}

/** The same per-building totals from recounted rows (the buildings named from the scope). */
async function recountedBuildings(
	db: Executor,
	surveyId: number,
	tallies: TallyRow[],
	overallId: number | null,
): Promise<BuildingTotals[]> {
	const names = await queryRows<Omit<BuildingRow, 'scope' | 'households' | 'ratings'>>(
		db,
		sql`select b.id as building_id, b.number, c.name as compound, c.name_en as compound_en
		    from buildings b join compounds c on c.id = b.compound_id
		    where b.id in (select building_id from survey_households where survey_id = ${surveyId})
		    order by c.id, b.id`,
	);
	const counters = new Map(
		tallies.map((r) => [`${r.buildingId}|${r.counter}|${r.questionId}|${r.value}`, r.n]),
	);
	const n = (buildingId: number, counter: TallyCounter, questionId = 0, value = 0) =>
		counters.get(`${buildingId}|${counter}|${questionId}|${value}`) ?? 0;
	return names.map((b) => {
		const id = Number(b.building_id);
		return toBuilding({
			...b,
			scope: n(id, 'scope'),
			households: n(id, 'households'),
			ratings: [1, 2, 3, 4, 5].map((v) => (overallId === null ? 0 : n(id, 'value', overallId, v))),
		});
	});
}

/** The whole survey's stored counters (a few dozen rows). */
async function storedWhole(db: Executor, surveyId: number): Promise<TallyRow[]> {
	const rows = await queryRows<{
		counter: TallyCounter;
		question_id: number;
		value: number;
		n: number;
	}>(
		db,
		sql`select counter, question_id, value, n from survey_tallies
		    where survey_id = ${surveyId} and building_id = ${WHOLE_SURVEY} and n > 0`,
	);
	return rows.map((r) => ({
		buildingId: WHOLE_SURVEY,
		counter: r.counter,
		questionId: Number(r.question_id),
		value: Number(r.value),
		n: Number(r.n),
	}));
}

/**
 * Results computed now: aggregates only, with every group below the minimum suppressed
 * (results.ts). Read from the running totals (two small queries whatever the number of
 * responses), or with `recount` from the answers themselves, which must give the same view.
 */
export async function computeResults(
	db: Executor,
	survey: SurveyInfo,
	options: { recount?: boolean } = {},
): Promise<SurveyResultsView> {
	const id = survey.id;
	const overallId = overallQuestionId(survey.questions);
	const recounted = options.recount ? await recountTallyRows(db, id) : null;
	const [whole, buildings, texts] = await Promise.all([
		recounted ? recounted.filter((r) => r.buildingId === WHOLE_SURVEY) : storedWhole(db, id),
		recounted ? recountedBuildings(db, id, recounted, overallId) : storedBuildings(db, id),
		// Ordered by text, not by response, so the order says nothing about who wrote what.
		queryRows<{ question_id: number; text: string }>(
			db,
			sql`select question_id, text from survey_answers
			    where survey_id = ${id} and text_state = 'published' order by question_id, text`,
		),
	]);
	const total = (counter: TallyCounter) => whole.find((r) => r.counter === counter)?.n ?? 0;
	const textMap = new Map<number, string[]>();
	for (const t of texts) {
		const list = textMap.get(t.question_id) ?? [];
		list.push(t.text);
		textMap.set(t.question_id, list);
	}
	return buildResults({
		surveyId: id,
		title: survey.title,
		titleEn: survey.titleEn,
		anonymous: survey.anonymous,
		mode: survey.mode,
		closedAt: survey.closedAt ? new Date(survey.closedAt).toISOString() : null,
		households: survey.scopeHouseholds,
		respondedHouseholds: total('households'),
		responses: total('responses'),
		sections: survey.sections,
		questions: survey.questions,
		counts: whole
			.filter((r) => r.counter === 'value')
			.map((r): CountRow => ({ questionId: r.questionId, value: r.value, n: r.n })),
		answered: new Map(
			whole.filter((r) => r.counter === 'answered').map((r) => [r.questionId, r.n]),
		),
		texts: textMap,
		buildings: buildings.map((b) => ({
			buildingId: b.buildingId,
			name: `${b.compound} ${b.number}号楼`,
			nameEn: `${b.compoundEn} building ${b.number}`,
			households: b.scope,
			responded: b.households,
		})),
		buildingOverall:
			overallId === null
				? []
				: buildings.flatMap((b) =>
						b.ratings.flatMap((n, i) =>
							n > 0 ? [{ buildingId: b.buildingId, value: i + 1, n }] : [],
						),
					),
	});
}
