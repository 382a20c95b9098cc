/**
 * The auth module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	passwordSignInInput,
	requestCodeInput,
	staffSignInInput,
	verifyCodeInput,
} from './schemas.ts';
export {
	requestLoginCode,
	type SignedIn,
	signInWithPassword,
	verifyLoginCode,
} from './commands.ts';
export { listOutbox } from './outbox.ts';
export { hashPassword } from './passwords.ts';
export { maskPhone, normalizePhone } from './phone.ts';
export { enforceRateLimits, type Limit, limits } from './rate-limit.ts';
export {
	formatInviteCode,
	generateInviteCode,
	hashInviteCode,
	isSessionToken,
	normalizeInviteCode,
} from './secrets.ts';
export {
	createSession,
	invalidateSession,
	SESSION_COOKIE,
	validateSessionToken,
} from './sessions.ts';
export { type SmsSender, smsSenderFor } from './sms.ts';
