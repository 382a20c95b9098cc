/**
 * The roster module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	applyRosterInput,
	checkRosterInput,
	editHouseholdInput,
	exportQuery,
	restoreHouseholdInput,
	retireHouseholdsInput,
} from './schemas.ts';
export { applyRoster, type CheckResult, checkRoster } from './commands.ts';
export { editHousehold, restoreHousehold, retireHouseholds } from './edit.ts';
export { exportRoster, type RosterFile, templateFile } from './export.ts';
export { rosterLimits } from './limits.ts';
export { decodePayload } from './payload.ts';
export { type HouseholdChange, type HouseholdLabel } from './plan.ts';
export {
	getHouseholdForStaff,
	listHouseholdsByIds,
	listRosterCompounds,
	mayUseRoster,
	SEARCH_LIMIT,
	searchHouseholds,
} from './queries.ts';
export { columnKeys, columns, occupancies } from './template.ts';
export { normaliseBuilding, normaliseRoom, type RowError } from './validate.ts';
export { writeXlsx, type XlsxCell } from './xlsx.ts';
