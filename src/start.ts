/**
 * `npm start`: validate configuration, build if the sources are newer than the build, open
 * and migrate the database (seeding an empty embedded one), then serve. Stops cleanly on
 * SIGTERM/SIGINT: stop accepting, finish requests in flight (10 s at most), close the database.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import compression from 'compression';
import { buildIfNeeded, serverEntry } from './build-if-needed.ts';
import { ConfigError, getConfig, servingProblem } from './lib/server/shared/config.ts';

function fail(message: string): never {
	process.stderr.write(`gongjian: ${message}\n`);
	process.exit(1);
}

let config;
try {
	config = getConfig();
} catch (error) {
	if (error instanceof ConfigError) fail(error.message);
	throw error;
}
const problem = servingProblem(config);
if (problem) fail(problem);
process.env.PORT = String(config.PORT);
process.env.HOST = config.HOST;
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
process.env.ASTRO_TELEMETRY_DISABLED = '1';

if (process.env.GONGJIAN_SKIP_BUILD !== '1') {
	if (!buildIfNeeded((line) => process.stdout.write(`gongjian: ${line}\n`))) {
		fail('the build failed; see the messages above.');
	}
}

const { prepareDatabase, registerDatabase } = await import('./lib/server/db.ts');
const { logger } = await import('./lib/server/shared/logger.ts');

const started = performance.now();
let prepared;
try {
	prepared = await prepareDatabase(config);
} catch (error) {
	const err = error as Error & { code?: string };
	if (err.name === 'DatabaseLockedError') fail(err.message);
	if (
		err.code === 'ECONNREFUSED' ||
		err.code === 'ENOTFOUND' ||
		err.code === '3D000' ||
		err.code === '28P01'
	) {
		fail(`cannot reach the database (${err.code}): ${err.message}. Check DATABASE_URL.`);
	}
	throw error;
}
const { handle, seeded } = prepared;
if (config.NODE_ENV === 'production') {
	const { auditBypassProblem } = await import('./lib/server/db.ts');
	const problem = await auditBypassProblem(handle);
	if (problem) {
		await handle.close();
		fail(problem);
	}
}
registerDatabase(handle);
logger.info(
	{
		database: handle.kind,
		location: handle.location,
		seeded,
		ms: Math.round(performance.now() - started),
	},
	'database ready',
);

// Background jobs (AVIF variants, notifications) run in every instance; the queue's row locks
// make each job run once across instances.
const { startWorker } = await import('./lib/server/jobs/queue.ts');
const { jobHandlers } = await import('./lib/server/jobs/handlers.ts');
const worker =
	process.env.GONGJIAN_WORKER === 'off'
		? null
		: startWorker(handle.db, jobHandlers(handle.db), { concurrency: 1, pollMs: 1000 });

// Audit entries are written unsealed in their transaction; every instance chains committed ones
// (an advisory lock makes it one chain), whatever GONGJIAN_WORKER says.
const { startAuditSealer } = await import('./lib/server/audit/sealer.ts');
const auditSealer = startAuditSealer(handle.db);

// Cached pages other instances invalidate are dropped here too (NOTIFY).
const { listenForInvalidations } = await import('./lib/server/pages/index.ts');
await listenForInvalidations(handle.db);

// Astro's standalone handler (static files, then the app) behind gzip/brotli for text responses.
const { handler } = (await import(serverEntry)) as {
	handler: (req: IncomingMessage, res: ServerResponse) => void;
};
// Typed for Express; it needs only Node's request and response.
const compress = compression() as unknown as (
	req: IncomingMessage,
	res: ServerResponse,
	next: () => void,
) => void;
const server = createServer((req, res) => compress(req, res, () => handler(req, res)));
server.listen(config.PORT, config.HOST);
server.on('listening', () => {
	logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'listening');
});
server.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EADDRINUSE')
		fail(`port ${config.PORT} on ${config.HOST} is already in use; set PORT to another port.`);
	fail(error.message);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	logger.info({ signal }, 'shutting down');
	const force = setTimeout(() => server.closeAllConnections(), 10_000);
	force.unref();
	await new Promise<void>((resolve) => {
		server.close(() => resolve());
		server.closeIdleConnections();
	});
	clearTimeout(force);
	await worker?.stop();
	await auditSealer.stop();
	await handle.close();
	logger.info('stopped');
	process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
