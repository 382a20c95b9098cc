/** A household's ballot and the resident's open rounds. */
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows, type Executor } from '../../../../../db/client.ts';
import { ballotRevisions, ballots } from '../../../../../db/schema/ballots.ts';
import { users } from '../../../../../db/schema/people.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';

const num = (value: unknown) => Number(value);

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
