/**
 * The baseline for ballot submission: a bare Node http server that reads a form body and runs
 * one postgres.js `INSERT … ON CONFLICT DO UPDATE` per request (one current row per household,
 * revision counter), without sessions, policy, tallies or audit. Prints `listening <port>`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';

const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: 10, onnotice: () => {} });
await sql`create table if not exists bench_upserts (
	round_id int not null, household_id int not null, revision int not null,
	choices jsonb not null, updated_at timestamptz not null default now(),
	primary key (round_id, household_id))`;

const server = http.createServer((request, response) => {
	const chunks: Buffer[] = [];
	request.on('data', (chunk: Buffer) => chunks.push(chunk));
	request.on('end', () => {
		const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
		const choices: Record<string, string> = {};
		for (const [key, value] of form) if (key.startsWith('choices.')) choices[key.slice(8)] = value;
		sql`insert into bench_upserts (round_id, household_id, revision, choices)
		    values (${Number(form.get('roundId'))}, ${Number(form.get('householdId'))}, 1, ${sql.json(choices)})
		    on conflict (round_id, household_id) do update
		    set revision = bench_upserts.revision + 1, choices = excluded.choices, updated_at = now()`.then(
			() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
			() => response.writeHead(500).end(),
		);
	});
});
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
