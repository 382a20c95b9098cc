import { createHash } from 'node:crypto';
import { auditActorKinds, type auditLog } from '../../../../db/schema/audit.ts';
import type { AuditContent, AuditDetails, AuditEntryInput } from './types.ts';

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Details larger than this are refused: the log records decisions, not documents. */
export const MAX_DETAILS_CHARS = 16_384;

const MAX_DEPTH = 32;
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const TARGET_TYPE = /^[a-z][a-z0-9_]*$/;
// By convention details never hold personal data or secrets (PIPL: collect the minimum; the
// log can never be edited, so a leaked value could never be removed). These catch mistakes.
const SECRET_WORDS = new Set('password passwd passcode secret token otp phone mobile'.split(' '));
const SECRET_COMPOUNDS = ['idcard', 'smscode', 'invitecode', 'verificationcode'];
const MAINLAND_MOBILE = /(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/g;

/** What a phone number inside a details string is replaced with. */
export const REDACTED_PHONE = '[phone]';

/** A programming error in what a command tried to log; nothing was written. */
export class AuditEntryError extends Error {
	override name = 'AuditEntryError';
}

/**
 * Refuses strings PostgreSQL cannot store unchanged: NUL (refused by text and jsonb) and lone
 * surrogates (rewritten to U+FFFD), either of which would make the stored row hash differently.
 */
function checkString(value: string, where: string): void {
	if (value.includes('\u0000') || !value.isWellFormed()) {
		throw new AuditEntryError(`${where}: string contains NUL or a lone surrogate`);
	}
}

function writeCanonical(value: unknown, where: string, depth: number): string {
	if (depth > MAX_DEPTH) throw new AuditEntryError(`${where}: nested too deeply (or cyclic)`);
	if (value === null) return 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new AuditEntryError(`${where}: ${value} is not JSON`);
		return JSON.stringify(value);
	}
	if (typeof value === 'string') {
		checkString(value, where);
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) {
		const parts: string[] = [];
		for (let i = 0; i < value.length; i++) {
			if (value[i] === undefined) throw new AuditEntryError(`${where}[${i}]: undefined`);
			parts.push(writeCanonical(value[i], `${where}[${i}]`, depth + 1));
		}
		return `[${parts.join(',')}]`;
	}
	if (typeof value === 'object') {
		const proto = Object.getPrototypeOf(value);
		if (proto !== Object.prototype && proto !== null) {
			throw new AuditEntryError(`${where}: only plain objects, not ${proto?.constructor?.name}`);
		}
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record)
			.filter((key) => record[key] !== undefined)
			.sort();
		const parts = keys.map((key) => {
			checkString(key, `${where} key`);
			return `${JSON.stringify(key)}:${writeCanonical(record[key], `${where}.${key}`, depth + 1)}`;
		});
		return `{${parts.join(',')}}`;
	}
	throw new AuditEntryError(`${where}: ${typeof value} is not JSON`);
}

/**
 * Canonical JSON: object keys sorted (UTF-16 code unit order) at every depth, no whitespace,
 * numbers as `JSON.stringify` writes them. Object keys whose value is undefined are left out
 * (as `JSON.stringify` does). Throws AuditEntryError for anything that is not JSON: NaN,
 * Infinity, bigint, functions, undefined in arrays, Date/Map/class instances, NUL or lone
 * surrogates in strings, nesting deeper than 32.
 */
export function canonicalJson(value: unknown): string {
	return writeCanonical(value, 'value', 0);
}

/** The entry hash: SHA-256 (hex) of the previous hash, a newline and the canonical content. */
export function hashEntry(prevHash: string, content: AuditContent): string {
	return createHash('sha256')
		.update(`${prevHash}\n${canonicalJson(content)}`, 'utf8')
		.digest('hex');
}

/** The hashed content of a stored row (what `normaliseEntry` produced when it was appended). */
export function storedContent(row: typeof auditLog.$inferSelect): AuditContent {
	return {
		at: row.at.toISOString(),
		actorId: row.actorId,
		actorKind: row.actorKind,
		action: row.action,
		targetType: row.targetType,
		targetId: row.targetId,
		communityId: row.communityId,
		details: row.details,
	};
}

