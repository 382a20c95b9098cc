import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BareServer = { url: string; stop(): Promise<void> };

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-server.ts');

/** Starts tests/bench/bare-server.ts in `mode` and resolves once it listens on loopback. */
export async function startBareServer(
	mode: 'static' | 'pg',
	env: Record<string, string>,
): Promise<BareServer> {
	const child = spawn(process.execPath, [script, mode], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited;
	};
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`bare ${mode} server did not start:\n${output}`)),
			15_000,
		);
		child.stderr.on('data', (chunk) => (output += chunk));
		child.stdout.on('data', (chunk) => {
			output += chunk;
			const match = /listening (\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`bare ${mode} server exited (${code}):\n${output}`));
		});
	}).catch(async (error) => {
		await stop();
		throw error;
	});
	return { url: `http://127.0.0.1:${port}`, stop };
}
