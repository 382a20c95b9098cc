import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../../../../db/client.ts';
import { roundItemVerdicts, roundResults } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/index.ts';
import { notifyResultsPublished } from '../../notifications/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError, requireConfirmed } from '../../shared/index.ts';
import { loadRound, lockRoundWindow } from '../load.ts';
import { roundPhase } from '../phase.ts';
import { requireCommittee } from '../policy.ts';
import { getLiveResultsUncached } from '../queries/results.ts';
import { resultsDigest, verifyRound } from '../recount.ts';
import type { ResultsView, RoundInfo } from '../types.ts';

/** Thrown when the aggregates disagree with a recount: nothing is published (a bug, not input). */
export class TallyMismatchError extends Error {
	override name = 'TallyMismatchError';
	readonly roundId: number;
	readonly problems: string[];
	constructor(roundId: number, problems: string[]) {
		super(
			`round ${roundId}: the tallies differ from a recount: ${problems.slice(0, 5).join('; ')}`,
		);
		this.roundId = roundId;
		this.problems = problems;
	}
}

/**
 * Publishes a closed round's results (公示) as a new immutable version: a correction is a new
 * version with a note, never an edit. First recounts from the stored ballots and refuses to
 * publish if the aggregates differ (TallyMismatchError). Records each menu item's verdicts for
 * the project, so an item residents refused cannot enter the final plan without a new round
 * (居民不同意不宜改造, seeds/002). Committee staff only.
 * Only once staff confirmed it on the confirmation page (`confirm`).
 * Errors: forbidden, not_found, closed (the round has not closed yet), invalid (not confirmed).
 */
export async function publishResults(
	db: Db,
	actor: Actor | null,
	input: { roundId: number; note: string; confirm: boolean },
): Promise<{ version: number; digest: string; notified: number }> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'results.publish', round.communityId);
	requireConfirmed(input);
	return db.transaction(async (tx) => {
		const { version, digest, view } = await publishVersion(tx, round, input.note, staff.userId);
		return { version, digest, notified: view.coverage.responded };
	});
}

/**
 * Publishes a new version of a closed round's results in `tx`, by a committee member or, with
 * `publishedBy` null, by the system (a correction when the rules of the law are applied anew:
 * db/data-migrations.ts). Returns the version and its digest, and the view it published.
 */
export async function publishVersion(
	tx: Tx,
	round: RoundInfo,
	note: string,
	publishedBy: string | null,
	details: Record<string, unknown> = {},
): Promise<{ version: number; digest: string; view: ResultsView }> {
	const window = await lockRoundWindow(tx, round.id, 'update');
	if (!window || roundPhase(window, window.now) !== 'closed') {
		throw new DomainError('closed', 'ballots.notClosedYet');
	}
	const closed = { ...round, closesAt: window.closesAt };
	const verification = await verifyRound(tx, closed);
	const mismatches = verification.problems.filter((p) => !p.startsWith('published'));
	if (mismatches.length > 0) throw new TallyMismatchError(round.id, mismatches);
	const view = await getLiveResultsUncached(tx, closed);
	const digest = resultsDigest(view);
	const [last] = await queryRows<{ v: number }>(
		tx,
		sql`select coalesce(max(version), 0)::int as v from round_results where round_id = ${round.id}`,
	);
	const version = (last?.v ?? 0) + 1;
	const [result] = await tx
		.insert(roundResults)
		.values({ roundId: round.id, version, note, snapshot: view, digest, publishedBy })
		.returning({ id: roundResults.id });
	// What residents decided about menu items, for the plans module's gate (居民不同意不宜改造,
	// seeds/002). A needs questionnaire is non-binding: it never records a verdict.
	const deciding = round.kind !== 'needs';
	const verdicts = view.items.flatMap((item) =>
		item.itemId === null || !deciding
			? []
			: item.decisions.map((d) => ({
					roundResultId: result!.id,
					roundId: round.id,
					projectId: round.projectId,
					itemId: item.itemId!,
					roundItemId: item.id,
					level: d.level,
					scopeId: d.scopeId,
					approved: d.verdict === 'approved',
					verdict: d.verdict,
				})),
	);
	for (let i = 0; i < verdicts.length; i += 1000) {
		await tx.insert(roundItemVerdicts).values(verdicts.slice(i, i + 1000));
	}
	await appendAudit(tx, {
		actorId: publishedBy,
		actorKind: publishedBy === null ? 'system' : 'staff',
		action: 'round.results_published',
		targetType: 'round',
		targetId: round.id,
		communityId: round.communityId,
		details: { version, digest, ballots: verification.ballots, ...details },
	});
	await notifyResultsPublished(tx, round, version); // the households that took part
	return { version, digest, view };
}
