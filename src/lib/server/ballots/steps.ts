/**
 * What the confirmation pages of a round's irreversible steps show (closing early, publishing
 * results): participation per compound and building against the target, and who will hear of
 * it. The commands re-check everything; this only informs the person confirming.
 */
import type { Executor } from '../../../../db/client.ts';
import type { Actor } from '../policy/index.ts';
import { getCoverage, listPublishedVersions } from './queries/results.ts';
import { getRoundForViewer } from './queries/rounds.ts';
import type { CoverageView, RoundInfo, RoundPhase } from './types.ts';

export type RoundStepView = {
	round: RoundInfo;
	phase: RoundPhase;
	coverage: CoverageView;
	/** Versions already published: the next one is a correction when there are any. */
	publishedVersions: number;
	/** Households told when results are published: those with a ballot (notifyResultsPublished). */
	notifies: number;
	/** Whether a published version records verdicts on menu items for the final-plan gates. */
	recordsVerdicts: boolean;
};

/**
 * The view of an opened round for its committee, or null (not found, not opened, or not this
 * viewer's community: staff of another community see "not found").
 */
export async function getRoundStepView(
	db: Executor,
	actor: Actor | null,
	roundId: number,
): Promise<RoundStepView | null> {
	const page = await getRoundForViewer(db, actor, roundId);
	if (!page?.committee || !page.round.openedAt) return null;
	const [coverage, versions] = await Promise.all([
		getCoverage(db, page.round),
		listPublishedVersions(db, roundId),
	]);
	return {
		round: page.round,
		phase: page.phase,
		coverage,
		publishedVersions: versions.length,
		notifies: coverage.responded,
		recordsVerdicts: page.round.kind !== 'needs' && page.round.items.some((i) => i.itemId !== null),
	};
}
