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

/** China Standard Time (no daylight saving): staff enter local times, the database keeps UTC. */
const CHINA_OFFSET = '+08:00';

/**
 * A `datetime-local` value ("2026-05-01T09:00") read as Beijing time. Throws RangeError on
 * anything else.
 */
export function parseChinaTime(value: string): Date {
	const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
	if (!match) throw new RangeError(`not a local date and time: ${value}`);
	const date = new Date(`${match[1]}${match[2] ?? ':00'}${CHINA_OFFSET}`);
	if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: ${value}`);
	return date;
}

/** A date as a `datetime-local` value in Beijing time, for form defaults. */
export function toChinaLocalInput(date: Date): string {
	return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}
