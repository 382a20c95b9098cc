/**
 * A bare Node http server for the bench baselines, run as a child process so it gets its own
 * event loop like the app. `static` answers the HTML file; `pg` first selects one project by
 * primary key through postgres.js. Prints `listening <port>` once ready.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';

const mode = process.argv[2];
const html = readFileSync(process.env.BENCH_HTML_FILE!);
const headers = {
	'content-type': 'text/html; charset=utf-8',
	'content-length': String(html.length),
};

/** A handler that runs one primary-key select per request, cycling through the project ids. */
async function pgHandler(): Promise<() => Promise<void>> {
	const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: 10, onnotice: () => {} });
	const ids = (await sql<{ id: number }[]>`select id from projects order by id`).map((r) => r.id);
	let next = 0;
	return async () => {
		const id = ids[next++ % ids.length]!;
		await sql`select id, slug, name, stage, year from projects where id = ${id}`;
	};
}

const query = mode === 'pg' ? await pgHandler() : null;
const server = http.createServer((_request, response) => {
	if (!query) return void response.writeHead(200, headers).end(html);
	query().then(
		() => response.writeHead(200, headers).end(html),
		() => response.writeHead(500).end(),
	);
});
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