function checkText(value: string, where: string, max: number): string {
	checkString(value, where);
	if (value.length === 0 || value.length > max) {
		throw new AuditEntryError(`${where}: must be 1–${max} characters`);
	}
	return value;
}

/** True when a key, split into words (camelCase, snake_case, kebab-case), names a secret. */
export function isSecretKey(key: string): boolean {
	const words = key
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
	const joined = words.join('');
	return (
		words.some((word) => SECRET_WORDS.has(word)) || SECRET_COMPOUNDS.some((c) => joined.includes(c))
	);
}

/**
 * Details values may come from users (a mistyped login name), so they never fail a command:
 * strings lose NUL characters and lone surrogates, and phone numbers in them are redacted.
 * Keys are the developer's: one naming a secret is refused. Anything else that is not JSON is
 * left for canonicalJson to refuse.
 */
function sanitiseDetails(value: unknown, where: string): unknown {
	if (typeof value === 'string') {
		return value.toWellFormed().replaceAll('\u0000', '').replace(MAINLAND_MOBILE, REDACTED_PHONE);
	}
	if (Array.isArray(value))
		return value.map((inner, i) => sanitiseDetails(inner, `${where}[${i}]`));
	if (value === null || typeof value !== 'object') return value;
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, inner]) => {
			if (isSecretKey(key)) throw new AuditEntryError(`${where}.${key}: never log secrets`);
			return [key, sanitiseDetails(inner, `${where}.${key}`)];
		}),
	);
}

function normaliseDetails(details: AuditEntryInput['details']): AuditDetails {
	const value = details ?? {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new AuditEntryError('details: must be an object');
	}
	const text = canonicalJson(sanitiseDetails(value, 'details'));
	if (text.length > MAX_DETAILS_CHARS) {
		throw new AuditEntryError(`details: longer than ${MAX_DETAILS_CHARS} characters`);
	}
	return JSON.parse(text) as AuditDetails;
}

function normaliseAt(at: Date | undefined): Date {
	const date = new Date((at ?? new Date()).getTime());
	const year = date.getUTCFullYear();
	if (Number.isNaN(date.getTime()) || year < 1970 || year > 9999) {
		throw new AuditEntryError('at: must be a valid date between 1970 and 9999');
	}
	return date;
}

/**
 * Validates an entry and returns the content to hash and store (details reduced to canonical
 * JSON values, target id as text) and its date. Throws AuditEntryError, naming the field.
 */
export function normaliseEntry(input: AuditEntryInput): { content: AuditContent; at: Date } {
	if (!auditActorKinds.includes(input.actorKind)) {
		throw new AuditEntryError(`actorKind: unknown '${String(input.actorKind)}'`);
	}
	if ((input.actorKind === 'system') !== (input.actorId === null)) {
		throw new AuditEntryError('actorId: null exactly when actorKind is system');
	}
	if (!ACTION.test(input.action)) {
		throw new AuditEntryError(`action: '${input.action}' is not dotted lower snake case`);
	}
	const targetType = input.targetType ?? null;
	const targetId = input.targetId === undefined || input.targetId === null ? null : input.targetId;
	if (targetType !== null && !TARGET_TYPE.test(targetType)) {
		throw new AuditEntryError(`targetType: '${targetType}' is not lower snake case`);
	}
	if (targetId !== null && targetType === null) {
		throw new AuditEntryError('targetId: needs a targetType');
	}
	const communityId = input.communityId ?? null;
	if (communityId !== null && !(Number.isSafeInteger(communityId) && communityId > 0)) {
		throw new AuditEntryError('communityId: must be a positive integer');
	}
	const at = normaliseAt(input.at);
	const content: AuditContent = {
		at: at.toISOString(),
		actorId: input.actorId === null ? null : checkText(input.actorId, 'actorId', 200),
		actorKind: input.actorKind,
		action: checkText(input.action, 'action', 100),
		targetType,
		targetId: targetId === null ? null : checkText(String(targetId), 'targetId', 200),
		communityId,
		details: normaliseDetails(input.details),
	};
	return { content, at };
}
