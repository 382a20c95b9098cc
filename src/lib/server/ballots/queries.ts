import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows, type Executor } from '../../../../db/client.ts';
import {
	ballotRevisions,
	ballots,
	roundResults,
	roundTallies,
} from '../../../../db/schema/ballots.ts';
import { users } from '../../../../db/schema/people.ts';
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { loadRound } from './load.ts';
import { coverageMet, roundPhase } from './phase.ts';
import { isCommittee } from './policy.ts';
import {
	buildCoverage,
	buildResultsView,
	nameKey,
	type CoverageInput,
	type Names,
} from './results.ts';
import type { Level, TallyRow } from './tally.ts';
import type {
	CoverageRow,
	CoverageView,
	PublishedResults,
	ResultsView,
	RoundInfo,
	RoundKind,
	RoundPhase,
} from './types.ts';

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

/**
 * What results a viewer sees: committee staff the live tallies at any time; everyone the
 * published result once there is one; before that the live tallies only when the round makes
 * them public while open; otherwise none.
 */
export function resultsAccess(input: {
	committee: boolean;
	published: boolean;
	talliesPublic: boolean;
	phase: RoundPhase;
}): 'live' | 'published' | 'none' {
	if (input.committee) return 'live';
	if (input.published) return 'published';
	if (input.talliesPublic && (input.phase === 'open' || input.phase === 'closed')) return 'live';
	return 'none';
}

export type RoundPageView = {
	round: RoundInfo;
	phase: RoundPhase;
	committee: boolean;
	published: boolean;
};

/**
 * A round for a page: null when it does not exist, or when it is a draft and the viewer is not
 * its committee (drafts are not public).
 */
export async function getRoundForViewer(
	db: Executor,
	actor: Actor | null,
	roundId: number,
): Promise<RoundPageView | null> {
	const round = await loadRound(db, roundId);
	if (!round) return null;
	const committee = isCommittee(actor, round);
	const phase = roundPhase(round, new Date());
	if (phase === 'draft' && !committee) return null;
	const [published] = await db
		.select({ version: roundResults.version })
		.from(roundResults)
		.where(eq(roundResults.roundId, roundId))
		.limit(1);
	return { round, phase, committee, published: published !== undefined };
}

export type RoundListItem = {
	id: number;
	kind: RoundKind;
	title: string;
	titleEn: string;
	opensAt: Date;
	closesAt: Date;
	phase: RoundPhase;
	published: boolean;
};

