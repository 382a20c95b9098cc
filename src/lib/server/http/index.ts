/**
 * The http module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { badActionBody, isActionRequest, withActionMessage } from './action-errors.ts';
export { bodyLimit, formatLimit, isMalformedJson, readBodyWithin } from './body-limit.ts';
export { clientIp } from './client-ip.ts';
export {
	clearSessionCookie,
	LOGIN_PHONE_COOKIE,
	LOGIN_TICKET_COOKIE,
	setSessionCookie,
} from './cookies.ts';
export { safeRedirectPath } from './redirect.ts';
export {
	FALLBACK_CSP,
	isMutation,
	isSameOrigin,
	requestOrigin,
	securityHeaders,
} from './security.ts';
export {
	asUnavailable,
	isClientAbort,
	isDatabaseUnavailable,
	markDatabaseDown,
	markDatabaseUp,
	probeDatabase,
	refuseWhileDown,
	unavailableResponse,
} from './unavailable.ts';
