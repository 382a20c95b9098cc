import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
	const left = Buffer.from(a, 'hex');
	const right = Buffer.from(b, 'hex');
	return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** A 6-digit one-time sign-in code (uniform, from the CSPRNG). */
export function generateLoginCode(): string {
	return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a sign-in code: bound to the phone so a hash is useless for another number. */
export function hashLoginCode(phone: string, code: string): string {
	return sha256Hex(`login:${phone}:${code}`);
}

/**
 * Household invitation codes: 12 characters from a 32-letter alphabet without look-alikes
 * (no 0/O, 1/I) = 60 bits, printed in three groups of four for elders to type.
 */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const INVITE_LENGTH = 12;

export function generateInviteCode(): string {
	const bytes = randomBytes(INVITE_LENGTH);
	let code = '';
	for (const byte of bytes) code += INVITE_ALPHABET[byte & 31];
	return code;
}

/** Accepts what people type (spaces, dashes, lower case, full-width); null if it cannot be a code. */
export function normalizeInviteCode(input: string): string | null {
	const compact = input
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s\-_.]/g, '');
	if (compact.length !== INVITE_LENGTH) return null;
	for (const char of compact) if (!INVITE_ALPHABET.includes(char)) return null;
	return compact;
}

export function formatInviteCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

export function hashInviteCode(code: string): string {
	return sha256Hex(`invite:${code}`);
}

/** A session token for the cookie (256 bits); only its SHA-256 is stored as the session id. */
export function generateSessionToken(): string {
	return randomBytes(32).toString('base64url');
}

export function sessionIdFromToken(token: string): string {
	return sha256Hex(`session:${token}`);
}

/** Whether a cookie value has the shape of a session token (32 random bytes, base64url). */
export function isSessionToken(value: string | undefined): value is string {
	return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * Whether lucia would extend this session on its next validation (less than half its lifetime
 * left): requests answered before Astro leave such sessions to it, so the cookie is renewed.
 */
export function dueForExtension(expiresAt: Date | string, sessionDays: number, now = Date.now()) {
	return new Date(expiresAt).getTime() < extensionThreshold(sessionDays, now).getTime();
}

/** The expiry a session needs not to be due for extension now (half its lifetime ahead). */
export function extensionThreshold(sessionDays: number, now = Date.now()): Date {
	return new Date(now + (sessionDays * 24 * 60 * 60 * 1000) / 2);
}
