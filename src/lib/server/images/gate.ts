import { ImageError } from './errors.ts';

export type GateOptions = {
	/** Tasks running at once. */
	concurrency: number;
	/** Tasks allowed to wait; one more is refused with `image_busy`. */
	maxQueued: number;
};

export type Gate = {
	/** Runs `task` when a slot is free (first come, first served); the slot is freed however it ends. */
	run<T>(task: () => Promise<T>): Promise<T>;
	stats(): { active: number; queued: number };
};

/**
 * A counting semaphore. sharp decodes on libuv's thread pool (4 threads by default), so the
 * event loop stays free, but every pipeline holds a decoded frame in memory: a burst of uploads
 * must queue here rather than all decode at once. Two slots also leave two pool threads for
 * file and DNS work. Throws a RangeError for a bad configuration.
 */
export function createGate({ concurrency, maxQueued }: GateOptions): Gate {
	if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
		throw new RangeError(`Gate concurrency must be a positive whole number, got ${concurrency}.`);
	}
	if (!(Number.isSafeInteger(maxQueued) || maxQueued === Infinity) || maxQueued < 0) {
		throw new RangeError(`Gate maxQueued must be a whole number ≥ 0, got ${maxQueued}.`);
	}
	let active = 0;
	const waiting: (() => void)[] = [];

	// A finishing task hands its slot straight to the next waiter, so `active` never dips and a
	// newcomer cannot overtake the queue.
	function release(): void {
		const next = waiting.shift();
		if (next) next();
		else active--;
	}

	async function acquire(): Promise<void> {
		if (active < concurrency) {
			active++;
			return;
		}
		if (waiting.length >= maxQueued) {
			throw new ImageError(
				'image_busy',
				`${active} image tasks running, ${waiting.length} queued.`,
			);
		}
		await new Promise<void>((resolve) => waiting.push(resolve));
	}

	return {
		async run(task) {
			await acquire();
			try {
				return await task();
			} finally {
				release();
			}
		},
		stats: () => ({ active, queued: waiting.length }),
	};
}
