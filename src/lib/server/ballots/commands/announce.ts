/**
 * "A round opened for my household" (PRODUCT capability 6): every bound member of the households
 * in a round's scope gets an in-app notification, and an SMS copy when they opted in
 * (notifications/sms.ts), exactly once per round. A round opens for ballots at `opensAt`, which
 * may be when staff open it or later: `openRound` notifies in its own transaction when the time
 * has passed, and otherwise queues a job for that time. Both go through `notifyRoundOpened`,
 * whose conditional update of `rounds.open_notified_at` lets only one transaction ever notify,
 * however often the open is triggered or the job runs.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../../../../db/client.ts';
import { appendAudit } from '../../audit/index.ts';
import { enqueue } from '../../jobs/index.ts';
import { notifyHouseholds } from '../../notifications/index.ts';
import type { RoundInfo } from '../types.ts';

export const ROUND_OPENED_JOB = 'ballots.round_opened';

export type Announcement =
	| { state: 'sent'; recipients: number; communityId: number }
	| { state: 'already' | 'not_due' | 'closed' | 'missing' };

/**
 * Notifies the round's households that it is open, unless that was done before, it has not
 * opened yet (a draft, or before `opensAt`) or it has closed meanwhile (nobody is told about a
 * round they can no longer answer). Runs in the caller's transaction; the database clock
 * decides. Returns what happened.
 */
export async function notifyRoundOpened(tx: Tx, roundId: number): Promise<Announcement> {
	const [row] = await queryRows<Record<string, unknown>>(
		tx,
		sql`update rounds r set open_notified_at = clock_timestamp()
		    from projects p
		    where r.id = ${roundId} and p.id = r.project_id and r.open_notified_at is null
		      and r.opened_at is not null and r.opens_at <= clock_timestamp()
		      and r.closes_at > clock_timestamp()
		    returning r.title, r.title_en, r.closes_at, p.id as project_id, p.name, p.name_en,
		              p.community_id`,
	);
	if (!row) return { state: await whyNot(tx, roundId) };
	const households = await queryRows<{ household_id: number }>(
		tx,
		sql`select household_id from round_households where round_id = ${roundId} order by household_id`,
	);
	const recipients = await notifyHouseholds(
		tx,
		households.map((h) => Number(h.household_id)),
		{
			kind: 'round.opened',
			params: {
				project: String(row.name),
				projectEn: String(row.name_en),
				title: String(row.title),
				titleEn: String(row.title_en),
				deadline: new Date(row.closes_at as string).toISOString(),
			},
			link: `/rounds/${roundId}`,
			projectId: Number(row.project_id),
		},
	);
	return { state: 'sent', recipients, communityId: Number(row.community_id) };
}

async function whyNot(
	tx: Tx,
	roundId: number,
): Promise<'already' | 'not_due' | 'closed' | 'missing'> {
	const [row] = await queryRows<Record<string, unknown>>(
		tx,
		sql`select open_notified_at is not null as notified, opened_at is null as draft,
		           opens_at > clock_timestamp() as early
		    from rounds where id = ${roundId}`,
	);
	if (!row) return 'missing';
	if (row.notified) return 'already';
	return row.draft || row.early ? 'not_due' : 'closed';
}

/**
 * In `openRound`'s transaction: notifies now when the round is already open for ballots, or
 * queues the notification job for `opensAt` (one job per round ever, by its key). Returns what
 * the round's audit entry records.
 */
export async function announceRoundOpening(
	tx: Tx,
	round: Pick<RoundInfo, 'id' | 'opensAt'>,
): Promise<{ notified: number } | { notifyAt: string }> {
	const now = await notifyRoundOpened(tx, round.id);
	if (now.state === 'sent') return { notified: now.recipients };
	if (now.state !== 'not_due') return { notified: 0 };
	await enqueue(tx, {
		kind: ROUND_OPENED_JOB,
		key: `round:${round.id}`,
		payload: { roundId: round.id },
		runAt: round.opensAt,
	});
	return { notifyAt: round.opensAt.toISOString() };
}

/**
 * The job at a round's opening time: notifies its households (audited as a system action) or
 * finds it was done. A job that ran before the opening time throws, so the queue retries it.
 */
export async function runRoundOpenedJob(db: Db, payload: { roundId: number }): Promise<void> {
	const roundId = Number(payload.roundId);
	if (!Number.isSafeInteger(roundId)) return;
	const outcome = await db.transaction(async (tx) => {
		const announced = await notifyRoundOpened(tx, roundId);
		if (announced.state === 'sent') {
			await appendAudit(tx, {
				actorId: null,
				actorKind: 'system',
				action: 'round.open_notified',
				targetType: 'round',
				targetId: roundId,
				communityId: announced.communityId,
				details: { recipients: announced.recipients },
			});
		}
		return announced.state;
	});
	if (outcome === 'not_due') throw new Error(`round ${roundId} has not opened yet`);
}
