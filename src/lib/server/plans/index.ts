/**
 * The plans module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	addAttachmentInput,
	addChangeInput,
	addItemInput,
	addRenderingInput,
	createVersionInput,
	publishInput,
	removeAttachmentInput,
	removeItemInput,
	removeRenderingInput,
	updateDraftInput,
	versionIdInput,
} from './schemas.ts';
export { acceptsOpinions, effectiveStatus, type StoredStatus } from './rules.ts';
export {
	addAttachment,
	addPlanChange,
	addPlanItem,
	addRendering,
	closePlanVersion,
	createPlanVersion,
	publishPlanVersion,
	removeAttachment,
	removePlanItem,
	removeRendering,
	updatePlanDraft,
} from './commands.ts';
export { blockerMessage, finalPlanBlockers, type GateBlocker } from './gates.ts';
export {
	getPlanVersionView,
	getPublishedAttachment,
	getVersionDiff,
	listMenu,
	listPlanVersions,
	listProjectBuildings,
	listProjectsForStaff,
} from './queries.ts';
