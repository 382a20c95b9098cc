import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../../../../db/client.ts';
import { ballots } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/commands.ts';
import { prepareImage, savePreparedImage, type PreparedImage } from '../../images/store.ts';
import type { Actor } from '../../policy/types.ts';
import { DomainError, pgErrorCode } from '../../shared/errors.ts';
import {
	loadRound,
	loadRoundCached,
	loadScopeHousehold,
	loadSiblings,
	lockRoundWindow,
	type FrozenHousehold,
} from '../load.ts';
import { ballotChoices } from '../choices.ts';
import { parseChinaTime, roundPhase } from '../phase.ts';
import { requireCommittee, requireVoter } from '../policy.ts';
import type { CastBallotInput, PaperBallotInput } from '../schemas.ts';
import { ballotDelta, type Choices, type TallyDelta } from '../tally.ts';
import type { Choice, RoundInfo } from '../types.ts';

export type BallotOutcome = {
	ballotId: number;
	revision: number;
	/** False for a paper form older than the online ballot it met: kept, not counted. */
	counted: boolean;
	/** Set when a paper and an online ballot met: staff review it. */
	conflict: boolean;
};

export type Submission = {
	round: RoundInfo;
	household: FrozenHousehold;
	choices: Choices;
	overall: Choice | null;
	comment: string;
	channel: 'online' | 'paper';
	castBy: string | null;
	enteredBy: string | null;
	/** For paper: the photo to save, or the id of one saved before (a double-entered form). */
	photo: PreparedImage | string | null;
	/** For paper: when the form was filled in; online ballots take the database clock. */
	filledAt: Date | null;
	actor: { id: string; kind: 'resident' | 'staff' };
};

async function roundAndHousehold(db: Db, roundId: number, householdId: number) {
	const round = await loadRoundCached(db, roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const household = round.openedAt ? await loadScopeHousehold(db, roundId, householdId) : null;
	return { round, household };
}

/**
 * Casts or revises the household's ballot online. Any bound member may, until the round
 * closes; in a consent round only an owner or a member an owner authorised (民法典 art. 278).
 * The last revision counts; every revision is kept with who, when and the channel; the tallies
 * and coverage change in the same transaction, and the audit log records it.
 * Errors: unauthenticated; forbidden (not a member, or not allowed to consent); not_found (no
 * such round, or the household is not in its scope); closed (not open yet, or closed);
 * invalid (a choice missing or unknown).
 */
export async function castBallot(
	db: Db,
	actor: Actor | null,
	input: CastBallotInput,
): Promise<BallotOutcome> {
	const { round, household } = await roundAndHousehold(db, input.roundId, input.householdId);
	const voter = requireVoter(actor, round, input.householdId);
	if (!household) throw new DomainError('not_found', 'ballots.notInScope');
	return submit(db, {
		round,
		household,
		choices: ballotChoices(round, household, input),
		overall: round.kind === 'plan_opinion' ? (input.overall ?? null) : null,
		comment: input.comment,
		channel: 'online',
		castBy: voter.userId,
		enteredBy: null,
		photo: null,
		filledAt: null,
		actor: { id: voter.userId, kind: 'resident' },
	});
}

/**
 * Enters a household's paper form (入户, for residents without phones): committee staff, with a
 * photo of the signed form through the image pipeline, channel "paper", entered-by recorded.
 * When an online ballot exists the newer of the two counts (the paper's `filledAt` against the
 * online ballot's time) and the ballot is flagged for staff review; the older one is kept as an
 * uncounted revision. Errors: forbidden, not_found, closed, invalid (choices, time, photo).
 */
export async function enterPaperBallot(
	db: Db,
	actor: Actor | null,
	input: Omit<PaperBallotInput, 'photo'> & { photo: File | Uint8Array },
): Promise<BallotOutcome> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'ballot.enter_paper', round.communityId);
	// A double-entry round counts a form only once a second member confirmed it (paper.ts).
	if (round.doubleEntry) throw new DomainError('conflict', 'ballots.doubleEntryRequired');
	const household = round.openedAt
		? await loadScopeHousehold(db, input.roundId, input.householdId)
		: null;
	if (!household) throw new DomainError('not_found', 'ballots.notInScope');
	const choices = ballotChoices(round, household, input);
	const filledAt = paperFilledAt(round, input.filledAt);
	const photo = await prepareImage(input.photo);
	return submit(db, {
		round,
		household,
		choices,
		overall: round.kind === 'plan_opinion' ? (input.overall ?? null) : null,
		comment: input.comment,
		channel: 'paper',
		castBy: null,
		enteredBy: staff.userId,
		photo,
		filledAt,
		actor: { id: staff.userId, kind: 'staff' },
	});
}

