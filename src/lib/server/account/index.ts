/**
 * The account module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { deleteMyAccount, exportMyData, getMyProfile } from './commands.ts';
export { hasCurrentConsent, PRIVACY_POLICY_VERSION, recordPrivacyConsent } from './privacy.ts';
export { getHouseholdTodo, type HouseholdTodo } from './todo.ts';
