import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { ballots } from '../../../../db/schema/index.ts';
import { notifyHouseholds } from './commands.ts';

/** What the notice needs of a round (`RoundInfo` of the ballots module has it). */
export type PublishedRound = {
	id: number;
	projectId: number;
	projectName: string;
	projectNameEn: string;
	title: string;
	titleEn: string;
};

/**
 * Tells the households that took part in a round that its results are published (公示): every
 * bound member of each household with a counted ballot, online or paper, once per published
 * version — the first as "published", a later one as a correction naming its version. Runs in
 * the publishing transaction, so the notice exists exactly when the results do. Households
 * that did not answer are not told (they heard of the round when it opened).
 *
 * @returns the number of residents notified.
 */
export async function notifyResultsPublished(
	tx: Executor,
	round: PublishedRound,
	version: number,
): Promise<number> {
	const voted = await tx
		.selectDistinct({ householdId: ballots.householdId })
		.from(ballots)
		.where(eq(ballots.roundId, round.id));
	if (voted.length === 0) return 0;
	const params = {
		project: round.projectName,
		projectEn: round.projectNameEn,
		title: round.title,
		titleEn: round.titleEn,
		version,
	};
	const common = { params, link: `/rounds/${round.id}/results`, projectId: round.projectId };
	return notifyHouseholds(
		tx,
		voted.map((v) => v.householdId),
		version === 1
			? { kind: 'round.results_published', ...common }
			: { kind: 'round.results_corrected', ...common },
	);
}