/**
 * When a paper form was filled in (Beijing time): after the round opened and not in the future.
 * Errors: invalid ('ballots.timeInvalid', 'ballots.filledAtOutside').
 */
export function paperFilledAt(round: Pick<RoundInfo, 'opensAt'>, value: string): Date {
	let filledAt: Date;
	try {
		filledAt = parseChinaTime(value);
	} catch {
		throw new DomainError('invalid', 'ballots.timeInvalid');
	}
	if (filledAt.getTime() < round.opensAt.getTime() || filledAt.getTime() > Date.now() + 60_000) {
		throw new DomainError('invalid', 'ballots.filledAtOutside');
	}
	return filledAt;
}

const RETRIES = 5;

/** Runs the transaction again after a deadlock or serialization failure (nothing was kept). */
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const code = pgErrorCode(error);
			if (attempt >= RETRIES || (code !== '40P01' && code !== '40001')) throw error;
			await new Promise((resolve) => setTimeout(resolve, 5 * attempt * Math.random()));
		}
	}
}

function submit(db: Db, s: Submission): Promise<BallotOutcome> {
	return withRetry(() =>
		db.transaction(async (tx) => {
			const { photoId: _photoId, ...outcome } = await recordBallot(tx, s, (recorded) =>
				appendAudit(tx, {
					actorId: s.actor.id,
					actorKind: s.actor.kind,
					action: s.channel === 'paper' ? 'ballot.paper_entered' : 'ballot.cast',
					targetType: 'household',
					targetId: s.household.householdId,
					communityId: s.round.communityId,
					details: {
						roundId: s.round.id,
						revision: recorded.revision,
						counted: recorded.counted,
						conflict: recorded.conflict,
						...(recorded.photoId ? { photo: recorded.photoId } : {}),
					},
				}),
			);
			return outcome;
		}),
	);
}

/**
 * The writes of a ballot transaction: the round's window (shared row lock, database clock), the
 * owner's lock when they hold several flats, the photo, the ballot and its revision, then
 * `beforeCounting` (the caller's audit entry), and — when it counts — the tally deltas, coverage
 * and the round's version in ONE last statement: those rows are shared by every ballot of the
 * scope, so their row locks are taken as late as possible and held only until the commit that
 * follows. Errors: closed. Exported for confirmed double entries (paper.ts).
 */
export async function recordBallot(
	tx: Tx,
	s: Submission,
	beforeCounting?: (recorded: BallotOutcome & { photoId: string | null }) => Promise<unknown>,
): Promise<BallotOutcome & { photoId: string | null }> {
	const window = await lockRoundWindow(tx, s.round.id, 'share');
	const phase = window ? roundPhase(window, window.now) : 'draft';
	if (phase !== 'open') {
		throw new DomainError('closed', phase === 'closed' ? 'ballots.roundClosed' : 'ballots.notOpen');
	}
	if (s.household.ownerUnits > 1) {
		// One owner's flats share one head: their ballots are serialised so the head delta
		// is computed from settled sibling ballots.
		await tx.execute(
			sql`select pg_advisory_xact_lock(${s.round.id}::int, hashtext(${s.household.ownerKey}))`,
		);
	}
	const photoId =
		typeof s.photo === 'string'
			? s.photo
			: s.photo
				? await savePreparedImage(tx, s.enteredBy!, s.photo)
				: null;
	const outcome = await upsertBallot(tx, s, photoId);
	const { before: _before, ...result } = outcome;
	await beforeCounting?.({ ...result, photoId });
	if (outcome.counted) {
		const siblings =
			s.household.ownerUnits > 1
				? await loadSiblings(tx, { ...s.household, roundId: s.round.id })
				: [];
		const deltas = ballotDelta({
			items: s.round.items,
			household: s.household,
			siblings,
			before: outcome.before,
			after: s.choices,
		});
		await applyCounts(tx, s, deltas, outcome.revision === 1);
	}
	return { ...result, photoId };
}

