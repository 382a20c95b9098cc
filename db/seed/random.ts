import { createHash } from 'node:crypto';

/** A small deterministic PRNG (mulberry32) so the demo and the large set are reproducible. */
export function createRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}

/** Demo owner keys: a hash of a made-up certificate number, never a real identity. */
export function demoOwnerKey(n: number): string {
	return createHash('sha256').update(`demo-owner-${n}`).digest('hex');
}
