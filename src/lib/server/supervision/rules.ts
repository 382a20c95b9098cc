/**
 * The draw by lot for the residents' supervision group (居民监督小组, seed 000). Public and
 * re-runnable: each volunteer's ticket is SHA-256 of the published seed, a colon and the
 * volunteer's number (UTF-8, lowercase hex); tickets sort ascending (as text) and the first
 * `seats` volunteers are drawn. Anyone can check it, e.g.
 * `printf '%s' 'SEED:17' | sha256sum` for volunteer 17.
 */
import { createHash } from 'node:crypto';

export const SEED_PATTERN = /^[\w\-.:]{4,64}$/;

export function ticket(seed: string, volunteerId: number): string {
	return createHash('sha256').update(`${seed}:${volunteerId}`, 'utf8').digest('hex');
}

export type DrawEntry = { id: number; ticket: string; drawn: boolean };

/**
 * Orders the candidates by ticket and marks the first `seats` as drawn. Throws RangeError when
 * `seats` is not between 1 and the number of candidates, or a candidate is listed twice.
 */
export function drawByLot(
	seed: string,
	candidateIds: readonly number[],
	seats: number,
): DrawEntry[] {
	if (new Set(candidateIds).size !== candidateIds.length) {
		throw new RangeError('a volunteer is listed twice');
	}
	if (!Number.isInteger(seats) || seats < 1 || seats > candidateIds.length) {
		throw new RangeError('seats must be between 1 and the number of volunteers');
	}
	return candidateIds
		.map((id) => ({ id, ticket: ticket(seed, id) }))
		.sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.id - b.id))
		.map((entry, rank) => ({ ...entry, drawn: rank < seats }));
}