type Upserted = BallotOutcome & { before: Choices | null };

/**
 * The ballot row and its revision in one statement. An online submission always replaces the
 * counted ballot (the last to take the row lock is the latest); a paper form only when it was
 * filled in no earlier than the ballot it meets. The upsert returns the choices it
 * replaced (`prev_choices`, written under the row lock), so the deltas are exact whatever runs
 * concurrently. An older paper form only adds an uncounted revision and flags the conflict.
 */
async function upsertBallot(tx: Tx, s: Submission, photoId: string | null): Promise<Upserted> {
	const filledAt = s.filledAt
		? sql`${s.filledAt.toISOString()}::timestamptz`
		: sql`clock_timestamp()`;
	const choices = JSON.stringify(s.choices);
	const [row] = await queryRows<{
		id: string | number;
		revision: number;
		prev_choices: Choices | string | null;
		conflict: boolean;
	}>(
		tx,
		sql`with saved as (
			insert into ballots as b (round_id, household_id, revision, choices, prev_choices, overall,
				comment, channel, cast_by, entered_by, photo_image_id, filled_at, conflict, updated_at)
			values (${s.round.id}, ${s.household.householdId}, 1, ${choices}::jsonb, null,
				${s.overall}::ballot_choice, ${s.comment}, ${s.channel}::ballot_channel, ${s.castBy},
				${s.enteredBy}, ${photoId}, ${filledAt}, false, clock_timestamp())
			on conflict (round_id, household_id) do update set
				revision = b.revision + 1,
				prev_choices = b.choices,
				choices = excluded.choices,
				overall = excluded.overall,
				comment = excluded.comment,
				channel = excluded.channel,
				cast_by = excluded.cast_by,
				entered_by = excluded.entered_by,
				photo_image_id = excluded.photo_image_id,
				filled_at = excluded.filled_at,
				conflict = b.conflict or b.channel <> excluded.channel,
				reviewed_by = case when b.channel <> excluded.channel then null else b.reviewed_by end,
				updated_at = excluded.updated_at
			where excluded.channel = 'online' or b.filled_at <= excluded.filled_at
			returning b.id, b.revision, b.prev_choices, b.conflict, b.filled_at
		), r as (
			insert into ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
				comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
			select saved.id, ${s.round.id}::int, ${s.household.householdId}::int, saved.revision,
				${choices}::jsonb, ${s.overall}::ballot_choice, ${s.comment}::text,
				${s.channel}::ballot_channel, ${s.castBy}::text, ${s.enteredBy}::text, ${photoId}::text,
				saved.filled_at, true
			from saved
		)
		select id, revision, prev_choices, conflict from saved`,
	);
	if (row) {
		const prev =
			typeof row.prev_choices === 'string' ? JSON.parse(row.prev_choices) : row.prev_choices;
		return {
			ballotId: Number(row.id),
			revision: row.revision,
			counted: true,
			conflict: row.conflict,
			before: row.revision === 1 ? null : (prev as Choices),
		};
	}
	return keepOlderPaper(tx, s, photoId);
}

