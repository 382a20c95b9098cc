import { and, eq, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { queryRows, type Db } from '../../../../db/client.ts';
import { loginCodes, users } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { DomainError } from '../shared/index.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { normalizePhone } from './phone.ts';
import {
	backoffRules,
	checkBackoff,
	claimAttempt,
	clearFailures,
	recordFailures,
} from './backoff.ts';
import { enforceRateLimits, limits } from './rate-limit.ts';
import {
	generateLoginCode,
	generateSessionToken,
	hashLoginCode,
	sameDigest,
	sha256Hex,
} from './secrets.ts';
import { createSession } from './sessions.ts';
import type { SmsSender } from './sms.ts';

export const CODE_TTL_MS = 5 * 60 * 1000;
export const MAX_CODE_TRIES = 5;

type Context = { ip: string; now?: Date };
export type SignedIn = {
	userId: string;
	token: string;
	expiresAt: Date;
	kind: 'resident' | 'staff';
};

/** Rate-limit keys never hold a clear phone number. */
const phoneKey = (phone: string) => sha256Hex(`rl:${phone}`).slice(0, 32);

function parsePhone(raw: string): string {
	const phone = normalizePhone(raw);
	if (!phone) throw new DomainError('invalid', 'auth.phoneInvalid');
	return phone;
}

/**
 * Sends a 6-digit sign-in code (5-minute expiry, stored hashed). The outcome is the same for
 * every valid number, known or not, so the page reveals nothing about who has an account.
 * Returns a ticket for the asking browser (a cookie): its tries on the code are its own.
 * Errors: invalid (number), rate_limited (1/min and 5/hour per number, 30/hour per IP).
 */
export async function requestLoginCode(
	db: Db,
	input: { phone: string },
	ctx: Context & { sender: SmsSender; locale: 'zh-CN' | 'en'; message: (code: string) => string },
): Promise<{ phone: string; ticket: string }> {
	const phone = parsePhone(input.phone);
	const now = ctx.now ?? new Date();
	await enforceRateLimits(
		db,
		[
			limits.codePerPhoneMinute(phoneKey(phone)),
			limits.codePerPhoneHour(phoneKey(phone)),
			limits.codePerIpHour(ctx.ip),
		],
		now,
	);
	const code = generateLoginCode();
	const ticket = generateSessionToken();
	await db.transaction(async (tx) => {
		// A new code replaces any earlier one still open for the number.
		await tx
			.update(loginCodes)
			.set({ consumedAt: now })
			.where(and(eq(loginCodes.phone, phone), isNull(loginCodes.consumedAt)));
		await tx.insert(loginCodes).values({
			phone,
			codeHash: hashLoginCode(phone, code),
			ticketHash: sha256Hex(`ticket:${ticket}`),
			expiresAt: new Date(now.getTime() + CODE_TTL_MS),
			createdAt: now,
		});
		await ctx.sender.send(tx, phone, ctx.message(code));
	});
	return { phone, ticket };
}

/**
 * Checks a sign-in code: single use, unexpired. The browser that asked for it (its `ticket`)
 * has 5 tries, everyone else together has 5 more, so a stranger's guesses cannot use up the
 * owner's code; each try is claimed in one statement, so parallel guesses never exceed them.
 * Failures slow further tries down (back-off per address, and per phone for tries without the
 * ticket) rather than lock anyone out. On success the resident's account is created if new and
 * a fresh session starts (new id: no fixation).
 * Errors: invalid (format), unauthenticated (wrong, expired, used or exhausted), rate_limited.
 */
export async function verifyLoginCode(
	db: Db,
	input: { phone: string; code: string },
	ctx: Context & { sessionDays: number; ticket?: string | undefined },
): Promise<SignedIn> {
	const phone = parsePhone(input.phone);
	const code = input.code.normalize('NFKC').replace(/\s/g, '');
	if (!/^\d{6}$/.test(code)) throw new DomainError('invalid', 'auth.codeFormat');
	const now = ctx.now ?? new Date();
	const address = { key: `fail:ip:${ctx.ip}`, rule: backoffRules.address };
	const phoneBackoff = { key: `fail:phone:${phoneKey(phone)}`, rule: backoffRules.phone };
	await enforceRateLimits(db, [limits.verifyPerIpHour(ctx.ip)], now);
	await checkBackoff(db, [address], now);
	const ticketHash = ctx.ticket ? sha256Hex(`ticket:${ctx.ticket}`) : null;
	const [open] = await queryRows<{ id: number; ticket_hash: string | null }>(
		db,
		sql`select id, ticket_hash from login_codes
		    where phone = ${phone} and consumed_at is null and expires_at > ${now.toISOString()}
		    order by id desc limit 1`,
	);
	if (!open) throw new DomainError('unauthenticated', 'auth.codeExpired');
	const own = ticketHash !== null && open.ticket_hash === ticketHash;
	// Tries without the ticket are a stranger's (or a lost cookie): they wait on the phone too.
	if (!own) await claimAttempt(db, phoneBackoff, now);
	const [tried] = await queryRows<{ code_hash: string; tries: number }>(
		db,
		own
			? sql`update login_codes set attempts = attempts + 1
			      where id = ${open.id} and consumed_at is null and attempts < ${MAX_CODE_TRIES}
			      returning code_hash, attempts as tries`
			: sql`update login_codes set foreign_attempts = foreign_attempts + 1
			      where id = ${open.id} and consumed_at is null and foreign_attempts < ${MAX_CODE_TRIES}
			      returning code_hash, foreign_attempts as tries`,
	);
	if (!tried) throw new DomainError('unauthenticated', 'auth.codeExhausted');
	if (!sameDigest(tried.code_hash, hashLoginCode(phone, code))) {
		await recordFailures(db, [address], now);
		const left = MAX_CODE_TRIES - tried.tries;
		if (left <= 0) throw new DomainError('unauthenticated', 'auth.codeExhausted');
		throw new DomainError('unauthenticated', 'auth.codeWrong', { params: { left } });
	}
	return db.transaction(async (tx) => {
		// Single use even when two requests race with the right code.
		const consumed = await tx
			.update(loginCodes)
			.set({ consumedAt: now })
			.where(and(eq(loginCodes.id, open.id), isNull(loginCodes.consumedAt)))
			.returning({ id: loginCodes.id });
		if (consumed.length === 0) throw new DomainError('unauthenticated', 'auth.codeExpired');
		const user = await findOrCreateResident(tx as unknown as Db, phone);
		if (user.disabled) throw new DomainError('forbidden', 'auth.accountDisabled');
		await clearFailures(tx, [phoneBackoff]);
		const session = await createSession(tx as unknown as Db, user.id, ctx.sessionDays, now);
		await appendAudit(tx, {
			actorId: user.id,
			actorKind: 'resident',
			action: 'resident.sign_in',
			targetType: 'user',
			targetId: user.id,
			details: { method: 'sms', newAccount: user.created },
		});
		return { userId: user.id, kind: 'resident' as const, ...session };
	});
}

async function findOrCreateResident(
	db: Db,
	phone: string,
): Promise<{ id: string; created: boolean; disabled: boolean }> {
	const inserted = await db
		.insert(users)
		.values({ id: randomUUID(), kind: 'resident', phone })
		.onConflictDoNothing()
		.returning({ id: users.id });
	if (inserted[0]) return { id: inserted[0].id, created: true, disabled: false };
	const [existing] = await db
		.select({ id: users.id, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.phone, phone));
	if (!existing) throw new DomainError('conflict', 'error.tryAgain');
	return { id: existing.id, created: false, disabled: existing.disabledAt !== null };
}

/**
 * Password sign-in, for residents (AUTH_MODE=password) by phone and for staff by username.
 * The same answer and about the same time whether or not the account exists. Failures slow the
 * next try on the account (at most a minute) and from the address (longer); parallel tries on
 * one account go one at a time. Errors: unauthenticated, rate_limited (with the wait).
 */
export async function signInWithPassword(
	db: Db,
	input: { kind: 'resident' | 'staff'; login: string; password: string },
	ctx: Context & { sessionDays: number },
): Promise<SignedIn> {
	const now = ctx.now ?? new Date();
	const login =
		input.kind === 'resident'
			? parsePhone(input.login)
			: input.login.normalize('NFKC').trim().toLowerCase();
	// Wrong passwords slow the account and the address down; they never lock the account.
	const account = {
		key: `fail:acct:${sha256Hex(`${input.kind}:${login}`).slice(0, 32)}`,
		rule: backoffRules.account,
	};
	const address = { key: `fail:ip:${ctx.ip}`, rule: backoffRules.address };
	await enforceRateLimits(db, [limits.passwordPerIp(ctx.ip)], now);
	await checkBackoff(db, [address], now);
	await claimAttempt(db, account, now);
	const [user] = await db
		.select({
			id: users.id,
			passwordHash: users.passwordHash,
			disabledAt: users.disabledAt,
			deletedAt: users.deletedAt,
		})
		.from(users)
		.where(
			and(
				eq(users.kind, input.kind),
				input.kind === 'resident'
					? eq(users.phone, login)
					: sql`lower(${users.username}) = ${login}`,
			),
		);
	const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
	if (!user || !ok || user.disabledAt || user.deletedAt) {
		if (input.kind === 'staff') {
			await db.transaction((tx) =>
				appendAudit(tx, {
					actorId: null,
					actorKind: 'system',
					action: 'staff.sign_in_failed',
					targetType: 'user',
					targetId: user?.id ?? null,
					details: { username: login.slice(0, 64) },
				}),
			);
		}
		await recordFailures(db, [address], now);
		throw new DomainError('unauthenticated', 'auth.passwordWrong');
	}
	return db.transaction(async (tx) => {
		await clearFailures(tx, [account]);
		const session = await createSession(tx as unknown as Db, user.id, ctx.sessionDays, now);
		await appendAudit(tx, {
			actorId: user.id,
			actorKind: input.kind,
			action: `${input.kind}.sign_in`,
			targetType: 'user',
			targetId: user.id,
			details: { method: 'password' },
		});
		return { userId: user.id, kind: input.kind, ...session };
	});
}

/** Sets a resident's own password (AUTH_MODE=password), e.g. when first binding a household. */
export async function setResidentPassword(db: Db, userId: string, password: string): Promise<void> {
	if (password.length < 8 || password.length > 128)
		throw new DomainError('invalid', 'auth.passwordRules');
	await db
		.update(users)
		.set({ passwordHash: await hashPassword(password) })
		.where(eq(users.id, userId));
}
