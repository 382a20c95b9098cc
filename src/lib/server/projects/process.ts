/**
 * 三入户、三公示 (seeds/000): every project consults every household three times — before the
 * renovation (问需, the needs questionnaire), after the plan is drafted (问计, opinions on the
 * first plan version put on notice) and after it is revised (opinions on a later version) —
 * each with opinions from at least 2/3 of the households, and then posts the final plan (上墙公示).
 * Derived from the project's rounds and plan versions, so every project has the process.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { meetsThreshold, TWO_THIRDS } from '../ballots/index.ts';

export type ConsultationRound = {
	id: number;
	kind: 'needs' | 'plan_opinion' | 'special';
	title: string;
	titleEn: string;
	/** The plan version an opinion round asks about. */
	versionNumber: number | null;
	opensAt: Date;
	closesAt: Date;
	responded: number;
	households: number;
};

export type NoticedVersion = {
	number: number;
	status: 'open' | 'closed' | 'superseded' | 'final';
	opensAt: Date | null;
	closesAt: Date | null;
};

export type StepName = 'needs' | 'plan' | 'revised' | 'final';
/** done: closed with 2/3 · open: still collecting · short: closed under 2/3 · todo: not begun. */
export type StepState = 'done' | 'open' | 'short' | 'todo';

export type ConsultationStep = {
	step: StepName;
	state: StepState;
	round: ConsultationRound | null;
	version: NoticedVersion | null;
};

const reached = (r: ConsultationRound) =>
	meetsThreshold(BigInt(r.responded), BigInt(r.households), TWO_THIRDS);

function roundState(round: ConsultationRound, now: Date): StepState {
	if (now < round.closesAt) return 'open';
	return reached(round) ? 'done' : 'short';
}

/** The round that speaks for a step: one that reached 2/3, else a running one, else the latest. */
function pick(rounds: ConsultationRound[], now: Date): ConsultationRound | null {
	return (
		rounds.find((r) => roundState(r, now) === 'done') ??
		rounds.find((r) => roundState(r, now) === 'open') ??
		rounds.at(-1) ??
		null
	);
}

/** The four steps of the process, from a project's rounds (oldest first) and noticed versions. */
export function consultationSteps(
	rounds: readonly ConsultationRound[],
	versions: readonly NoticedVersion[],
	now: Date,
): ConsultationStep[] {
	const consulted = versions.filter((v) => v.status !== 'final');
	const first = consulted[0] ?? null;
	const revised = first ? (consulted.filter((v) => v.number > first.number).at(-1) ?? null) : null;
	const opinions = rounds.filter((r) => r.kind === 'plan_opinion');
	const step = (
		name: StepName,
		candidates: ConsultationRound[],
		version: NoticedVersion | null,
	): ConsultationStep => {
		const round = pick(candidates, now);
		return { step: name, state: round ? roundState(round, now) : 'todo', round, version };
	};
	const final = versions.find((v) => v.status === 'final') ?? null;
	return [
		step(
			'needs',
			rounds.filter((r) => r.kind === 'needs'),
			null,
		),
		step(
			'plan',
			opinions.filter((r) => first !== null && r.versionNumber === first.number),
			first,
		),
		step(
			'revised',
			opinions.filter((r) => first !== null && (r.versionNumber ?? 0) > first.number),
			revised,
		),
		{ step: 'final', state: final ? 'done' : 'todo', round: null, version: final },
	];
}

/** The project's consultation process as its pages show it. */
export async function getConsultationProcess(
	db: Executor,
	projectId: number,
	now = new Date(),
): Promise<ConsultationStep[]> {
	const [rounds, versions] = await Promise.all([
		queryRows<Record<string, unknown>>(
			db,
			sql`select r.id, r.kind, r.title, r.title_en, pv.number as version_number, r.opens_at, r.closes_at,
			       coalesce(sum(rc.responded), 0)::int as responded, coalesce(sum(rc.households), 0)::int as households
			from rounds r
			left join plan_versions pv on pv.id = r.plan_version_id
			left join round_coverage rc on rc.round_id = r.id and rc.level = 'compound'
			where r.project_id = ${projectId} and r.opened_at is not null and r.scope_building_id is null
			group by r.id, pv.number
			order by r.opens_at, r.id`,
		),
		queryRows<Record<string, unknown>>(
			db,
			sql`select number, status, comment_opens_at, comment_closes_at from plan_versions
			where project_id = ${projectId} and status <> 'draft' order by number`,
		),
	]);
	const date = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)));
	return consultationSteps(
		rounds.map((r) => ({
			id: Number(r.id),
			kind: String(r.kind) as ConsultationRound['kind'],
			title: String(r.title),
			titleEn: String(r.title_en),
			versionNumber: r.version_number === null ? null : Number(r.version_number),
			opensAt: date(r.opens_at)!,
			closesAt: date(r.closes_at)!,
			responded: Number(r.responded),
			households: Number(r.households),
		})),
		versions.map((v) => ({
			number: Number(v.number),
			status: String(v.status) as NoticedVersion['status'],
			opensAt: date(v.comment_opens_at),
			closesAt: date(v.comment_closes_at),
		})),
		now,
	);
}
