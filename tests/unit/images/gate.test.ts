import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../../src/lib/server/images/errors.ts';
import { createGate } from '../../../src/lib/server/images/gate.ts';

/** A task that finishes when the test says so. */
function deferred<T = void>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createGate', () => {
	it('runs at most `concurrency` tasks and starts the rest first come, first served', async () => {
		const gate = createGate({ concurrency: 2, maxQueued: 10 });
		const started: number[] = [];
		const tasks = [0, 1, 2, 3].map(() => deferred());
		const runs = tasks.map((task, i) =>
			gate.run(async () => {
				started.push(i);
				await task.promise;
				return i;
			}),
		);
		await tick();
		expect(started).toEqual([0, 1]);
		expect(gate.stats()).toEqual({ active: 2, queued: 2 });

		tasks[1]!.resolve();
		await tick();
		expect(started).toEqual([0, 1, 2]);
		expect(gate.stats()).toEqual({ active: 2, queued: 1 });

		for (const task of tasks) task.resolve();
		expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
		expect(gate.stats()).toEqual({ active: 0, queued: 0 });
	});

	it('frees the slot when a task fails, and passes the failure on', async () => {
		const gate = createGate({ concurrency: 1, maxQueued: 1 });
		const failing = gate.run(async () => {
			throw new Error('decode failed');
		});
		const next = gate.run(async () => 'next ran');
		await expect(failing).rejects.toThrow('decode failed');
		await expect(next).resolves.toBe('next ran');
		expect(gate.stats()).toEqual({ active: 0, queued: 0 });
	});

	it('refuses a task beyond the queue with image_busy, without running it', async () => {
		const gate = createGate({ concurrency: 1, maxQueued: 1 });
		const hold = deferred();
		let ran = false;
		const first = gate.run(() => hold.promise);
		const second = gate.run(async () => undefined);
		const third = gate.run(async () => {
			ran = true;
		});
		await expect(third).rejects.toMatchObject({ code: 'image_busy' });
		await expect(third).rejects.toBeInstanceOf(ImageError);
		hold.resolve();
		await Promise.all([first, second]);
		expect(ran).toBe(false);
	});

	it.each([
		[{ concurrency: 0, maxQueued: 1 }],
		[{ concurrency: 1.5, maxQueued: 1 }],
		[{ concurrency: 1, maxQueued: -1 }],
		[{ concurrency: 1, maxQueued: Number.NaN }],
	])('refuses a bad configuration %o', (options) => {
		expect(() => createGate(options)).toThrow(RangeError);
	});

	it('never exceeds its concurrency, whatever the task durations (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 4 }),
				fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 }),
				async (concurrency, delays) => {
					const gate = createGate({ concurrency, maxQueued: Infinity });
					let running = 0;
					let peak = 0;
					const results = await Promise.all(
						delays.map((delay, i) =>
							gate.run(async () => {
								running++;
								peak = Math.max(peak, running);
								for (let t = 0; t <= delay; t++) await tick();
								running--;
								return i;
							}),
						),
					);
					expect(results).toEqual(delays.map((_, i) => i));
					expect(peak).toBe(Math.min(concurrency, delays.length));
					expect(gate.stats()).toEqual({ active: 0, queued: 0 });
				},
			),
			{ numRuns: 50 },
		);
	});
});
