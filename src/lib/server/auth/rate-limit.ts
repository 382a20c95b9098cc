import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { DomainError } from '../shared/index.ts';

export type Limit = { key: string; limit: number; windowSeconds: number };

/**
 * The limits of the product. Keys are namespaced and never hold a clear phone number
 * (callers pass a hash). Fixed windows: at most 2× a limit can pass around a window boundary.
 */
export const limits = {
	codePerPhoneMinute: (phoneKey: string): Limit => ({
		key: `code:phone:m:${phoneKey}`,
		limit: 1,
		windowSeconds: 60,
	}),
	codePerPhoneHour: (phoneKey: string): Limit => ({
		key: `code:phone:h:${phoneKey}`,
		limit: 5,
		windowSeconds: 3600,
	}),
	/**
	 * Per address, generous: residents sign in together from one address — the committee
	 * office's Wi-Fi on a help day, a mobile carrier's shared (CGNAT) address — while the
	 * per-phone limits above already stop texting one number again and again.
	 */
	codePerIpHour: (ip: string): Limit => ({ key: `code:ip:${ip}`, limit: 120, windowSeconds: 3600 }),
	verifyPerIpHour: (ip: string): Limit => ({
		key: `verify:ip:${ip}`,
		limit: 240,
		windowSeconds: 3600,
	}),
	passwordPerIp: (ip: string): Limit => ({
		key: `password:ip:${ip}`,
		limit: 50,
		windowSeconds: 900,
	}),
	bindPerUser: (userId: string): Limit => ({
		key: `bind:user:${userId}`,
		limit: 10,
		windowSeconds: 3600,
	}),
	bindPerIp: (ip: string): Limit => ({ key: `bind:ip:${ip}`, limit: 120, windowSeconds: 3600 }),
	/** Opinions and replies: enough for a real discussion, too few to flood a plan's page. */
	opinionPerUser: (userId: string): Limit => ({
		key: `opinion:user:${userId}`,
		limit: 10,
		windowSeconds: 600,
	}),
};

/**
 * Counts one hit against each limit (atomically, in PostgreSQL, so every instance shares the
 * count) and throws `rate_limited` with the longest wait when any is exceeded. Runs outside
 * the caller's transaction on purpose: a refused or failed attempt still counts.
 */
export async function enforceRateLimits(
	db: Executor,
	checks: Limit[],
	now = new Date(),
): Promise<void> {
	let wait = 0;
	for (const check of checks) {
		const windowMs = check.windowSeconds * 1000;
		const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
		const expiresAt = new Date(windowStart.getTime() + windowMs);
		const [row] = await queryRows<{ count: number }>(
			db,
			sql`insert into rate_limits (key, window_start, count, expires_at)
			    values (${check.key}, ${windowStart.toISOString()}, 1, ${expiresAt.toISOString()})
			    on conflict (key, window_start) do update set count = rate_limits.count + 1
			    returning count`,
		);
		if ((row?.count ?? 0) > check.limit) {
			wait = Math.max(wait, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
		}
	}
	if (Math.random() < 0.01) await db.execute(sql`delete from rate_limits where expires_at < now()`);
	if (wait > 0) {
		throw new DomainError('rate_limited', 'error.rateLimited', {
			params: { minutes: Math.max(1, Math.ceil(wait / 60)) },
			retryAfter: wait,
		});
	}
}
