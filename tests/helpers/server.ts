import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/build-if-needed.ts';

export type RunningServer = {
	url: string;
	port: number;
	process: ChildProcess;
	output: () => string;
	stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** A throwaway folder for an embedded database, removed by the returned function. */
export function tempDir(prefix = 'gj-'): { dir: string; remove(): void } {
	const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `node src/start.ts` (the built server) with the given environment. */
export function spawnServer(env: Record<string, string>): ChildProcess {
	return spawn(process.execPath, ['src/start.ts'], {
		cwd: projectRoot,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			NODE_ENV: 'test',
			LOG_LEVEL: 'warn',
			GONGJIAN_SKIP_BUILD: '1',
			HOST: '127.0.0.1',
			// Tests read sign-in codes from /dev/outbox: asked for explicitly, on loopback.
			SMS_SENDER: 'dev',
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/** Starts the built server and waits until /readyz answers 200 (or the process dies). */
export async function startServer(
	env: Record<string, string> = {},
	timeoutMs = 60_000,
): Promise<RunningServer> {
	const port = Number(env.PORT ?? (await freePort()));
	const child = spawnServer({ ...env, PORT: String(port) });
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become ready:\n${output}`);
		}
		try {
			const response = await fetch(`${url}/readyz`);
			if (response.status === 200) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
	return {
		url,
		port,
		process: child,
		output: () => output,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null) child.kill(signal);
			return exited;
		},
	};
}

/** Runs the server expecting it to exit; resolves with its exit code and output. */
export async function runToExit(
	env: Record<string, string>,
	timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
	const child = spawnServer(env);
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
	clearTimeout(timer);
	return { code, output };
}
