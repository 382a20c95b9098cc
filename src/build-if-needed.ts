import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverEntry = path.join(projectRoot, 'dist', 'server', 'entry.mjs');

function newestMtime(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(target))
		newest = Math.max(newest, newestMtime(path.join(target, name)));
	return newest;
}

/** True when any source the server is built from is newer than the built entry. */
export function buildIsStale(): boolean {
	const built = existsSync(serverEntry) ? statSync(serverEntry).mtimeMs : 0;
	const inputs = ['src', 'public', 'db', 'astro.config.mjs', 'package.json'];
	return Math.max(...inputs.map((p) => newestMtime(path.join(projectRoot, p)))) > built;
}

/** Runs `astro build` when the build is missing or stale; returns false if the build failed. */
export function buildIfNeeded(log: (line: string) => void = () => {}): boolean {
	if (!buildIsStale()) return true;
	log('building the site (sources changed since the last build)…');
	const result = spawnSync('npx', ['astro', 'build'], {
		cwd: projectRoot,
		stdio: 'inherit',
		env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
	});
	return result.status === 0;
}