async function listRounds(db: Executor, where: ReturnType<typeof sql>): Promise<RoundListItem[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select r.id, r.kind, r.title, r.title_en, r.opens_at, r.closes_at, r.opened_at,
		           exists (select 1 from round_results rr where rr.round_id = r.id) as published
		    from rounds r join projects p on p.id = r.project_id
		    where ${where} order by r.opens_at desc, r.id desc limit 200`,
	);
	const now = new Date();
	return rows.map((r) => {
		const window = {
			openedAt: r.opened_at ? new Date(r.opened_at as string) : null,
			opensAt: new Date(r.opens_at as string),
			closesAt: new Date(r.closes_at as string),
		};
		return {
			id: num(r.id),
			kind: r.kind as RoundKind,
			title: String(r.title),
			titleEn: String(r.title_en),
			opensAt: window.opensAt,
			closesAt: window.closesAt,
			phase: roundPhase(window, now),
			published: Boolean(r.published),
		};
	});
}

/** A project's rounds for the public (opened ones only), newest first. */
export function listProjectRounds(db: Executor, projectId: number): Promise<RoundListItem[]> {
	return listRounds(db, sql`r.project_id = ${projectId} and r.opened_at is not null`);
}

/** Rounds the staff member manages (their communities; admins all), drafts included. */
export async function listRoundsForStaff(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (actor.roles.has('admin')) return listRounds(db, sql`true`);
	const ids = [...actor.communityIds];
	if (!actor.roles.has('moderator') || ids.length === 0) return [];
	return listRounds(
		db,
		sql`p.community_id in (${sql.join(
			ids.map((id) => sql`${id}`),
			sql`, `,
		)})`,
	);
}

/** Projects a staff member may open rounds for (committee of the project's community). */
export async function listProjectsForRounds(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	const rows = await queryRows<{ id: number; name: string; name_en: string; community_id: number }>(
		db,
		sql`select id, name, name_en, community_id from projects order by id`,
	);
	return rows
		.filter(
			(p) =>
				actor.roles.has('admin') ||
				(actor.roles.has('moderator') && actor.communityIds.has(num(p.community_id))),
		)
		.map((p) => ({ id: num(p.id), name: p.name, nameEn: p.name_en }));
}

/** A household still to visit (入户): where it is, never who lives there. */
export type VisitRow = {
	householdId: number;
	buildingId: number;
	unitId: number;
	compoundName: string;
	compoundNameEn: string;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	floor: number;
	/** A paper form of the household awaits its second entry or review (双人录入). */
	paperPending: boolean;
};

/**
 * Households in scope without a ballot, by compound, building, unit and room: the door-visit
 * list. Committee staff only. Errors: forbidden, not_found.
 */
export async function listNotResponded(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
): Promise<VisitRow[]> {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select h.id, rh.building_id, rh.unit_id, c.name as cn, c.name_en as ce, b.number as bn, u.number as un,
		           h.room, h.floor, exists (select 1 from paper_entries pe where pe.round_id = rh.round_id
		                   and pe.household_id = rh.household_id and pe.pair_of is null
		                   and pe.state in ('awaiting', 'mismatch')) as pending
		    from round_households rh
		    join households h on h.id = rh.household_id
		    join units u on u.id = rh.unit_id
		    join buildings b on b.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    where rh.round_id = ${round.id}
		      and not exists (select 1 from ballots x where x.round_id = rh.round_id and x.household_id = rh.household_id)
		    order by c.name, length(b.number), b.number, length(u.number), u.number, h.floor, h.room
		    limit 5000`,
	);
	return rows.map((r) => ({
		householdId: num(r.id),
		buildingId: num(r.building_id),
		unitId: num(r.unit_id),
		compoundName: String(r.cn),
		compoundNameEn: String(r.ce),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		floor: num(r.floor),
		paperPending: Boolean(r.pending),
	}));
}

/** Households of a round for the paper-entry picker (committee only): address and whether voted. */
export async function listScopeHouseholds(db: Executor, actor: Actor | null, round: RoundInfo) {
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select h.id, c.name as cn, c.name_en as ce, b.number as bn, u.number as un, h.room,
		           exists (select 1 from ballots x where x.round_id = rh.round_id and x.household_id = rh.household_id) as voted,
		           (select pe.state from paper_entries pe where pe.round_id = rh.round_id
		            and pe.household_id = rh.household_id and pe.pair_of is null
		            and pe.state in ('awaiting', 'mismatch')) as entry
		    from round_households rh
		    join households h on h.id = rh.household_id
		    join units u on u.id = rh.unit_id
		    join buildings b on b.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    where rh.round_id = ${round.id}
		    order by c.name, length(b.number), b.number, length(u.number), u.number, h.floor, h.room
		    limit 3000`,
	);
	return rows.map((r) => ({
		householdId: num(r.id),
		compoundName: String(r.cn),
		compoundNameEn: String(r.ce),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		voted: Boolean(r.voted),
		/** A double-entered paper form awaiting its second entry, or under review. */
		entry: (r.entry as 'awaiting' | 'mismatch' | null) ?? null,
	}));
}

/** Flagged ballots (paper met online) for staff review, with the photo of the paper form. */
export async function listConflicts(db: Executor, actor: Actor | null, round: RoundInfo) {
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select x.household_id, x.revision, x.channel, x.filled_at, b.number as bn, u.number as un, h.room,
		           (select r.photo_image_id from ballot_revisions r where r.ballot_id = x.id and r.photo_image_id is not null
		            order by r.revision desc limit 1) as photo
		    from ballots x
		    join households h on h.id = x.household_id
		    join units u on u.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    where x.round_id = ${round.id} and x.conflict
		    order by x.updated_at`,
	);
	return rows.map((r) => ({
		householdId: num(r.household_id),
		revision: num(r.revision),
		channel: r.channel as 'online' | 'paper',
		filledAt: new Date(r.filled_at as string),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		photoImageId: (r.photo as string | null) ?? null,
	}));
}