/** A paper form older than the counted online ballot: kept as an uncounted revision, flagged. */
async function keepOlderPaper(tx: Tx, s: Submission, photoId: string | null): Promise<Upserted> {
	const [row] = await tx
		.update(ballots)
		.set({ revision: sql`${ballots.revision} + 1`, conflict: true, reviewedBy: null })
		.where(and(eq(ballots.roundId, s.round.id), eq(ballots.householdId, s.household.householdId)))
		.returning({ id: ballots.id, revision: ballots.revision });
	await tx.execute(sql`
		insert into ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
		values (${row!.id}, ${s.round.id}, ${s.household.householdId}, ${row!.revision},
			${JSON.stringify(s.choices)}::jsonb, ${s.overall}::ballot_choice, ${s.comment},
			${s.channel}::ballot_channel, ${s.castBy},
			${s.enteredBy}, ${photoId}, ${s.filledAt!.toISOString()}::timestamptz, false)`);
	return {
		ballotId: row!.id,
		revision: row!.revision,
		counted: false,
		conflict: true,
		before: null,
	};
}

/** Version counters per round: a ballot bumps the one of its household (see round_versions). */
export const VERSION_SHARDS = 16;

/**
 * One statement (PostgreSQL runs every data-modifying CTE, read or not): adds the deltas to
 * the tally rows (rows in key order), counts a household's first ballot in its compound's and
 * building's coverage, and moves one of the round's version counters (live results are
 * memoised per version).
 */
async function applyCounts(tx: Tx, s: Submission, deltas: TallyDelta[], first: boolean) {
	const json = JSON.stringify(
		deltas.map((d) => ({
			i: d.itemId,
			l: d.level,
			s: d.scopeId,
			a: d.agree,
			d: d.disagree,
			x: d.abstain,
			aa: d.agreeArea,
			da: d.disagreeArea,
			xa: d.abstainArea,
			hp: d.headsParticipating,
			ha: d.headsApproving,
		})),
	);
	const shard = s.household.householdId % VERSION_SHARDS;
	const [updated] = await queryRows<{ n: number }>(
		tx,
		sql`with u as (
			update round_tallies t set
				agree = t.agree + d.a, disagree = t.disagree + d.d, abstain = t.abstain + d.x,
				agree_area = t.agree_area + d.aa, disagree_area = t.disagree_area + d.da,
				abstain_area = t.abstain_area + d.xa,
				heads_participating = t.heads_participating + d.hp,
				heads_approving = t.heads_approving + d.ha
			from jsonb_to_recordset(${json}::jsonb) as d(i int, l text, s int, a int, d int, x int,
				aa bigint, da bigint, xa bigint, hp int, ha int)
			where t.round_id = ${s.round.id} and t.level = d.l::tally_level
			  and t.round_item_id = d.i and t.scope_id = d.s
			returning 1
		), responded as (
			update round_coverage set responded = responded + 1
			where ${first} and round_id = ${s.round.id}
			  and ((level = 'compound' and scope_id = ${s.household.compoundId})
			    or (level = 'building' and scope_id = ${s.household.buildingId}))
		), moved as (
			insert into round_versions as rv (round_id, shard, version)
			values (${s.round.id}, ${shard}, 1)
			on conflict (round_id, shard) do update set version = rv.version + 1
		)
		select (select count(*) from u)::int as n`,
	);
	if (updated?.n !== deltas.length) {
		throw new Error(
			`round ${s.round.id}: ${deltas.length} tally rows expected, ${updated?.n} found`,
		);
	}
}

/**
 * Marks a flagged ballot (paper met online) as reviewed by committee staff. Errors: forbidden,
 * not_found (no such round or no flagged ballot for the household).
 */
export async function reviewConflict(
	db: Db,
	actor: Actor | null,
	input: { roundId: number; householdId: number },
): Promise<void> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'ballot.enter_paper', round.communityId);
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(ballots)
			.set({ conflict: false, reviewedBy: staff.userId })
			.where(
				and(
					eq(ballots.roundId, input.roundId),
					eq(ballots.householdId, input.householdId),
					eq(ballots.conflict, true),
				),
			)
			.returning({ id: ballots.id, revision: ballots.revision });
		if (updated.length === 0) throw new DomainError('not_found', 'error.notFound');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'ballot.conflict_reviewed',
			targetType: 'household',
			targetId: input.householdId,
			communityId: round.communityId,
			details: { roundId: input.roundId, revision: updated[0]!.revision },
		});
	});
}
