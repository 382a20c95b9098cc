/**
 * What a final plan (上墙公示) must meet before it is published:
 * - no item residents refused in a deciding round (居民不同意不宜改造, seeds/002);
 * - opinions from at least 2/3 of the households of every compound (收取的意见不得少于户数的
 *   三分之二, seeds/000), counted as the best whole-compound plan-opinion round.
 * A district admin may publish anyway with a written reason, which is audited and shown on the
 * public plan page.
 */
import type { Executor } from '../../../../db/client.ts';
import { meetsThreshold, TWO_THIRDS } from '../ballots/rules.ts';
import {
	listPlanOpinionCoverage,
	listRefusalsInPlan,
	type CompoundCoverage,
	type Refusal,
} from '../ballots/verdicts.ts';
import type { MessageKey, Params } from '../../../i18n/index.ts';

export type GateBlocker =
	({ gate: 'refused' } & Refusal) | ({ gate: 'coverage' } & CompoundCoverage);

/** The compounds whose plan-opinion coverage is under 2/3 of their households. */
export function coverageShortfalls(rows: readonly CompoundCoverage[]): CompoundCoverage[] {
	return rows.filter((r) => !meetsThreshold(BigInt(r.responded), BigInt(r.households), TWO_THIRDS));
}

/** Every reason the version may not become the final plan; empty when it may. */
export async function finalPlanBlockers(
	db: Executor,
	version: { id: number; projectId: number },
): Promise<GateBlocker[]> {
	const [refusals, coverage] = await Promise.all([
		listRefusalsInPlan(db, version.id),
		listPlanOpinionCoverage(db, version.projectId),
	]);
	return [
		...refusals.map((r) => ({ gate: 'refused' as const, ...r })),
		...coverageShortfalls(coverage).map((c) => ({ gate: 'coverage' as const, ...c })),
	];
}

/** The message a person reads for a blocker: it names the item and the round, or the compound. */
export function blockerMessage(blocker: GateBlocker): { key: MessageKey; params: Params } {
	if (blocker.gate === 'refused') {
		return {
			key: 'plans.gate.refused',
			params: {
				item: blocker.name,
				itemEn: blocker.nameEn,
				round: blocker.roundTitle,
				roundEn: blocker.roundTitleEn,
			},
		};
	}
	return {
		key: 'plans.gate.coverage',
		params: {
			compound: blocker.name,
			compoundEn: blocker.nameEn,
			responded: blocker.responded,
			households: blocker.households,
		},
	};
}
