/**
 * The audit module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { appendAudit } from './commands.ts';
export { listAudit } from './queries.ts';
export { getAuditHead, getAuditSummary } from './queries.ts';
