import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../../db/client.ts';
import { sessions, users } from '../../../../db/schema/index.ts';
import { generateSessionToken, isSessionToken, sessionIdFromToken } from './secrets.ts';

/**
 * Login sessions, kept behind this one file so lucia (v3, now a reference implementation)
 * could be replaced here alone. The cookie carries a random token; the database stores only
 * its SHA-256 as the session id, so a database leak yields no usable session.
 *
 * Lifetimes differ by kind, and that rule lives here only (`sessionRule`):
 * - residents: `SESSION_DAYS` (30 by default), sliding — a session with less than half its
 *   lifetime left is extended by a full lifetime when used (lucia's own rule);
 * - staff: one day from sign-in, absolute, never extended — a staff account moderates, publishes
 *   and enters paper ballots, so a forgotten browser on a shared office computer must close.
 *   The end is computed from `created_at` too, so no row extended earlier outlives it.
 * Lucia's `validateSession` extends every session with one lifetime, so validation is done
 * here on lucia's drizzle adapter.
 */
export const SESSION_COOKIE = 'gj_session';
export const STAFF_SESSION_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type Kind = 'resident' | 'staff';
type SessionUser = { id: string; kind: Kind; disabled: boolean; deleted: boolean };
export type ValidSession = {
	sessionId: string;
	user: SessionUser;
	expiresAt: Date;
	/** The expiry moved: the cookie must be re-issued with the new expiry. */
	fresh: boolean;
};

/**
 * The lifetime rule for a session of `kind` created at `createdAt` and now expiring at
 * `expiresAt`: null when it has ended, else its expiry after this use (later only for a
 * resident past half its lifetime).
 */
export function sessionRule(
	kind: Kind,
	session: { createdAt: Date; expiresAt: Date },
	residentDays: number,
	now: Date,
): { expiresAt: Date; extended: boolean } | null {
	const at = now.getTime();
	if (kind === 'staff') {
		const end = Math.min(
			session.expiresAt.getTime(),
			session.createdAt.getTime() + STAFF_SESSION_MS,
		);
		return at < end ? { expiresAt: new Date(end), extended: false } : null;
	}
	const lifetime = residentDays * DAY_MS;
	if (at >= session.expiresAt.getTime()) return null;
	if (session.expiresAt.getTime() - at >= lifetime / 2)
		return { expiresAt: session.expiresAt, extended: false };
	return { expiresAt: new Date(at + lifetime), extended: true };
}

const cache = new WeakMap<Db, DrizzlePostgreSQLAdapter>();

function adapterFor(db: Db): DrizzlePostgreSQLAdapter {
	let adapter = cache.get(db);
	if (!adapter) {
		adapter = new DrizzlePostgreSQLAdapter(db, sessions, users);
		cache.set(db, adapter);
	}
	return adapter;
}

/**
 * Starts a session for a user (a new id at every sign-in: no fixation): returns the cookie
 * token (never stored) and its expiry — one day for staff, `residentDays` for residents. The
 * kind is read from the user's row in the same statement, so no caller can give a staff
 * account a resident's lifetime. Errors: throws if the user does not exist.
 */
export async function createSession(
	db: Db,
	userId: string,
	residentDays: number,
	now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateSessionToken();
	const [row] = await queryRows<{ expires_at: Date | string }>(
		db,
		sql`insert into sessions (id, user_id, expires_at, created_at)
		    select ${sessionIdFromToken(token)}, id,
		           ${now.toISOString()}::timestamptz + case when kind = 'staff'
		             then ${STAFF_SESSION_MS} * interval '1 millisecond'
		             else ${residentDays} * interval '1 day' end,
		           ${now.toISOString()}::timestamptz
		    from users where id = ${userId}
		    returning expires_at`,
	);
	if (!row) throw new Error(`createSession: no user ${userId}`);
	return { token, expiresAt: new Date(row.expires_at) };
}

/**
 * The session behind a cookie token, or null (ended, unknown, or its user disabled/deleted; an
 * ended or disabled user's session row is deleted). A resident's session past half its
 * lifetime is extended (`fresh`); a staff session never is.
 */
export async function validateSessionToken(
	db: Db,
	token: string,
	residentDays: number,
	now = new Date(),
): Promise<ValidSession | null> {
	if (!isSessionToken(token)) return null;
	const adapter = adapterFor(db);
	const [session, user] = await adapter.getSessionAndUser(sessionIdFromToken(token));
	if (!session || !user) return null;
	const attrs = user.attributes as { kind: Kind; disabledAt: unknown; deletedAt: unknown };
	const createdAt = new Date((session.attributes as { createdAt: Date | string }).createdAt);
	const rule = sessionRule(
		attrs.kind,
		{ createdAt, expiresAt: session.expiresAt },
		residentDays,
		now,
	);
	if (!rule || attrs.disabledAt != null || attrs.deletedAt != null) {
		await adapter.deleteSession(session.id);
		return null;
	}
	if (rule.extended) await adapter.updateSessionExpiration(session.id, rule.expiresAt);
	return {
		sessionId: session.id,
		user: { id: user.id, kind: attrs.kind, disabled: false, deleted: false },
		expiresAt: rule.expiresAt,
		fresh: rule.extended,
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await adapterFor(db).deleteSession(sessionId);
}

/** "Sign out everywhere": every session of the user ends. */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await adapterFor(db).deleteUserSessions(userId);
}

export async function listUserSessions(db: Db, userId: string) {
	return adapterFor(db).getUserSessions(userId);
}
