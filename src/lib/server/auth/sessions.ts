import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';
import type { Db } from '../../../../db/client.ts';
import { sessions, users } from '../../../../db/schema/index.ts';
import { generateSessionToken, isSessionToken, sessionIdFromToken } from './secrets.ts';

/**
 * Login sessions, kept behind this one file so lucia (v3, now a reference implementation)
 * could be replaced here alone. The cookie carries a random token; the database stores only
 * its SHA-256 as the session id, so a database leak yields no usable session.
 */
export const SESSION_COOKIE = 'gj_session';

type SessionUser = { id: string; kind: 'resident' | 'staff'; disabled: boolean; deleted: boolean };
export type ValidSession = {
	sessionId: string;
	user: SessionUser;
	expiresAt: Date;
	fresh: boolean;
};

const cache = new WeakMap<Db, Lucia>();

function luciaFor(db: Db, days: number): Lucia {
	let lucia = cache.get(db);
	if (!lucia) {
		lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
			sessionExpiresIn: new TimeSpan(days, 'd'),
			sessionCookie: { name: SESSION_COOKIE },
			getUserAttributes: (attributes) => {
				const row = attributes as {
					kind: 'resident' | 'staff';
					disabledAt: unknown;
					deletedAt: unknown;
				};
				return { kind: row.kind, disabled: row.disabledAt != null, deleted: row.deletedAt != null };
			},
		});
		cache.set(db, lucia);
	}
	return lucia;
}

/** Starts a session for a user: returns the cookie token (never stored) and its expiry. */
export async function createSession(
	db: Db,
	userId: string,
	days: number,
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateSessionToken();
	const session = await luciaFor(db, days).createSession(
		userId,
		{},
		{ sessionId: sessionIdFromToken(token) },
	);
	return { token, expiresAt: session.expiresAt };
}

/** The session behind a cookie token, or null (expired, unknown, or its user disabled/deleted). */
export async function validateSessionToken(
	db: Db,
	token: string,
	days: number,
): Promise<ValidSession | null> {
	if (!isSessionToken(token)) return null;
	const { session, user } = await luciaFor(db, days).validateSession(sessionIdFromToken(token));
	if (!session || !user) return null;
	const attrs = user as unknown as {
		kind: 'resident' | 'staff';
		disabled: boolean;
		deleted: boolean;
	};
	if (attrs.disabled || attrs.deleted) {
		await luciaFor(db, days).invalidateSession(session.id);
		return null;
	}
	return {
		sessionId: session.id,
		user: { id: user.id, kind: attrs.kind, disabled: attrs.disabled, deleted: attrs.deleted },
		expiresAt: session.expiresAt,
		fresh: session.fresh,
	};
}

export async function invalidateSession(db: Db, sessionId: string, days: number): Promise<void> {
	await luciaFor(db, days).invalidateSession(sessionId);
}

/** "Sign out everywhere": every session of the user ends. */
export async function invalidateUserSessions(db: Db, userId: string, days: number): Promise<void> {
	await luciaFor(db, days).invalidateUserSessions(userId);
}

export async function listUserSessions(db: Db, userId: string, days: number) {
	return luciaFor(db, days).getUserSessions(userId);
}
