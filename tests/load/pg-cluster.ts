import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * A PostgreSQL cluster of our own for the fault tests (Debian's pg_createcluster), so that
 * stopping and restarting the database disturbs nobody else's server. Trust authentication on
 * loopback only; removed again by `drop()`. Needs root (pg_ctlcluster runs the server as the
 * postgres user) — as on this machine and in CI.
 */
export type Cluster = {
	version: string;
	name: string;
	port: number;
	url(database: string): string;
	stop(mode?: 'fast' | 'immediate'): void;
	start(): void;
	drop(): void;
};

function run(command: string, args: string[]): string {
	const result = spawnSync(command, args, { encoding: 'utf8' });
	if (result.error) throw new Error(`${command}: ${result.error.message}`);
	if (result.status !== 0)
		throw new Error(
			`${command} ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`,
		);
	return result.stdout;
}

function waitReady(port: number, timeoutMs = 30_000): void {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const ready = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']);
		if (ready.status === 0) return;
		spawnSync('sleep', ['0.2']);
	}
	throw new Error(`PostgreSQL on port ${port} did not become ready`);
}

/** Creates (or reuses) and starts cluster `name` on `port`. */
export function ensureCluster(name: string, port: number): Cluster {
	const version = readdirSync('/etc/postgresql').sort().at(-1);
	if (!version) throw new Error('no PostgreSQL installed (/etc/postgresql is empty)');
	const existing = run('pg_lsclusters', ['--no-header']);
	if (!existing.split('\n').some((line) => line.split(/\s+/)[1] === name)) {
		run('pg_createcluster', [
			version,
			name,
			'--port',
			String(port),
			'--start-conf',
			'manual',
			'--',
			'--auth=trust',
			'--encoding=UTF8',
			'--locale=C.UTF-8',
		]);
	}
	const ctl = (action: string, ...extra: string[]) =>
		run('pg_ctlcluster', ['--skip-systemctl-redirect', ...extra, version, name, action]);
	const cluster: Cluster = {
		version,
		name,
		port,
		url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
		stop: (mode = 'fast') => void ctl('stop', '--mode', mode),
		start() {
			ctl('start');
			waitReady(port);
		},
		drop() {
			spawnSync('pg_dropcluster', ['--stop', version, name]);
		},
	};
	const status = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']);
	if (status.status !== 0) cluster.start();
	return cluster;
}
