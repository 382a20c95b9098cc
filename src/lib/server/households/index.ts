/**
 * The households module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	bindInput,
	bindWithPasswordInput,
	consentInput,
	issueCodesInput,
	revokeCodesInput,
} from './schemas.ts';
export {
	bindHousehold,
	issueHouseholdCodes,
	revokeHouseholdCodes,
	setConsentAuthorisation,
} from './commands.ts';
export {
	buildingKey,
	findByDoorNumber,
	type FinderHousehold,
	nextInUnit,
	parseDoorNumber,
	pickerLevels,
} from './finder.ts';
export {
	getBuildingForStaff,
	listCompoundsForStaff,
	listMembersOfMyHouseholds,
} from './queries.ts';
export { registerAndBind } from './register.ts';