export type RevisionView = {
	revision: number;
	at: Date;
	filledAt: Date;
	channel: 'online' | 'paper';
	/** Who, as the household sees it: itself, another member, or the committee (paper). */
	by: 'you' | 'member' | 'committee';
	/**
	 * For paper: the committee member who entered the form and, in a double-entry round (双人录入),
	 * the one who confirmed it. Staff names only — they act in their public role; a resident's
	 * name is never shown (online revisions stay "you" / "another household member").
	 */
	enteredByName: string | null;
	confirmedByName: string | null;
	counted: boolean;
};

export type BallotView = {
	revision: number;
	choices: Record<string, 'agree' | 'disagree' | 'abstain'>;
	overall: 'agree' | 'disagree' | 'abstain' | null;
	comment: string;
	channel: 'online' | 'paper';
	filledAt: Date;
	revisions: RevisionView[];
};

const enteredBy = alias(users, 'entered_by_user');
const confirmedBy = alias(users, 'confirmed_by_user');

/** A staff member's display name for a paper revision, or null (none, not staff, blank). */
const staffName = (name: string | null, kind: string | null) =>
	kind === 'staff' && name?.trim() ? name : null;

/**
 * The household's current ballot and its revisions, newest first (members of the household
 * only): paper revisions name the committee members who entered and confirmed them.
 */
export async function getHouseholdBallot(
	db: Executor,
	actor: Actor | null,
	roundId: number,
	householdId: number,
): Promise<BallotView | null> {
	if (actor?.kind !== 'resident' || !actor.memberships.some((m) => m.householdId === householdId)) {
		throw new DomainError('forbidden', 'ballots.notYourHousehold');
	}
	const [current] = await db
		.select()
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.householdId, householdId)));
	if (!current) return null;
	const revisions = await db
		.select({
			revision: ballotRevisions.revision,
			at: ballotRevisions.createdAt,
			filledAt: ballotRevisions.filledAt,
			channel: ballotRevisions.channel,
			castBy: ballotRevisions.castBy,
			counted: ballotRevisions.counted,
			enteredName: enteredBy.displayName,
			enteredKind: enteredBy.kind,
			confirmedName: confirmedBy.displayName,
			confirmedKind: confirmedBy.kind,
		})
		.from(ballotRevisions)
		.leftJoin(enteredBy, eq(enteredBy.id, ballotRevisions.enteredBy))
		.leftJoin(confirmedBy, eq(confirmedBy.id, ballotRevisions.confirmedBy))
		.where(eq(ballotRevisions.ballotId, current.id))
		.orderBy(desc(ballotRevisions.revision))
		.limit(50);
	return {
		revision: current.revision,
		choices: current.choices,
		overall: current.overall,
		comment: current.comment,
		channel: current.channel,
		filledAt: current.filledAt,
		revisions: revisions.map((r) => ({
			revision: r.revision,
			at: r.at,
			filledAt: r.filledAt,
			channel: r.channel,
			by: r.channel === 'paper' ? 'committee' : r.castBy === actor.userId ? 'you' : 'member',
			enteredByName: r.channel === 'paper' ? staffName(r.enteredName, r.enteredKind) : null,
			confirmedByName: r.channel === 'paper' ? staffName(r.confirmedName, r.confirmedKind) : null,
			counted: r.counted,
		})),
	};
}

