/**
 * Participation of a survey against its target, for the confirmation pages of its
 * irreversible steps (closing early, publishing results) and for the close command's rule.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { coverageMet } from '../ballots/index.ts';
import type { CoverageRow } from '../ballots/index.ts';
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../policy/index.ts';
import { getPublishedResults, getSurveyForViewer } from './queries.ts';
import type { SurveyInfo, SurveyPhase } from './types.ts';

/**
 * The participation a survey aims for: two thirds of the households in scope, as for every
 * consultation of 三入户 (seeds/000: 收取的意见不得少于户数的三分之二; 问效 is the third visit).
 */
export const SURVEY_TARGET = { num: 2, den: 3 } as const;

export type SurveyParticipation = {
	target: { num: number; den: number };
	households: number;
	responded: number;
	met: boolean;
	compounds: CoverageRow[];
	buildings: CoverageRow[];
};

const row = (
	level: 'compound' | 'building',
	r: Record<string, unknown>,
	name: string,
	nameEn: string,
): CoverageRow => {
	const households = Number(r.households);
	const responded = Number(r.responded);
	return {
		level,
		scopeId: Number(r.id),
		compoundId: Number(r.cid),
		name,
		nameEn,
		households,
		responded,
		met: coverageMet(responded, households, SURVEY_TARGET),
	};
};

/**
 * Households in scope and those with at least one response, per compound and per building,
 * read from the frozen scope and the responses (exact at read time; under the survey's lock
 * in the close command).
 */
export async function getSurveyParticipation(
	db: Executor,
	surveyId: number,
): Promise<SurveyParticipation> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select c.id as cid, c.name as cn, c.name_en as ce, b.id as bid, b.number as bn,
		           count(*)::int as households, count(r.household_id)::int as responded
		    from survey_households sh
		    join compounds c on c.id = sh.compound_id
		    join buildings b on b.id = sh.building_id
		    left join (select distinct household_id from survey_responses where survey_id = ${surveyId}) r
		           on r.household_id = sh.household_id
		    where sh.survey_id = ${surveyId}
		    group by c.id, c.name, c.name_en, b.id, b.number
		    order by c.name, length(b.number), b.number`,
	);
	const buildings = rows.map((r) =>
		row(
			'building',
			{ ...r, id: r.bid },
			`${String(r.cn)} ${translate('zh-CN', 'ballots.buildingName', { number: String(r.bn) })}`,
			`${String(r.ce || r.cn)}, ${translate('en', 'ballots.buildingName', { number: String(r.bn) })}`,
		),
	);
	const compounds = new Map<number, CoverageRow>();
	for (const r of rows) {
		const id = Number(r.cid);
		const sum = compounds.get(id);
		const households = (sum?.households ?? 0) + Number(r.households);
		const responded = (sum?.responded ?? 0) + Number(r.responded);
		const totals = { id, cid: id, households, responded };
		compounds.set(id, row('compound', totals, String(r.cn), String(r.ce || r.cn)));
	}
	const households = buildings.reduce((n, b) => n + b.households, 0);
	const responded = buildings.reduce((n, b) => n + b.responded, 0);
	return {
		target: SURVEY_TARGET,
		households,
		responded,
		met: coverageMet(responded, households, SURVEY_TARGET),
		compounds: [...compounds.values()],
		buildings,
	};
}

export type SurveyStepView = {
	survey: SurveyInfo;
	phase: SurveyPhase;
	participation: SurveyParticipation;
	/** Versions already published: the next one is a correction when there are any. */
	publishedVersions: number;
};

/** The view of a published (open or closed) survey for its committee, or null. */
export async function getSurveyStepView(
	db: Executor,
	actor: Actor | null,
	surveyId: number,
): Promise<SurveyStepView | null> {
	const found = await getSurveyForViewer(db, actor, surveyId);
	if (!found?.staff || found.survey.status === 'draft') return null;
	const [participation, published] = await Promise.all([
		getSurveyParticipation(db, surveyId),
		getPublishedResults(db, surveyId),
	]);
	return {
		survey: found.survey,
		phase: found.phase,
		participation,
		publishedVersions: published?.versions.length ?? 0,
	};
}
