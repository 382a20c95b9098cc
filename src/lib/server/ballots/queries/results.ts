/** A round's results and coverage: live from the running totals, or as published. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../../db/client.ts';
import { roundResults, roundTallies } from '../../../../../db/schema/ballots.ts';
import { translate } from '../../../../i18n/index.ts';
import { coverageMet } from '../phase.ts';
import {
	buildCoverage,
	buildResultsView,
	nameKey,
	type CoverageInput,
	type Names,
} from '../results.ts';
import type { Level, TallyRow } from '../tally.ts';
import type {
	CoverageRow,
	CoverageView,
	PublishedResults,
	ResultsView,
	RoundInfo,
} from '../types.ts';

const num = (value: unknown) => Number(value);

const TALLY_LEVELS: readonly Level[] = ['compound', 'building', 'unit'];

/** Every tally row of a round (levels as given): frozen totals and running counts. */
export async function readTallies(
	db: Executor,
	roundId: number,
	levels: readonly Level[] = TALLY_LEVELS,
): Promise<TallyRow[]> {
	const rows = await db
		.select({
			itemId: roundTallies.roundItemId,
			level: roundTallies.level,
			scopeId: roundTallies.scopeId,
			households: roundTallies.households,
			areaCenti: roundTallies.areaCenti,
			heads: roundTallies.heads,
			agree: roundTallies.agree,
			disagree: roundTallies.disagree,
			abstain: roundTallies.abstain,
			agreeArea: roundTallies.agreeArea,
			disagreeArea: roundTallies.disagreeArea,
			abstainArea: roundTallies.abstainArea,
			headsParticipating: roundTallies.headsParticipating,
			headsApproving: roundTallies.headsApproving,
		})
		.from(roundTallies)
		.where(and(eq(roundTallies.roundId, roundId), inArray(roundTallies.level, [...levels])));
	return rows;
}

async function readCoverage(db: Executor, roundId: number): Promise<CoverageInput[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select level, scope_id, households, responded from round_coverage where round_id = ${roundId}`,
	);
	return rows.map((r) => ({
		level: r.level as Level,
		scopeId: num(r.scope_id),
		households: num(r.households),
		responded: num(r.responded),
	}));
}

/**
 * Display names of a round's compounds, buildings and (when some item decides per unit)
 * units, in both languages: "红岩新村 3号楼 1单元" / "Hongyan New Village, Bldg 3, Unit 1".
 */
async function readNames(db: Executor, round: RoundInfo): Promise<Names> {
	const names = new Map<string, { name: string; nameEn: string; compoundId: number }>();
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select c.id as cid, c.name as cn, c.name_en as ce, b.id as bid, b.number as bn
		    from round_coverage rc
		    join buildings b on b.id = rc.scope_id
		    join compounds c on c.id = b.compound_id
		    where rc.round_id = ${round.id} and rc.level = 'building'`,
	);
	const label = (
		key: 'ballots.buildingName' | 'ballots.unitName',
		params: Record<string, string>,
	) => ({
		name: translate('zh-CN', key, params),
		nameEn: translate('en', key, params),
	});
	for (const r of rows) {
		const compoundId = num(r.cid);
		names.set(nameKey('compound', compoundId), {
			name: String(r.cn),
			nameEn: String(r.ce),
			compoundId,
		});
		const building = label('ballots.buildingName', { number: String(r.bn) });
		names.set(nameKey('building', num(r.bid)), {
			name: `${r.cn} ${building.name}`,
			nameEn: `${r.ce}, ${building.nameEn}`,
			compoundId,
		});
	}
	if (round.items.some((item) => item.decisionScope === 'unit')) {
		const units = await queryRows<Record<string, unknown>>(
			db,
			sql`select distinct u.id, u.number as un, b.number as bn, c.id as cid, c.name as cn, c.name_en as ce
			    from round_households rh
			    join units u on u.id = rh.unit_id
			    join buildings b on b.id = u.building_id
			    join compounds c on c.id = b.compound_id
			    where rh.round_id = ${round.id}`,
		);
		for (const r of units) {
			const unit = label('ballots.unitName', { building: String(r.bn), unit: String(r.un) });
			names.set(nameKey('unit', num(r.id)), {
				name: `${r.cn} ${unit.name}`,
				nameEn: `${r.ce}, ${unit.nameEn}`,
				compoundId: num(r.cid),
			});
		}
	}
	return names;
}

async function buildLiveResults(db: Executor, round: RoundInfo): Promise<ResultsView> {
	const levels: Level[] = round.items.some((i) => i.decisionScope === 'unit')
		? ['compound', 'building', 'unit']
		: ['compound', 'building'];
	const [tallies, coverage, names] = await Promise.all([
		readTallies(db, round.id, levels),
		readCoverage(db, round.id),
		readNames(db, round),
	]);
	return buildResultsView(round, tallies, coverage, names, new Date());
}

