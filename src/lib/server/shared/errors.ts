import type { MessageKey, Params } from '../../../i18n/index.ts';

/** The one error vocabulary of the domain modules; pages and actions translate `messageKey`. */
export type ErrorCode =
	| 'invalid'
	| 'unauthenticated'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'closed'
	| 'rate_limited';

export class DomainError extends Error {
	override name = 'DomainError';
	readonly code: ErrorCode;
	readonly messageKey: MessageKey;
	readonly params: Params | undefined;
	/** Seconds to wait, for rate limits (sent as Retry-After). */
	readonly retryAfter: number | undefined;

	constructor(
		code: ErrorCode,
		messageKey: MessageKey,
		options: { params?: Params; retryAfter?: number } = {},
	) {
		super(`${code}: ${messageKey}`);
		this.code = code;
		this.messageKey = messageKey;
		this.params = options.params;
		this.retryAfter = options.retryAfter;
	}
}

/**
 * Whether `error` is a DomainError, recognised by its name and code rather than by class: the
 * built server bundles its own copy of this module while `src/start.ts` (and the job handlers
 * it loads) use the source copy, so `instanceof` misses errors thrown by the other copy.
 */
export function isDomainError(error: unknown): error is DomainError {
	if (error instanceof DomainError) return true;
	const e = error as Partial<DomainError> | null;
	return (
		typeof e === 'object' &&
		e !== null &&
		e.name === 'DomainError' &&
		typeof e.code === 'string' &&
		Object.hasOwn(httpStatus, e.code) &&
		typeof e.messageKey === 'string'
	);
}

/** HTTP status for each domain error code (APIs answer with these). */
export const httpStatus: Record<ErrorCode, number> = {
	invalid: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	closed: 409,
	rate_limited: 429,
};

/** The PostgreSQL SQLSTATE of a driver error (drizzle wraps it in `cause`), if any. */
export function pgErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';

/**
 * SQLSTATEs that mean the request's data cannot be stored: class 22 (data exception: an
 * integer out of range, an impossible date, bad text encoding) and 23503 (a foreign key names
 * a row that does not exist). Input checks should refuse such values first; these are the net.
 */
export function isBadDataError(error: unknown): boolean {
	const code = pgErrorCode(error);
	return code !== undefined && (code.startsWith('22') || code === '23503');
}

/**
 * The one place an error becomes something a person can be told: a DomainError (from either
 * copy of this module) as it is, or bad data PostgreSQL refused as `invalid` (400). Anything
 * else → null: a bug, shown as a generic 500. (Image refusals become DomainErrors in
 * `images/store.ts`, where the limits for their message are known.)
 */
export function asDomainError(error: unknown): DomainError | null {
	if (isDomainError(error)) return error;
	if (isBadDataError(error)) return new DomainError('invalid', 'error.badInput');
	return null;
}
