import { and, eq, sql } from 'drizzle-orm';
import {
	isDatabase,
	queryRows,
	type Db,
	type Executor,
	type Tx,
} from '../../../../../db/client.ts';
import { ballots } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/commands.ts';
import { prepareImage, savePreparedImage, type PreparedImage } from '../../images/store.ts';
import type { Actor } from '../../policy/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { ballotBatcher, withRetry, type BallotRecord, type RecordedRow } from '../batch.ts';
import { loadRound, loadRoundCached, loadScopeHousehold, type FrozenHousehold } from '../load.ts';
import { ballotChoices } from '../choices.ts';
import { parseChinaTime } from '../phase.ts';
import { requireCommittee, requireVoter } from '../policy.ts';
import { packBallot } from '../tally-pack.ts';
import type { CastBallotInput, PaperBallotInput } from '../schemas.ts';
import type { Choices } from '../tally.ts';
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
	/** `id` null: the session's holder, checked by the record function (sessionBallotRecord). */
	actor: { id: string | null; kind: 'resident' | 'staff' };
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
	return submit(db, onlineSubmission(round, household, input, voter.userId));
}

/**
 * A resident's online ballot as the record function takes it, cast by `userId` (null: by the
 * holder of the session sent with it, sessionBallotRecord). Errors: invalid (a choice missing or
 * unknown).
 */
export function onlineSubmission(
	round: RoundInfo,
	household: FrozenHousehold,
	input: CastBallotInput,
	userId: string | null,
): Submission {
	return {
		round,
		household,
		choices: ballotChoices(round, household, input),
		overall: round.kind === 'plan_opinion' ? (input.overall ?? null) : null,
		comment: input.comment,
		channel: 'online',
		castBy: userId,
		enteredBy: null,
		photo: null,
		filledAt: null,
		actor: { id: userId, kind: 'resident' },
	};
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

/**
 * A ballot with its audit entry. Without a photo to save it goes to the batcher (batch.ts: one
 * statement with the ballots that arrive meanwhile); a photo shares a transaction with it. Called
 * inside a transaction (the demo seed), it is written in that transaction.
 */
function submit(db: Db, s: Submission): Promise<BallotOutcome> {
	const audit = s.channel === 'paper' ? 'ballot.paper_entered' : 'ballot.cast';
	const photo = s.photo;
	if (!isDatabase(db))
		return recordBallot(db, s, audit).then(({ photoId: _photoId, ...outcome }) => outcome);
	if (photo === null || typeof photo === 'string')
		return ballotBatcher(db)
			.record(ballotRecord(s, photo, audit))
			.then(recordedOutcome);
	return withRetry(() => db.transaction((tx) => recordBallot(tx, s, audit))).then(
		({ photoId: _photoId, ...outcome }) => outcome,
	);
}

/**
 * The writes of a ballot, inside the caller's transaction: the round's window (shared window lock,
 * database clock), the owner's lock when they hold several flats, the photo, the ballot and its
 * revision, and — when it counts — the tally sums, coverage and the round's version, the rows
 * every ballot of the scope shares, locked last and in key order. All but the photo is one call
 * of `gj_record_ballots` (migrations 0025–0027) with a batch of one, whose changes are
 * `ballotDelta`'s (tally.ts, the reference it is tested against). The audit entry is the function's when `auditAction` is
 * given, else the caller's own. Errors: closed, not_found. Exported for confirmed double
 * entries (paper.ts).
 */
export async function recordBallot(
	tx: Tx,
	s: Submission,
	auditAction: 'ballot.cast' | 'ballot.paper_entered' | null = null,
): Promise<BallotOutcome & { photoId: string | null }> {
	const photoId =
		typeof s.photo === 'string'
			? s.photo
			: s.photo
				? await savePreparedImage(tx, s.enteredBy!, s.photo)
				: null;
	return callRecord(tx, s, photoId, auditAction);
}

/** A submission as the record function takes it. */
export function ballotRecord(
	s: Submission,
	photoId: string | null,
	auditAction: BallotRecord['audit_action'],
): BallotRecord {
	return {
		round: s.round.id,
		household: s.household.householdId,
		choices: s.choices,
		overall: s.overall,
		comment: s.comment,
		channel: s.channel,
		cast_by: s.castBy,
		entered_by: s.enteredBy,
		photo: photoId,
		filled_at: s.filledAt?.toISOString() ?? null,
		audit_action: auditAction,
		actor_id: s.actor.id,
		actor_kind: s.actor.kind,
		community: s.round.communityId,
		// A draft round's items have no slots yet (the function answers 'not_open').
		tally_packed:
			s.household.ownerUnits > 1 || s.round.openedAt === null
				? null
				: packBallot(s.round.items, s.household, s.choices),
	};
}

/** The record function on one ballot, in the caller's transaction. */
async function callRecord(
	executor: Executor,
	s: Submission,
	photoId: string | null,
	auditAction: BallotRecord['audit_action'],
): Promise<BallotOutcome & { photoId: string | null }> {
	const [row] = await queryRows<RecordedRow>(
		executor,
		sql`select status, ballot_id, revision, counted, conflict
			from gj_record_ballots(${JSON.stringify([ballotRecord(s, photoId, auditAction)])}::jsonb)`,
	);
	return { ...recordedOutcome(row), photoId };
}

/**
 * The ballot form's record (http/ballot-post.ts): a resident's online ballot cast by whoever
 * holds the session. The record function checks the session with the ballot, in its transaction
 * (migration 0026): it must outlive `until` (not be due for extension), its user must be an
 * active resident and a member of the household whom the round accepts; otherwise the row's
 * status is 'unauthorised' and nothing is written. Errors: invalid (a choice missing or unknown).
 */
export function sessionBallotRecord(
	round: RoundInfo,
	household: FrozenHousehold,
	input: CastBallotInput,
	session: { id: string; until: Date },
): BallotRecord {
	return {
		...ballotRecord(onlineSubmission(round, household, input, null), null, 'ballot.cast'),
		session: session.id,
		session_until: session.until.toISOString(),
	};
}

/** The outcome of a record function's row. Errors: forbidden, closed, not_found. */
export function recordedOutcome(row: RecordedRow | undefined): BallotOutcome {
	if (!row) throw new Error('gj_record_ballots returned no row');
	if (row.status === 'unauthorised') throw new DomainError('forbidden', 'error.forbidden');
	if (row.status === 'closed') throw new DomainError('closed', 'ballots.roundClosed');
	if (row.status === 'not_open') throw new DomainError('closed', 'ballots.notOpen');
	if (row.status === 'not_in_scope') throw new DomainError('not_found', 'ballots.notInScope');
	return {
		ballotId: Number(row.ballot_id),
		revision: row.revision!,
		counted: row.counted!,
		conflict: row.conflict!,
	};
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
