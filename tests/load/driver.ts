import http from 'node:http';
import { drawRow, type Ack, type LoadRequest, type MixRow, type MixState } from './mix.ts';
import type { LoadWorld } from './world.ts';

/**
 * A closed-loop load driver over node:http keep-alive connections: `connections` workers each
 * send one request at a time for `seconds` (or until stopped), drawing from the mix. Every
 * answer is recorded (status, latency, second), and every 2xx write's acknowledgement kept for
 * the check that nothing acknowledged was lost. Loopback targets only.
 */
export type Sample = {
	row: string;
	status: number;
	ms: number;
	/** When the answer came, in ms (and whole seconds) since the run started. */
	at: number;
	second: number;
	retryAfter: boolean;
};

export type LoadStats = {
	seconds: number;
	samples: Sample[];
	acks: Ack[];
	inactive: string[];
};

export type LoadOptions = {
	connections: number;
	seconds: number;
	/** Checked between requests: true ends the run early. */
	stop?: () => boolean;
	/** Per-request timeout; a timeout counts as status 0. */
	timeoutMs?: number;
	/** Counters shared by several runs on one world (unique markers, reaction pairs). */
	state?: MixState;
};

type Reply = { status: number; retryAfter: boolean };

function send(
	agent: http.Agent,
	base: URL,
	request: LoadRequest,
	timeoutMs: number,
): Promise<Reply> {
	const body = request.form?.toString();
	const headers: Record<string, string> = { origin: base.origin };
	if (request.cookie) headers.cookie = request.cookie;
	if (body !== undefined) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		headers['content-length'] = String(Buffer.byteLength(body));
	}
	return new Promise((resolve) => {
		let done = false;
		const finish = (reply: Reply) => {
			if (!done) {
				done = true;
				resolve(reply);
			}
		};
		const req = http.request(
			{
				host: base.hostname,
				port: base.port,
				method: request.method,
				path: request.path,
				headers,
				agent,
			},
			(res) => {
				res.resume();
				res.on('end', () =>
					finish({ status: res.statusCode ?? 0, retryAfter: 'retry-after' in res.headers }),
				);
				res.on('error', () => finish({ status: 0, retryAfter: false }));
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
		req.on('error', () => finish({ status: 0, retryAfter: false }));
		req.end(body);
	});
}

/**
 * Runs the mix against `targets` (round-robin per request when more than one). Returns every
 * sample; write acknowledgements only for 2xx answers.
 */
export async function runLoad(
	targets: string[],
	world: LoadWorld,
	rows: MixRow[],
	inactive: string[],
	options: LoadOptions,
): Promise<LoadStats> {
	const bases = targets.map((t) => new URL(t));
	const agents = bases.map(
		() =>
			new http.Agent({ keepAlive: true, maxSockets: options.connections, keepAliveMsecs: 1000 }),
	);
	const state: MixState = options.state ?? { seq: 0, reacted: new Set() };
	const samples: Sample[] = [];
	const acks: Ack[] = [];
	const started = performance.now();
	const deadline = started + options.seconds * 1000;
	let turn = 0;
	const worker = async () => {
		while (performance.now() < deadline && !options.stop?.()) {
			const row = drawRow(rows);
			const request = row.build(world, state);
			const target = turn++ % bases.length;
			const t0 = performance.now();
			const reply = await send(
				agents[target]!,
				bases[target]!,
				request,
				options.timeoutMs ?? 10_000,
			);
			const t1 = performance.now();
			samples.push({
				row: row.name,
				status: reply.status,
				ms: t1 - t0,
				at: t1 - started,
				second: Math.floor((t1 - started) / 1000),
				retryAfter: reply.retryAfter,
			});
			if (request.ack && reply.status >= 200 && reply.status < 300) acks.push(request.ack);
			// A refused connection (server down) must not spin: breathe a little.
			if (reply.status === 0) await new Promise((r) => setTimeout(r, 50));
		}
	};
	await Promise.all(Array.from({ length: options.connections }, worker));
	for (const agent of agents) agent.destroy();
	return { seconds: (performance.now() - started) / 1000, samples, acks, inactive };
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[
		Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
	]!;
}

export type Summary = {
	name: string;
	requests: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	ok: number;
	refused: number;
	serverErrors: number;
	dropped: number;
};

/** Totals per mix row and overall. */
export function summarise(stats: LoadStats): Summary[] {
	const groups = new Map<string, Sample[]>();
	for (const s of stats.samples) groups.set(s.row, [...(groups.get(s.row) ?? []), s]);
	const line = (name: string, samples: Sample[]): Summary => {
		const ms = samples.map((s) => s.ms);
		return {
			name,
			requests: samples.length,
			rps: samples.length / stats.seconds,
			p50: percentile(ms, 50),
			p95: percentile(ms, 95),
			p99: percentile(ms, 99),
			ok: samples.filter((s) => s.status >= 200 && s.status < 400).length,
			refused: samples.filter((s) => s.status >= 400 && s.status < 500).length,
			serverErrors: samples.filter((s) => s.status >= 500).length,
			dropped: samples.filter((s) => s.status === 0).length,
		};
	};
	return [...[...groups].map(([name, samples]) => line(name, samples)), line('all', stats.samples)];
}

/** The markdown table of a summary. */
export function summaryTable(summary: Summary[]): string {
	const f = (n: number) => n.toFixed(1);
	return [
		'| requests | count | req/s | p50 ms | p95 ms | p99 ms | 2xx/3xx | 4xx | 5xx | dropped |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		...summary.map(
			(s) =>
				`| ${s.name === 'all' ? '**all**' : s.name} | ${s.requests} | ${Math.round(s.rps)} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${s.ok} | ${s.refused} | ${s.serverErrors} | ${s.dropped} |`,
		),
	].join('\n');
}

/** The world's mix rows as a Map for logs. */
export function describeMix(rows: MixRow[]): string {
	return rows.map((r) => `${r.name} ${r.share.toFixed(1)} %`).join(', ');
}

export type { LoadWorld };