/** The round's version, moved by every counted ballot (null before the round opened). */
export async function readRoundVersion(db: Executor, roundId: number): Promise<number | null> {
	// The sum of the round's counters (each only grows), null when it has none yet.
	const [row] = await queryRows<{ v: string | number | null }>(
		db,
		sql`select sum(version) as v from round_versions where round_id = ${roundId}`,
	);
	return row?.v == null ? null : Number(row.v);
}

type Memo = { version: number; view: Promise<ResultsView> };
const memos = new WeakMap<object, Map<number, Memo>>();
const MEMO_ROUNDS = 8;

/**
 * Live results from the aggregates kept by the ballot transactions: a read of one row per item
 * and scope, never a scan of the ballots. Memoised per round version, which is read first on
 * every call: the version moves in the transaction of every counted ballot, so a memo is never
 * older than the committed data (numbers read after the version may only be newer). Requests
 * arriving while a version is being computed share that computation. `asOf` is the time of the
 * call. Callers decide who may see them (`resultsAccess`).
 */
export async function getLiveResults(db: Executor, round: RoundInfo): Promise<ResultsView> {
	const version = await readRoundVersion(db, round.id);
	if (version === null) return buildLiveResults(db, round);
	let memo = memos.get(db);
	if (!memo) memos.set(db, (memo = new Map()));
	let entry = memo.get(round.id);
	if (entry?.version !== version) {
		entry = { version, view: buildLiveResults(db, round) };
		const failed = entry;
		entry.view.catch(() => {
			if (memo.get(round.id) === failed) memo.delete(round.id);
		});
	}
	memo.delete(round.id);
	memo.set(round.id, entry);
	while (memo.size > MEMO_ROUNDS) memo.delete(memo.keys().next().value!);
	return { ...(await entry.view), asOf: new Date().toISOString() };
}

/** Live results computed from the aggregates now, bypassing the memo (benches, checks). */
export const getLiveResultsUncached = buildLiveResults;

/** Coverage per compound and building against the round's target (public once opened). */
export async function getCoverage(db: Executor, round: RoundInfo): Promise<CoverageView> {
	const [coverage, names] = await Promise.all([readCoverage(db, round.id), readNames(db, round)]);
	return buildCoverage(round.target, coverage, names);
}

/**
 * Coverage per unit (单元) against the round's target, optionally of one compound: households in
 * scope and those with a ballot (any ballot responds, as in the compound and building coverage;
 * a paper form awaiting its second entry does not). Counted from the frozen scope and the
 * ballots at read time — one indexed pass over the round's households — so it is exact without
 * another aggregate in the ballot transaction. Public once the round is opened.
 */
export async function getUnitCoverage(
	db: Executor,
	round: RoundInfo,
	compoundId: number | null = null,
): Promise<CoverageRow[]> {
	const only = compoundId === null ? sql`` : sql`and rh.compound_id = ${compoundId}`;
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select rh.unit_id, u.number as un, bd.number as bn, c.id as cid, c.name as cn,
		           c.name_en as ce, count(*)::int as households, count(b.household_id)::int as responded
		    from round_households rh
		    join units u on u.id = rh.unit_id
		    join buildings bd on bd.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    left join ballots b on b.round_id = rh.round_id and b.household_id = rh.household_id
		    where rh.round_id = ${round.id} ${only}
		    group by rh.unit_id, u.number, bd.number, c.id, c.name, c.name_en
		    order by c.name, length(bd.number), bd.number, length(u.number), u.number
		    limit 5000`,
	);
	return rows.map((r) => {
		const params = { building: String(r.bn), unit: String(r.un) };
		const households = num(r.households);
		const responded = num(r.responded);
		return {
			level: 'unit',
			scopeId: num(r.unit_id),
			compoundId: num(r.cid),
			name: `${r.cn} ${translate('zh-CN', 'ballots.unitName', params)}`,
			nameEn: `${r.ce}, ${translate('en', 'ballots.unitName', params)}`,
			households,
			responded,
			met: coverageMet(responded, households, round.target),
		};
	});
}

/** The published results, the latest version unless one is asked for; null when none. */
export async function getPublishedResults(
	db: Executor,
	roundId: number,
	version?: number,
): Promise<PublishedResults | null> {
	const [row] = await db
		.select()
		.from(roundResults)
		.where(
			and(
				eq(roundResults.roundId, roundId),
				version === undefined ? undefined : eq(roundResults.version, version),
			),
		)
		.orderBy(desc(roundResults.version))
		.limit(1);
	if (!row) return null;
	return {
		version: row.version,
		publishedAt: row.publishedAt.toISOString(),
		note: row.note,
		digest: row.digest,
		view: row.snapshot as ResultsView,
	};
}

/** Versions published for a round, newest first. */
export async function listPublishedVersions(db: Executor, roundId: number) {
	return db
		.select({
			version: roundResults.version,
			publishedAt: roundResults.publishedAt,
			note: roundResults.note,
		})
		.from(roundResults)
		.where(eq(roundResults.roundId, roundId))
		.orderBy(desc(roundResults.version));
}
