import { and, eq } from 'drizzle-orm';
import { isDatabase, type Db, type Tx } from '../../../../../db/client.ts';
import { ballots } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/index.ts';
import { prepareImage } from '../../images/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadRound, loadScopeHousehold, type FrozenHousehold } from '../load.ts';
import { ballotChoices } from '../choices.ts';
import { parseChinaTime } from '../../../china-time.ts';
import { requireCommittee, requireVoter } from '../policy.ts';
import type { CastBallotInput, PaperBallotInput } from '../schemas.ts';
import type { RoundInfo } from '../types.ts';
import { recordBallot, withRetry, type BallotOutcome, type Submission } from './record.ts';

export type { BallotOutcome, Submission } from './record.ts';

async function roundAndHousehold(db: Db, roundId: number, householdId: number) {
	const round = await loadRound(db, roundId);
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

/** A resident's online ballot, cast by `userId`. Errors: invalid (a choice missing or unknown). */
function onlineSubmission(
	round: RoundInfo,
	household: FrozenHousehold,
	input: CastBallotInput,
	userId: string,
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

/** A ballot in its own transaction, or in the caller's (the demo seed passes one). */
function submit(db: Db, s: Submission): Promise<BallotOutcome> {
	const audit = s.channel === 'paper' ? 'ballot.paper_entered' : 'ballot.cast';
	const write = (tx: Tx) =>
		recordBallot(tx, s, audit).then(({ photoId: _photoId, ...outcome }) => outcome);
	return isDatabase(db) ? withRetry(() => db.transaction(write)) : write(db as Tx);
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
