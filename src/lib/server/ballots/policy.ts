import { can, type Action } from '../policy/index.ts';
import type { Actor, ResidentActor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import type { RoundInfo } from './types.ts';

/**
 * Committee staff of the round's community (or an admin) for `action`. Residents get
 * `forbidden`; staff of another community get `not_found`, so existence is not revealed.
 */
export function requireCommittee(
	actor: Actor | null,
	action: Extract<Action, 'round.manage' | 'ballot.enter_paper' | 'results.publish'>,
	communityId: number,
): StaffActor {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!can(actor, action, { communityId })) throw new DomainError('not_found', 'error.notFound');
	return actor;
}

/** Whether the viewer is committee staff of the round (sees live tallies and the visit list). */
export const isCommittee = (actor: Actor | null, round: Pick<RoundInfo, 'communityId'>) =>
	can(actor, 'round.manage', { communityId: round.communityId });

/**
 * A member of the household may vote; in a consent round only an owner or a member an owner
 * authorised (民法典 art. 278 counts owners). Errors: unauthenticated, forbidden.
 */
export function requireVoter(
	actor: Actor | null,
	round: Pick<RoundInfo, 'consent'>,
	householdId: number,
): ResidentActor {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (!can(actor, 'household.act', { householdId })) {
		throw new DomainError('forbidden', 'ballots.notYourHousehold');
	}
	if (round.consent && !can(actor, 'household.consent', { householdId })) {
		throw new DomainError('forbidden', 'ballots.consentOnly');
	}
	return actor;
}

/** Whether the viewer may vote for the household in this round (for pages). */
export function mayVote(
	actor: Actor | null,
	round: Pick<RoundInfo, 'consent'>,
	householdId: number,
) {
	return (
		can(actor, 'household.act', { householdId }) &&
		(!round.consent || can(actor, 'household.consent', { householdId }))
	);
}
