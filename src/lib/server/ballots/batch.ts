import { queryPrepared, type Db } from '../../../../db/client.ts';
import { pgErrorCode } from '../shared/errors.ts';
import { getConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';

/**
 * Group commit for ballots. Every ballot of a scope writes rows the others write too (its
 * compound's and building's tally sums, coverage, the round's version), each a new row version
 * and a lock held until the commit, and each call and commit has its own cost. Ballots that arrive
 * while the previous batch is being written wait for it and then go together, as one call of
 * `gj_record_ballots` (migrations 0025–0027): every ballot
 * is still checked and written on its own (window, scope, ballot, revision, audit entry), but the
 * shared rows are written once per batch. Under light load a ballot goes alone at once; under
 * heavy load batches grow by themselves, so nothing waits on a timer.
 *
 * A ballot is acknowledged only after its batch committed. When a batch fails with an error from
 * the server (the transaction was rolled back, nothing of it is stored), each of its ballots is
 * tried again alone, so one bad ballot cannot fail the others; an error without a SQLSTATE (the
 * connection went away, perhaps after the commit) is every ballot's error, as it would be alone.
 */

/** One ballot revision, as `gj_record_ballots` takes it (the composite type `gj_ballot_input`). */
export type BallotRecord = {
	round: number;
	household: number;
	choices: Record<string, string>;
	overall: string | null;
	comment: string;
	channel: 'online' | 'paper';
	cast_by: string | null;
	entered_by: string | null;
	photo: string | null;
	/** ISO time the paper form was filled in; null for the database clock. */
	filled_at: string | null;
	audit_action: 'ballot.cast' | 'ballot.paper_entered' | null;
	actor_id: string | null;
	actor_kind: 'resident' | 'staff' | null;
	community: number | null;
	/**
	 * What the ballot adds to its scopes' packed tally sums (tally-pack.ts, packBallot), as
	 * decimal text; null for a flat of an owner of several (the function computes those deltas).
	 */
	tally_packed: string | null;
	/**
	 * A resident's session id, checked with the ballot in its transaction: the ballot is then
	 * cast by the session's user (`cast_by` and `actor_id` are ignored), or refused as
	 * 'unauthorised' (migration 0026). Absent when the caller checked who casts the ballot.
	 */
	session?: string;
	/** ISO time the session must outlive (it is not due for extension); with `session`. */
	session_until?: string;
};

/** One row of `gj_record_ballots` (without its position). */
export type RecordedRow = {
	status: 'ok' | 'unauthorised' | 'not_open' | 'closed' | 'not_in_scope';
	ballot_id: string | number | null;
	revision: number | null;
	counted: boolean | null;
	conflict: boolean | null;
};

const RETRIES = 5;

/** Runs `work` again after a deadlock or a serialization failure (with a short random pause). */
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const code = pgErrorCode(error);
			if (attempt >= RETRIES || (code !== '40P01' && code !== '40001')) throw error;
			await new Promise((resolve) => setTimeout(resolve, 5 * attempt * Math.random()));
		}
	}
}

const BATCH_SQL = `select idx, status, ballot_id, revision, counted, conflict
	from gj_record_ballots($1::jsonb)`;

type Waiting = {
	record: BallotRecord;
	resolve: (row: RecordedRow) => void;
	reject: (error: unknown) => void;
};

export type BatchOptions = {
	/** Ballots per statement at most (a batch holds its shared rows until it commits). */
	maxBatch: number;
	/** Batches written at once by this process. */
	maxInFlight: number;
};

/** The configured batch limits (BALLOT_BATCH_MAX, BALLOT_BATCHES_IN_FLIGHT). */
export function configuredBatch(): BatchOptions {
	const config = getConfig();
	return { maxBatch: config.BALLOT_BATCH_MAX, maxInFlight: config.BALLOT_BATCHES_IN_FLIGHT };
}

/** The batches of one database handle (one per process and handle). */
export class BallotBatcher {
	readonly #db: Db;
	readonly #options: BatchOptions;
	#queue: Waiting[] = [];
	#inFlight = 0;
	/** Statements sent, ballots in them, and batches that failed and were tried ballot by ballot. */
	readonly stats = { batches: 0, ballots: 0, splits: 0 };

	constructor(db: Db, options: BatchOptions = configuredBatch()) {
		this.#db = db;
		this.#options = options;
	}

	/** Records one ballot with whatever arrives while the batch before it is written. */
	record(record: BallotRecord): Promise<RecordedRow> {
		return new Promise((resolve, reject) => {
			this.#queue.push({ record, resolve, reject });
			this.#pump();
		});
	}

	#pump(): void {
		while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
			const batch = this.#queue.splice(0, this.#options.maxBatch);
			this.#inFlight += 1;
			void this.#write(batch).finally(() => {
				this.#inFlight -= 1;
				this.#pump();
			});
		}
	}

	async #write(batch: Waiting[]): Promise<void> {
		try {
			const rows = await this.#call(batch.map((w) => w.record));
			settle(batch, rows);
		} catch (error) {
			if (batch.length === 1 || pgErrorCode(error) === undefined) {
				for (const w of batch) w.reject(error);
				return;
			}
			this.stats.splits += 1;
			logger.warn({ err: error, ballots: batch.length }, 'ballot batch failed: each alone');
			await Promise.all(
				batch.map((w) =>
					this.#call([w.record]).then(
						(rows) => settle([w], rows),
						(alone: unknown) => w.reject(alone),
					),
				),
			);
		}
	}

	#call(records: BallotRecord[]): Promise<(RecordedRow & { idx: number })[]> {
		this.stats.batches += 1;
		this.stats.ballots += records.length;
		return withRetry(() =>
			queryPrepared<RecordedRow & { idx: number }>(this.#db, BATCH_SQL, [JSON.stringify(records)]),
		);
	}
}

function settle(batch: Waiting[], rows: (RecordedRow & { idx: number })[]): void {
	const byIdx = new Map(rows.map(({ idx, ...row }) => [idx, row]));
	for (const [k, w] of batch.entries()) {
		const row = byIdx.get(k);
		if (row) w.resolve(row);
		else w.reject(new Error(`gj_record_ballots returned no row for ballot ${k}`));
	}
}

const batchers = new WeakMap<Db, BallotBatcher>();

/** This process's batcher for `db`. */
export function ballotBatcher(db: Db): BallotBatcher {
	let batcher = batchers.get(db);
	if (!batcher) {
		batcher = new BallotBatcher(db);
		batchers.set(db, batcher);
	}
	return batcher;
}
