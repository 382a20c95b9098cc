/**
 * The writes of one ballot revision, in the caller's transaction: the round's window, the
 * ballot and its revision, the audit entry, and — when it counts — the running tallies (one
 * plain row per item and scope, changed by `ballotDelta`), coverage and the round's version.
 * Who may cast it was decided before (policy.ts); SQL only keeps the constraints and the locks.
 */
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../../../../db/client.ts';
import { ballots } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/index.ts';
import { savePreparedImage, type PreparedImage } from '../../images/index.ts';
import { DomainError, pgErrorCode } from '../../shared/index.ts';
import { loadSiblings, lockRoundWindow, type FrozenHousehold } from '../load.ts';
import { roundPhase } from '../phase.ts';
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

/** Version counters per round: a ballot bumps its household's (round_versions). */
const VERSION_SHARDS = 16;

/** The owners' lock namespace: one owner's flats in a round share one head. */
const OWNER_LOCK_KEY = 7_340_215;

const RETRIES = 5;

/** Runs `work` again after a deadlock or a serialization failure (with a short random pause). */
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

/**
 * Records a ballot revision in `tx`. `auditAction` null: the caller writes its own audit entry
 * (a confirmed double entry, paper.ts). Errors: closed (not open yet, or closed).
 */
export async function recordBallot(
	tx: Tx,
	s: Submission,
	auditAction: 'ballot.cast' | 'ballot.paper_entered' | null,
): Promise<BallotOutcome & { photoId: string | null }> {
	const window = await lockRoundWindow(tx, s.round.id, 'share');
	const phase = window ? roundPhase(window, window.now) : 'draft';
	if (phase !== 'open') {
		throw new DomainError('closed', phase === 'closed' ? 'ballots.roundClosed' : 'ballots.notOpen');
	}
	if (s.household.ownerUnits > 1) {
		// The head delta is computed from the owner's other flats: their ballots go one by one.
		await tx.execute(
			sql`select pg_advisory_xact_lock(${sql.raw(String(OWNER_LOCK_KEY))},
				hashtext(${`${s.round.id}:${s.household.ownerKey}`}))`,
		);
	}
	const photoId =
		typeof s.photo === 'string'
			? s.photo
			: s.photo
				? await savePreparedImage(tx, s.enteredBy!, s.photo)
				: null;
	const { before, ...outcome } = await upsertBallot(tx, s, photoId);
	if (auditAction) {
		await appendAudit(tx, {
			actorId: s.actor.id,
			actorKind: s.actor.kind,
			action: auditAction,
			targetType: 'household',
			targetId: s.household.householdId,
			communityId: s.round.communityId,
			details: {
				roundId: s.round.id,
				revision: outcome.revision,
				counted: outcome.counted,
				conflict: outcome.conflict,
				...(photoId ? { photo: photoId } : {}),
			},
		});
	}
	if (outcome.counted) {
		const siblings =
			s.household.ownerUnits > 1
				? await loadSiblings(tx, { ...s.household, roundId: s.round.id })
				: [];
		const deltas = ballotDelta({
			items: s.round.items,
			household: s.household,
			siblings,
			before,
			after: s.choices,
		});
		await addToTallies(tx, s.round.id, deltas);
		await countResponse(tx, s, outcome.revision === 1);
	}
	return { ...outcome, photoId };
}

type Upserted = BallotOutcome & { before: Choices | null };

