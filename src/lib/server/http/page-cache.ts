import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import {
	isDatabase,
	queryPrepared,
	queryRows,
	type Db,
	type Executor,
} from '../../../../db/client.ts';
import { dueForExtension, isSessionToken, sessionIdFromToken } from '../auth/secrets.ts';

/**
 * Rendered HTML of the public pages, cached per data version with exact invalidation.
 *
 * - Anonymous visitors: keyed by locale, text size and path, valid for one *content version*.
 *   The version lives in PostgreSQL and moves atomically with every write to what public pages
 *   show (a deferred trigger, migrations 0007/0011/0016/0018), so every instance sees a change
 *   as soon as it is committed.
 * - Signed-in residents: the same pages are personal (cost share, badge, "me too" state), so
 *   they are keyed by the user too and valid for the content version *and* the user's private
 *   version (memberships, notifications, follows, reports…; a row trigger, migration 0018).
 *
 * The versions are read before rendering, so a page is never tagged with a version newer than
 * its data. Pages whose content depends on the clock (a comment window opening) set
 * `cacheUntil`. The built server bundles its own copy of this module and `src/start.ts` serves
 * cache hits before Astro's pipeline: both share one store through globalThis.
 */
export type CachedPage = {
	body: Uint8Array;
	headers: [string, string][];
	status: number;
	version: string;
	expires: number;
};

/** Where a request may find (or leave) its page: the cache key and the versions it must match. */
export type CacheSlot = { key: string; version: string };

export type CacheRequest = {
	method: string;
	/** The path without its locale prefix (`/p/x`, not `/en/p/x`). */
	path: string;
	locale: string;
	search: string;
	/** Cookie name → value. */
	cookies: Map<string, string>;
	sessionDays: number;
};

const MAX_ENTRIES = 5000;
const MAX_BYTES = 96 * 1024 * 1024;
const DEFAULT_TTL_MS = 10 * 60 * 1000;
const SESSION_COOKIE = 'gj_session';
const TEXT_COOKIE = 'gj_text';

type Store = {
	entries: Map<string, CachedPage>;
	bytes: number;
	/** The content-version read under way, and the one queued behind it (see freshContentVersion). */
	running: Promise<string> | null;
	queued: Promise<string> | null;
	/** The slot the fast path already decided for the request the middleware now renders. */
	decided: AsyncLocalStorage<{ slot: CacheSlot | null; taken: boolean }>;
};
const CONTENT_VERSION_SQL = 'select n::text as n from content_version';
const SIGNED_IN_SLOT_SQL = `select u.id as user_id, u.kind,
	(u.disabled_at is null and u.deleted_at is null) as active, s.expires_at,
	cv.n::text as content, coalesce(uv.n, 0)::text as private
	from content_version cv
	left join sessions s on s.id = $1
	left join users u on u.id = s.user_id
	left join user_versions uv on uv.user_id = u.id`;
const REGISTRY = Symbol.for('gongjian.pageCache');
const registry = globalThis as { [REGISTRY]?: Store };
const store: Store = (registry[REGISTRY] ??= {
	entries: new Map(),
	bytes: 0,
	running: null,
	queued: null,
	decided: new AsyncLocalStorage(),
});

export async function contentVersion(db: Executor): Promise<string> {
	if (isDatabase(db)) {
		const [row] = await queryPrepared<{ n: string }>(db, CONTENT_VERSION_SQL);
		return row?.n ?? '0';
	}
	const [row] = await queryRows<{ n: string }>(db, sql`select n::text as n from content_version`);
	return row?.n ?? '0';
}

/**
 * The content version as of a read that *started after this call*: concurrent requests share
 * one query (at most one running and one queued), so a burst of visitors costs one round trip
 * without ever reading a version older than their own arrival.
 */
export function freshContentVersion(db: Db): Promise<string> {
	if (!store.running) return startVersionRead(db);
	store.queued ??= store.running
		.catch(() => undefined)
		.then(() => {
			store.queued = null;
			return startVersionRead(db);
		});
	return store.queued;
}

function startVersionRead(db: Db): Promise<string> {
	const read: Promise<string> = contentVersion(db).finally(() => {
		if (store.running === read) store.running = null;
	});
	store.running = read;
	return read;
}

