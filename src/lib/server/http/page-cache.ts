import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';

/**
 * Rendered HTML for anonymous visitors, cached per content version. The version lives in
 * PostgreSQL and moves atomically with every write to what public pages show (a deferred
 * trigger, migration 0007), so every instance sees a change as soon as it is committed: one
 * tiny query per request instead of rendering. Pages whose content depends on the clock (a
 * comment window opening) set `cacheUntil`.
 */
export type CachedPage = {
	body: Uint8Array;
	headers: [string, string][];
	status: number;
	version: string;
	expires: number;
};

const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_TTL_MS = 10 * 60 * 1000;

const entries = new Map<string, CachedPage>();
let bytes = 0;

export async function contentVersion(db: Executor): Promise<string> {
	const [row] = await queryRows<{ n: string }>(db, sql`select n::text as n from content_version`);
	return row?.n ?? '0';
}

export function getCachedPage(key: string, version: string, now = Date.now()): CachedPage | null {
	const entry = entries.get(key);
	if (!entry) return null;
	if (entry.version !== version || entry.expires <= now) {
		entries.delete(key);
		bytes -= entry.body.byteLength;
		return null;
	}
	// Refresh recency for the LRU order.
	entries.delete(key);
	entries.set(key, entry);
	return entry;
}

export function putCachedPage(
	key: string,
	page: Omit<CachedPage, 'expires'>,
	until: number | null,
	now = Date.now(),
): void {
	const expires = Math.min(until ?? Infinity, now + DEFAULT_TTL_MS);
	if (expires <= now || page.body.byteLength > 2 * 1024 * 1024) return;
	const previous = entries.get(key);
	if (previous) {
		entries.delete(key);
		bytes -= previous.body.byteLength;
	}
	entries.set(key, { ...page, expires });
	bytes += page.body.byteLength;
	while (entries.size > MAX_ENTRIES || bytes > MAX_BYTES) {
		const oldest = entries.keys().next().value;
		if (oldest === undefined) break;
		bytes -= entries.get(oldest)!.body.byteLength;
		entries.delete(oldest);
	}
}

/** Public pages that may be cached for anonymous visitors (never staff, account or forms). */
export function isCacheablePath(path: string): boolean {
	return path === '/' || /^\/p\/[a-z0-9-]+(\/(v\/\d+|diff))?\/?$/.test(path);
}

export function clearPageCache(): void {
	entries.clear();
	bytes = 0;
}
