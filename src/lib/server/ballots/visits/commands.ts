/**
 * Recording door visits (入户) of a consultation round: committee staff note, per household,
 * what the visit found. One row per visit; the latest is what the visit list and the planner
 * show. Sending the same form again (same idempotency key) records nothing new.
 */
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import { doorVisits } from '../../../../../db/schema/visits.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadRound, loadScopeHousehold } from '../load.ts';
import { roundPhase } from '../phase.ts';
import { requireCommittee } from '../policy.ts';
import { comeBackDateProblem } from './plan.ts';
import type { RecordVisitInput, VisitOutcome } from './schemas.ts';

export type VisitRecorded = {
	visitId: number;
	householdId: number;
	outcome: VisitOutcome;
	/** The form had been sent before: the visit recorded then is returned, nothing written. */
	repeated: boolean;
};

/**
 * Records a door visit of a household in the round's scope while the round is open, with who
 * (the staff member) and when (now); audited in the same transaction. A come-back visit needs
 * a date from today (Beijing) within a year; other outcomes ignore the date.
 * Errors: forbidden (resident), not_found (round, another community, household out of scope),
 * closed (round not open), invalid (date), conflict (the key was used for another household).
 */
export async function recordVisit(
	db: Db,
	actor: Actor | null,
	input: RecordVisitInput,
	now = new Date(),
): Promise<VisitRecorded> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'ballot.enter_paper', round.communityId);
	if (!round.openedAt) throw new DomainError('not_found', 'error.notFound');
	const household = await loadScopeHousehold(db, round.id, input.householdId);
	if (!household) throw new DomainError('not_found', 'visits.notInScope');
	const comeBackOn = input.outcome === 'come_back' ? (input.comeBackOn ?? '') : null;
	if (comeBackOn !== null) {
		const problem = comeBackDateProblem(comeBackOn, now);
		if (problem) throw new DomainError('invalid', problem);
	}
	return db.transaction(async (tx) => {
		const phase = roundPhase(round, now);
		if (phase !== 'open') {
			throw new DomainError(
				'closed',
				phase === 'closed' ? 'ballots.roundClosed' : 'ballots.notOpen',
			);
		}
		const [row] = await tx
			.insert(doorVisits)
			.values({
				roundId: round.id,
				householdId: household.householdId,
				outcome: input.outcome,
				comeBackOn,
				note: input.note,
				visitedBy: staff.userId,
				visitedAt: now,
				idempotencyKey: input.key,
			})
			.onConflictDoNothing({ target: [doorVisits.visitedBy, doorVisits.idempotencyKey] })
			.returning({ id: doorVisits.id });
		if (!row) return sentBefore(tx, staff.userId, input);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'ballot.door_visit',
			targetType: 'household',
			targetId: household.householdId,
			communityId: round.communityId,
			details: { roundId: round.id, visit: row.id, outcome: input.outcome },
		});
		return {
			visitId: row.id,
			householdId: household.householdId,
			outcome: input.outcome,
			repeated: false,
		};
	});
}

/** The visit an earlier sending of the same form recorded. */
async function sentBefore(tx: Tx, userId: string, input: RecordVisitInput): Promise<VisitRecorded> {
	const [earlier] = await tx
		.select()
		.from(doorVisits)
		.where(and(eq(doorVisits.visitedBy, userId), eq(doorVisits.idempotencyKey, input.key)));
	if (!earlier || earlier.roundId !== input.roundId || earlier.householdId !== input.householdId) {
		throw new DomainError('conflict', 'visits.formExpired');
	}
	return {
		visitId: earlier.id,
		householdId: earlier.householdId,
		outcome: earlier.outcome,
		repeated: true,
	};
}
