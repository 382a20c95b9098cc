/**
 * The app for the ballot bench, served from a private copy of the build (BENCH_DIST): the shared
 * dist/ may be rebuilt by someone else mid-run, which would replace the chunks under a running
 * server. Same start-up as src/start.ts: configuration, database, then the built entry.
 * Prints `listening <port>` once ready.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { getConfig } from '../../src/lib/server/shared/config.ts';
import { prepareDatabase, registerDatabase } from '../../src/lib/server/db.ts';

const config = getConfig();
process.env.PORT = String(config.PORT);
process.env.HOST = config.HOST;
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handle } = await prepareDatabase(config);
registerDatabase(handle);
const entry = pathToFileURL(path.join(process.env.BENCH_DIST!, 'server', 'entry.mjs')).href;
const app = (await import(entry)) as {
	startServer: () => { server: { server: Server; stop(): Promise<void> } };
};
const { server } = app.startServer();
server.server.on('listening', () => process.stdout.write(`listening ${config.PORT}\n`));
process.once('SIGTERM', () => {
	void server.stop().finally(() => handle.close().finally(() => process.exit(0)));
});
