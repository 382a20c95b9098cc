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
export { addAttachment, removeAttachment } from './commands/attachments.ts';
export { addPlanChange } from './commands/changes.ts';
export { createPlanVersion, updatePlanDraft } from './commands/draft.ts';
export { addPlanItem, removePlanItem } from './commands/items.ts';
export { closePlanVersion, publishPlanVersion } from './commands/publish.ts';
export { addRendering, removeRendering } from './commands/renderings.ts';
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
export { renderMarkdown } from './markdown.ts';
export { formatYuan, parseYuan } from './rules.ts';
export {
	addAlternative,
	type AlternativeView,
	MAX_ALTERNATIVES,
	removeAlternative,
} from './alternatives.ts';
export { loadFunding } from './funding-queries.ts';
export { FUNDING_SOURCES, residentPartFen } from './funding.ts';
export { type FundingTable, type PlanItemView } from './queries.ts';
export { setPlanItemFunding } from './set-funding.ts';
export { addAlternativeInput, removeAlternativeInput, setFundingInput } from './schemas.ts';
