import type { Executor } from '../../../../db/client.ts';
import { opinions } from '../../../../db/schema/index.ts';
import type { Alignment, OpinionChannel } from './types.ts';

/** An opinion staff received outside the portal: at a meeting, by phone or on paper. */
export type ReceivedOpinion = {
	planVersionId: number;
	body: string;
	alignment?: Alignment;
	/** The household it came from, shown as its building ("3号楼住户"); none for a meeting. */
	householdId?: number;
	authorBuilding?: string;
	/** When it was received; defaults to now. */
	createdAt?: Date;
};

/**
 * Writes opinions received offline (居民议事会 / 夜谈会, phone, paper) inside the caller's
 * transaction. They are published at once (staff wrote them down, so there is nothing to
 * screen), have no account behind them, and get answers and counts like any other. The caller
 * checks its own policy and writes the audit entry in the same transaction.
 *
 * @returns the new opinions' ids, in the order given.
 */
export async function recordReceivedOpinions(
	tx: Executor,
	channel: Exclude<OpinionChannel, 'online'>,
	entries: readonly ReceivedOpinion[],
): Promise<number[]> {
	if (entries.length === 0) return [];
	const rows = await tx
		.insert(opinions)
		.values(entries.map((entry) => ({ ...entry, channel, state: 'published' as const })))
		.returning({ id: opinions.id });
	return rows.map((row) => row.id);
}
