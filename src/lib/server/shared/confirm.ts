import { DomainError } from './errors.ts';

/**
 * What staff send with a step that cannot be undone (closing or publishing a round or a survey):
 * the box ticked on its confirmation page and, when closing early below the participation
 * target, a written reason.
 */
export type Confirmation = { confirm: boolean; reason?: string };

/** A reason shorter than this is not an explanation residents can read. */
export const MIN_REASON_LENGTH = 4;

/**
 * Refuses a step that cannot be undone unless it was confirmed on its confirmation page (a
 * request sent straight to the action, a script's call without `confirm`).
 * Errors: invalid (committee.confirmRequired).
 */
export function requireConfirmed(confirmation: Confirmation): void {
	if (confirmation.confirm !== true) throw new DomainError('invalid', 'committee.confirmRequired');
}

/**
 * The reason stored with an early close: required when participation is below target (it is
 * shown with the public results and kept in the audit log), else whatever was written.
 * Errors: invalid (committee.confirmRequired, committee.reasonRequired).
 */
export function earlyCloseReason(confirmation: Confirmation, belowTarget: boolean): string {
	requireConfirmed(confirmation);
	const reason = (confirmation.reason ?? '').trim();
	if (belowTarget && [...reason].length < MIN_REASON_LENGTH) {
		throw new DomainError('invalid', 'committee.reasonRequired');
	}
	return reason.slice(0, 1000);
}