/** The rounds open now whose scope includes one of the resident's households. */
export async function listMyOpenRounds(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'resident' || actor.memberships.length === 0) return [];
	const ids = actor.memberships.map((m) => m.householdId);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select distinct r.id, r.title, r.title_en, r.closes_at, rh.household_id
		    from rounds r join round_households rh on rh.round_id = r.id
		    where rh.household_id in (${sql.join(
					ids.map((id) => sql`${id}`),
					sql`, `,
				)})
		      and r.opened_at is not null and r.opens_at <= now() and r.closes_at > now()
		    order by r.closes_at`,
	);
	return rows.map((r) => ({
		roundId: num(r.id),
		title: String(r.title),
		titleEn: String(r.title_en),
		closesAt: new Date(r.closes_at as string),
		householdId: num(r.household_id),
	}));
}

/** The resident's households that are in the round's scope. */
export async function myHouseholdsInRound(db: Executor, actor: Actor | null, roundId: number) {
	if (actor?.kind !== 'resident' || actor.memberships.length === 0) return [];
	const ids = actor.memberships.map((m) => m.householdId);
	const rows = await queryRows<{ household_id: number; voted: boolean }>(
		db,
		sql`select rh.household_id,
		           exists (select 1 from ballots b where b.round_id = rh.round_id and b.household_id = rh.household_id) as voted
		    from round_households rh
		    where rh.round_id = ${roundId} and rh.household_id in (${sql.join(
					ids.map((id) => sql`${id}`),
					sql`, `,
				)})`,
	);
	const voted = new Map(rows.map((r) => [num(r.household_id), Boolean(r.voted)]));
	return actor.memberships
		.filter((m) => voted.has(m.householdId))
		.map((m) => ({ membership: m, voted: voted.get(m.householdId)! }));
}

/** The household's address in a round, for the ballot page title (members only). */
export function householdLabel(actor: Actor | null, householdId: number) {
	if (actor?.kind !== 'resident') return null;
	return actor.memberships.find((m) => m.householdId === householdId) ?? null;
}

/**
 * What the new-round form offers for a project: the menu, the project's plan versions and its
 * buildings. Committee staff of the project's community; null otherwise (not revealed).
 */
export async function getRoundFormOptions(db: Executor, actor: Actor | null, projectId: number) {
	const [project] = await queryRows<Record<string, unknown>>(
		db,
		sql`select id, slug, name, name_en, community_id from projects where id = ${projectId}`,
	);
	if (!project || !isCommittee(actor, { communityId: num(project.community_id) })) return null;
	const [menu, versions, buildings] = await Promise.all([
		queryRows<Record<string, unknown>>(
			db,
			sql`select id, name, name_en, category, special_matter from renovation_items order by sort`,
		),
		queryRows<Record<string, unknown>>(
			db,
			sql`select id, number, title, title_en from plan_versions where project_id = ${projectId} order by number`,
		),
		queryRows<Record<string, unknown>>(
			db,
			sql`select b.id, b.number, c.name, c.name_en from buildings b
			    join project_compounds pc on pc.compound_id = b.compound_id
			    join compounds c on c.id = b.compound_id
			    where pc.project_id = ${projectId} order by c.name, length(b.number), b.number limit 500`,
		),
	]);
	return {
		project: { id: num(project.id), name: String(project.name), nameEn: String(project.name_en) },
		menu: menu.map((m) => ({
			id: num(m.id),
			name: String(m.name),
			nameEn: String(m.name_en),
			category: String(m.category) as 'basic' | 'improvement' | 'upgrade',
			specialMatter: Boolean(m.special_matter),
		})),
		planVersions: versions.map((v) => ({
			id: num(v.id),
			number: num(v.number),
			title: String(v.title),
			titleEn: String(v.title_en),
		})),
		buildings: buildings.map((b) => ({
			id: num(b.id),
			number: String(b.number),
			compoundName: String(b.name),
			compoundNameEn: String(b.name_en),
		})),
	};
}