/** Public pages that may be cached (never staff, account or form pages). */
export function isCacheablePath(path: string): boolean {
	return path === '/' || /^\/p\/[a-z0-9-]+(\/(v\/\d+|diff))?\/?$/.test(path);
}

/** Parses a Cookie header (first value of each name wins, as browsers send the most specific first). */
export function parseCookies(header: string | null | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	if (!header) return cookies;
	for (const part of header.split(';')) {
		const at = part.indexOf('=');
		if (at < 0) continue;
		const name = part.slice(0, at).trim();
		if (name && !cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
	}
	return cookies;
}

/**
 * The cache slot of a request, or null when it must be rendered: not a GET/HEAD of a public
 * page, a cookie of ours the page might read (a login in progress, an action's result), or a
 * session that is not a plain resident session in the first half of its life (one that lucia
 * would extend, staff, disabled or expired users go through the full pipeline and its cookie
 * handling). One query for a signed-in slot (session, user, both versions), none of its own for
 * an anonymous one (a shared content-version read).
 */
export async function cacheSlot(db: Db, request: CacheRequest): Promise<CacheSlot | null> {
	if ((request.method !== 'GET' && request.method !== 'HEAD') || !isCacheablePath(request.path))
		return null;
	for (const name of request.cookies.keys()) {
		const ours = name.startsWith('gj_') || name.startsWith('_astro');
		if (ours && name !== SESSION_COOKIE && name !== TEXT_COOKIE) return null;
	}
	const textSize = request.cookies.get(TEXT_COOKIE) === 'large' ? 'large' : 'normal';
	const page = `${request.locale}|${textSize}|${request.path}${request.search}`;
	const token = request.cookies.get(SESSION_COOKIE);
	if (token === undefined) return { key: `a|${page}`, version: await freshContentVersion(db) };
	if (!isSessionToken(token)) return null;
	const [row] = await queryPrepared<{
		user_id: string | null;
		kind: string | null;
		active: boolean | null;
		expires_at: Date | string | null;
		content: string;
		private: string;
	}>(db, SIGNED_IN_SLOT_SQL, [sessionIdFromToken(token)]);
	if (!row?.user_id || row.kind !== 'resident' || !row.active || !row.expires_at) return null;
	if (dueForExtension(row.expires_at, request.sessionDays)) return null;
	return { key: `u:${row.user_id}|${page}`, version: `${row.content}.${row.private}` };
}

/**
 * Runs the rest of a request (Astro's pipeline) with the slot the fast path decided for it, so
 * a miss reads its versions once, not twice. The slot was read before rendering either way.
 */
export function withDecidedSlot<T>(slot: CacheSlot | null, work: () => T): T {
	return store.decided.run({ slot, taken: false }, work);
}

/**
 * The slot decided for this request before Astro, once (undefined: none was, e.g. under
 * `astro dev`, or it was already taken — a rewrite runs the middleware again for another path).
 */
export function takeDecidedSlot(): { slot: CacheSlot | null } | undefined {
	const decided = store.decided.getStore();
	if (!decided || decided.taken) return undefined;
	decided.taken = true;
	return decided;
}

export function getCachedPage(key: string, version: string, now = Date.now()): CachedPage | null {
	const entry = store.entries.get(key);
	if (!entry) return null;
	if (entry.version !== version || entry.expires <= now) {
		store.entries.delete(key);
		store.bytes -= entry.body.byteLength;
		return null;
	}
	// Refresh recency for the LRU order.
	store.entries.delete(key);
	store.entries.set(key, entry);
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
	const previous = store.entries.get(key);
	if (previous) {
		store.entries.delete(key);
		store.bytes -= previous.body.byteLength;
	}
	store.entries.set(key, { ...page, expires });
	store.bytes += page.body.byteLength;
	while (store.entries.size > MAX_ENTRIES || store.bytes > MAX_BYTES) {
		const oldest = store.entries.keys().next().value;
		if (oldest === undefined) break;
		store.bytes -= store.entries.get(oldest)!.body.byteLength;
		store.entries.delete(oldest);
	}
}

export function clearPageCache(): void {
	store.entries.clear();
	store.bytes = 0;
}
