/**
 * The shared module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { type Config, devSmsEnabled, getConfig, ownerKeySecret, publicOrigin } from './config.ts';
export { type Confirmation, earlyCloseReason, requireConfirmed } from './confirm.ts';
export {
	asDomainError,
	DomainError,
	type ErrorCode,
	httpStatus,
	isDomainError,
	isUniqueViolation,
	pgErrorCode,
} from './errors.ts';
export { dbId, INT4_MAX, intParam, isCalendarDate, isLocalDateTime } from './input.ts';
export { logger } from './logger.ts';
export { type CsvCell, escapeCell, toCsv } from './csv.ts';
export { chooseResultsScope, type ResultsScope, rowsInScope } from './results-scope.ts';
