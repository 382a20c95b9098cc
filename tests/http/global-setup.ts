import { buildIfNeeded } from '../../src/build-if-needed.ts';

/** The HTTP suites test the built server: build it once, before any file starts one. */
export default function setup(): void {
	if (!buildIfNeeded((line) => process.stdout.write(`${line}\n`))) {
		throw new Error('astro build failed');
	}
}
