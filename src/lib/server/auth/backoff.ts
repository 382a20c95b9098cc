import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { DomainError } from '../shared/index.ts';

/**
 * Failed sign-in attempts slow the next attempt down instead of locking an account: strangers
 * could otherwise lock a resident or a staff member out by guessing wrong on purpose. Each key
 * (a phone, a staff account, a client address) waits `base · 2^(failures − free)` seconds after
 * its last failure, at most `cap`; an hour without failures forgets them. Addresses wait longer
 * than phones and accounts: an address is the guesser's own, a phone or an account is its
 * owner's too.
 */
export type BackoffRule = { free: number; baseSeconds: number; capSeconds: number };

export const backoffRules = {
	phone: { free: 3, baseSeconds: 2, capSeconds: 30 },
	account: { free: 3, baseSeconds: 2, capSeconds: 60 },
	address: { free: 5, baseSeconds: 8, capSeconds: 15 * 60 },
} satisfies Record<string, BackoffRule>;

const FORGET_MS = 60 * 60 * 1000;

export type BackoffKey = { key: string; rule: BackoffRule };

/** Seconds to wait before the next attempt after `failures`, the last at `lastAt`. */
export function backoffWait(rule: BackoffRule, failures: number, lastAt: Date, now: Date): number {
	const since = now.getTime() - lastAt.getTime();
	if (since >= FORGET_MS || failures < rule.free) return 0;
	const delay = Math.min(rule.capSeconds, rule.baseSeconds * 2 ** (failures - rule.free));
	return Math.max(0, Math.ceil((delay * 1000 - since) / 1000));
}

type Row = { key: string; failures: number; last_at: Date | string };

async function readRows(db: Executor, keys: string[]): Promise<Map<string, Row>> {
	if (keys.length === 0) return new Map();
	const rows = await queryRows<Row>(
		db,
		sql`select key, failures, last_at from auth_failures where key in (${sql.join(
			keys.map((k) => sql`${k}`),
			sql`, `,
		)})`,
	);
	return new Map(rows.map((r) => [r.key, r]));
}

const rateLimited = (seconds: number) =>
	new DomainError('rate_limited', 'error.rateLimited', {
		params: { minutes: Math.max(1, Math.ceil(seconds / 60)) },
		retryAfter: Math.max(1, seconds),
	});

/** Throws `rate_limited` (with the longest wait) while any key is backing off. */
export async function checkBackoff(
	db: Executor,
	keys: BackoffKey[],
	now = new Date(),
): Promise<void> {
	const rows = await readRows(
		db,
		keys.map((k) => k.key),
	);
	let wait = 0;
	for (const { key, rule } of keys) {
		const row = rows.get(key);
		if (row) wait = Math.max(wait, backoffWait(rule, row.failures, new Date(row.last_at), now));
	}
	if (wait > 0) throw rateLimited(wait);
}

/**
 * Takes the next attempt for `key`, counted as a failure until `clearFailures` says it
 * succeeded: one compare-and-set statement, so parallel attempts on one key go one at a time
 * (the others are told to wait a second) and never slip past the back-off together.
 */
export async function claimAttempt(
	db: Executor,
	{ key, rule }: BackoffKey,
	now = new Date(),
): Promise<void> {
	const row = (await readRows(db, [key])).get(key);
	const lastAt = row ? new Date(row.last_at) : null;
	if (row && lastAt) {
		const wait = backoffWait(rule, row.failures, lastAt, now);
		if (wait > 0) throw rateLimited(wait);
	}
	const forgotten = !lastAt || now.getTime() - lastAt.getTime() >= FORGET_MS;
	const claimed = await queryRows<{ failures: number }>(
		db,
		row
			? sql`update auth_failures
			      set failures = ${forgotten ? 1 : row.failures + 1}, last_at = ${now.toISOString()}
			      where key = ${key} and failures = ${row.failures} and last_at = ${lastAt!.toISOString()}
			      returning failures`
			: sql`insert into auth_failures (key, failures, last_at)
			      values (${key}, 1, ${now.toISOString()})
			      on conflict (key) do nothing
			      returning failures`,
	);
	if (claimed.length === 0) throw rateLimited(1);
}

/** Counts one failure against each key (for keys not claimed beforehand: addresses). */
export async function recordFailures(
	db: Executor,
	keys: BackoffKey[],
	now = new Date(),
): Promise<void> {
	for (const { key } of keys) {
		await queryRows(
			db,
			sql`insert into auth_failures (key, failures, last_at)
			    values (${key}, 1, ${now.toISOString()})
			    on conflict (key) do update set
			      failures = case when auth_failures.last_at < ${new Date(now.getTime() - FORGET_MS).toISOString()}
			                 then 1 else auth_failures.failures + 1 end,
			      last_at = ${now.toISOString()}`,
		);
	}
}

/** Forgets a key's failures (its owner just signed in). */
export async function clearFailures(db: Executor, keys: BackoffKey[]): Promise<void> {
	if (keys.length === 0) return;
	await db.execute(
		sql`delete from auth_failures where key in (${sql.join(
			keys.map((k) => sql`${k.key}`),
			sql`, `,
		)})`,
	);
}