/**
 * The ballot row and its revision. An online submission always replaces the counted ballot (the
 * last to take the row lock is the latest); a paper form only when it was filled in no earlier
 * than the ballot it meets. The upsert returns the choices it replaced (`prev_choices`, written
 * under the row lock), so the deltas are exact whatever runs concurrently. An older paper form
 * only adds an uncounted revision and flags the conflict.
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
		filled_at: string | Date;
	}>(
		tx,
		sql`insert into ballots as b (round_id, household_id, revision, choices, prev_choices, overall,
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
			returning b.id, b.revision, b.prev_choices, b.conflict, b.filled_at`,
	);
	if (row) {
		const prev =
			typeof row.prev_choices === 'string' ? JSON.parse(row.prev_choices) : row.prev_choices;
		await insertRevision(
			tx,
			s,
			Number(row.id),
			row.revision,
			photoId,
			new Date(row.filled_at),
			true,
		);
		return {
			ballotId: Number(row.id),
			revision: row.revision,
			counted: true,
			conflict: row.conflict,
			before: row.revision === 1 ? null : (prev as Choices),
		};
	}
	const [older] = await tx
		.update(ballots)
		.set({ revision: sql`${ballots.revision} + 1`, conflict: true, reviewedBy: null })
		.where(and(eq(ballots.roundId, s.round.id), eq(ballots.householdId, s.household.householdId)))
		.returning({ id: ballots.id, revision: ballots.revision });
	await insertRevision(tx, s, older!.id, older!.revision, photoId, s.filledAt!, false);
	return {
		ballotId: older!.id,
		revision: older!.revision,
		counted: false,
		conflict: true,
		before: null,
	};
}

async function insertRevision(
	tx: Tx,
	s: Submission,
	ballotId: number,
	revision: number,
	photoId: string | null,
	filledAt: Date,
	counted: boolean,
): Promise<void> {
	await tx.execute(sql`
		insert into ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
		values (${ballotId}, ${s.round.id}, ${s.household.householdId}, ${revision},
			${JSON.stringify(s.choices)}::jsonb, ${s.overall}::ballot_choice, ${s.comment},
			${s.channel}::ballot_channel, ${s.castBy}, ${s.enteredBy}, ${photoId},
			${filledAt.toISOString()}::timestamptz, ${counted})`);
}

/**
 * Adds the deltas to the round's tally rows. The rows are locked first in key order (the order
 * `ballotDelta` sorts them in), so concurrent ballots of one scope queue instead of deadlocking.
 */
async function addToTallies(tx: Tx, roundId: number, deltas: TallyDelta[]): Promise<void> {
	if (deltas.length === 0) return;
	const keys = sql.join(
		deltas.map((d) => sql`(${d.level}::tally_level, ${d.itemId}::int, ${d.scopeId}::int)`),
		sql`, `,
	);
	const locked = await queryRows<{ n: number }>(
		tx,
		sql`select 1 as n from round_tallies
		    where round_id = ${roundId} and (level, round_item_id, scope_id) in (${keys})
		    order by level, round_item_id, scope_id for update`,
	);
	if (locked.length !== deltas.length) {
		throw new Error(
			`round ${roundId}: ${deltas.length} tally rows expected, ${locked.length} found`,
		);
	}
	const values = sql.join(
		deltas.map(
			(d) => sql`(${d.level}::tally_level, ${d.itemId}::int, ${d.scopeId}::int,
				${d.agree}::int, ${d.disagree}::int, ${d.abstain}::int, ${d.agreeArea}::bigint,
				${d.disagreeArea}::bigint, ${d.abstainArea}::bigint, ${d.headsParticipating}::int,
				${d.headsApproving}::int)`,
		),
		sql`, `,
	);
	await tx.execute(sql`
		update round_tallies t set
			agree = t.agree + d.a, disagree = t.disagree + d.d, abstain = t.abstain + d.x,
			agree_area = t.agree_area + d.aa, disagree_area = t.disagree_area + d.da,
			abstain_area = t.abstain_area + d.xa,
			heads_participating = t.heads_participating + d.hp,
			heads_approving = t.heads_approving + d.ha
		from (values ${values}) as d(l, i, s, a, d, x, aa, da, xa, hp, ha)
		where t.round_id = ${roundId} and t.level = d.l and t.round_item_id = d.i and t.scope_id = d.s`);
}

/** A household's first ballot counts in its compound's and building's coverage; every counted one moves the round's version. */
async function countResponse(tx: Tx, s: Submission, first: boolean): Promise<void> {
	if (first) {
		await tx.execute(sql`
			update round_coverage set responded = responded + 1
			where round_id = ${s.round.id}
			  and ((level = 'compound' and scope_id = ${s.household.compoundId})
			    or (level = 'building' and scope_id = ${s.household.buildingId}))`);
	}
	await tx.execute(sql`
		insert into round_versions as rv (round_id, shard, version)
		values (${s.round.id}, ${s.household.householdId % VERSION_SHARDS}, 1)
		on conflict (round_id, shard) do update set version = rv.version + 1`);
}
