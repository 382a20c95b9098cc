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

export function isDomainError(error: unknown): error is DomainError {
	return error instanceof DomainError;
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
