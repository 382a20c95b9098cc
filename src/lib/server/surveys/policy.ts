import { can } from '../policy/index.ts';
import type { Actor, ResidentActor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';

/**
 * Committee staff of the survey's community (or an admin). Residents get `forbidden`; staff
 * of another community get `not_found`, so existence elsewhere is not revealed.
 */
export function requireSurveyStaff(
	actor: Actor | null,
	action: 'survey.manage' | 'results.publish',
	communityId: number,
): StaffActor {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!can(actor, action, { communityId })) throw new DomainError('not_found', 'error.notFound');
	return actor;
}

/** Whether the viewer manages this survey (sees who responded, never what they answered). */
export const managesSurvey = (actor: Actor | null, communityId: number) =>
	can(actor, 'survey.manage', { communityId });

/**
 * Any bound member of the household may answer a satisfaction survey (PRODUCT capability 4:
 * surveys are open to every member). Errors: unauthenticated, forbidden.
 */
export function requireRespondent(actor: Actor | null, householdId: number): ResidentActor {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (!can(actor, 'household.act', { householdId })) {
		throw new DomainError('forbidden', 'surveys.notYourHousehold');
	}
	return actor;
}
