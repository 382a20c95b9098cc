/** Pure helpers about a round's window and coverage target. */
import type { RoundPhase } from './types.ts';

/**
 * Where a round stands at `now`: the window is [opensAt, closesAt) — a ballot at the closing
 * instant is late. A round that was never opened (scope not frozen) is a draft.
 */
export function roundPhase(
	round: { openedAt: Date | null; opensAt: Date; closesAt: Date },
	now: Date,
): RoundPhase {
	if (round.openedAt === null) return 'draft';
	if (now.getTime() < round.opensAt.getTime()) return 'scheduled';
	if (now.getTime() < round.closesAt.getTime()) return 'open';
	return 'closed';
}

/**
 * The 2/3 coverage target of seeds/000 ("收取的意见不得少于户数的三分之二"), exactly:
 * responded / households ≥ num / den by cross-multiplication. No households: not met.
 */
export function coverageMet(
	responded: number,
	households: number,
	target: { num: number; den: number },
): boolean {
	return households > 0 && responded * target.den >= households * target.num;
}
