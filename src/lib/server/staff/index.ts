/**
 * The staff module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	createStaffInput,
	disableStaffInput,
	resetPasswordInput,
	staffTargetInput,
	updateStaffInput,
} from './schemas.ts';
export { getStaffAlerts } from './alerts.ts';
export {
	createStaff,
	listStaff,
	resetStaffPassword,
	setStaffDisabled,
	signOutEverywhere,
	updateStaffAccess,
} from './commands.ts';
export { listScopeTargets, type ScopeTargets } from './queries.ts';
