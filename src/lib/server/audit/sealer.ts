import type { Db } from '../../../../db/client.ts';
import { logger } from '../shared/index.ts';
import { SEAL_LIMIT, sealAudit } from './commands.ts';

export type AuditSealer = {
	/** Stops sealing; resolves once the pass in progress (if any) has finished. Idempotent. */
	stop(): Promise<void>;
};

export type AuditSealerOptions = {
	/** Pause between passes that found nothing more to seal, default 250 ms. */
	intervalMs?: number;
	/** Entries per pass (one transaction), default 5,000. */
	limit?: number;
	log?: Pick<typeof logger, 'error'>;
};

/** The longest pause after repeated failures. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Seals the audit log in the background (see sealAudit): a pass every `intervalMs`, at once
 * again while a pass fills its limit. Every instance may run one; the seal lock makes them take
 * turns. A failed pass (database down, an entry that cannot be hashed) is logged and retried,
 * backing off to at most 30 s; it never stops the loop. The timer is unref'd, so it never keeps
 * the process alive by itself. Throws a RangeError for bad options.
 */
export function startAuditSealer(db: Db, options: AuditSealerOptions = {}): AuditSealer {
	const intervalMs = options.intervalMs ?? 250;
	const limit = options.limit ?? SEAL_LIMIT;
	const log = options.log ?? logger;
	if (!Number.isInteger(intervalMs) || intervalMs < 1) {
		throw new RangeError('intervalMs must be a whole number of milliseconds, at least 1');
	}
	if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
	let stopping = false;
	let wake: (() => void) | null = null;

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				wake = null;
				resolve();
			};
			const timer = setTimeout(done, ms);
			timer.unref();
			wake = done;
		});

	const loop = (async () => {
		let failures = 0;
		while (!stopping) {
			let sealed = 0;
			try {
				sealed = await sealAudit(db, { limit });
				failures = 0;
			} catch (error) {
				failures++;
				log.error({ err: error, failures }, 'audit: sealing failed; retrying');
			}
			if (stopping) break;
			if (sealed === limit) continue; // more may be waiting
			await sleep(failures ? Math.min(intervalMs * 2 ** failures, MAX_BACKOFF_MS) : intervalMs);
		}
	})();

	let stopped: Promise<void> | null = null;
	return {
		stop() {
			stopped ??= (async () => {
				stopping = true;
				wake?.();
				await loop;
			})();
			return stopped;
		},
	};
}
