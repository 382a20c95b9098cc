import { sql } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';

/**
 * While PostgreSQL restarts, fails over or runs out of room, requests fail through no fault of
 * the request: the answer is 503 with Retry-After (clients and proxies retry; monitoring tells
 * it from a bug), not a 500. The pool reconnects by itself once the server is back.
 */
export const RETRY_AFTER_SECONDS = 5;

/** postgres.js connection errors and SQLSTATEs meaning "the database cannot serve now". */
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ENOTFOUND',
	'EAI_AGAIN',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
]);
/** Class 08 connection exceptions, 53 insufficient resources (disk full, too many connections),
 * 57P01–57P03 shutdown / cannot connect now, 25006 a write reaching a server that is (still or
 * again) a read-only standby during a failover. */
const SQLSTATE = /^(08\d{3}|53\d{3}|57P0[123]|25006)$/;

/** True when `error` (or one of its causes) says the database is unreachable or out of room. */
export function isDatabaseUnavailable(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; current && depth < 6; depth++) {
		// The client hung up while its body was read (Node's "aborted", ECONNRESET): not an
		// outage — opening the breaker for it would refuse everyone else for a second.
		if (isClientAbort(current)) return false;
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && (CONNECTION_CODES.has(code) || SQLSTATE.test(code)))
			return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** Node's http server error for a request whose client closed the connection mid-body. */
export function isClientAbort(error: unknown): boolean {
	const e = error as { code?: unknown; message?: unknown };
	return e?.code === 'ECONNRESET' && e.message === 'aborted';
}

/**
 * A breaker, per process: after the database failed, requests are answered 503 at once for a
 * second instead of queueing behind the driver's reconnect back-off (postgres.js waits up to
 * seconds between attempts); then one request at a time goes through as a probe, and the first
 * that succeeds closes the breaker.
 */
const PROBE_INTERVAL_MS = 1000;
// One breaker per process, shared through globalThis by the built server's copy of this module
// and src/start.ts (which serves cached pages before Astro and steps aside while it is open).
const BREAKER = Symbol.for('gongjian.databaseBreaker');
const registry = globalThis as { [BREAKER]?: { downUntil: number; probing: boolean } };
const breaker = (registry[BREAKER] ??= { downUntil: 0, probing: false });

export function markDatabaseDown(now = Date.now()): void {
	breaker.downUntil = now + PROBE_INTERVAL_MS;
	breaker.probing = false;
}

export function markDatabaseUp(): void {
	breaker.downUntil = 0;
	breaker.probing = false;
}

/** True when this request should get a 503 without touching the database. */
export function refuseWhileDown(now = Date.now()): boolean {
	if (breaker.downUntil === 0) return false;
	if (now < breaker.downUntil || breaker.probing) return true;
	breaker.probing = true; // this request is the probe
	return false;
}

/**
 * Whether the database answers `select 1` within `ms` (used to classify an unexplained 500):
 * 'down' when it fails with a connection error, 'slow' when it does not answer in time (a busy
 * server or the driver's reconnect back-off: unknown), 'up' otherwise.
 */
export async function probeDatabase(db: Db, ms = 1000): Promise<'up' | 'down' | 'slow'> {
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			db.execute(sql`select 1`),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error('database timeout')), ms);
			}),
		]);
		return 'up';
	} catch (error) {
		return isDatabaseUnavailable(error) ? 'down' : 'slow';
	} finally {
		clearTimeout(timer);
	}
}

/**
 * A 503 answered elsewhere given this module's headers: Astro's answer to an action that met the
 * outage (actions/run.ts throws SERVICE_UNAVAILABLE; a form action's page or the action API then
 * answer 503 without Retry-After). Body and status are kept.
 */
export function asUnavailable(response: Response): Response {
	const copy = new Response(response.body, response);
	copy.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
	copy.headers.set('Cache-Control', 'no-store');
	return copy;
}

/** The 503 answer: JSON for the action API, plain text otherwise; never cached. */
export function unavailableResponse(message: string, api: boolean): Response {
	const headers = {
		'Retry-After': String(RETRY_AFTER_SECONDS),
		'Cache-Control': 'no-store',
	};
	if (api)
		return new Response(
			JSON.stringify({
				type: 'AstroActionError',
				code: 'SERVICE_UNAVAILABLE',
				status: 503,
				message,
			}),
			{ status: 503, headers: { ...headers, 'Content-Type': 'application/json' } },
		);
	return new Response(`${message}\n`, {
		status: 503,
		headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
	});
}
