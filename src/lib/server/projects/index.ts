/**
 * The projects module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { type ScopeFigures, type Stage } from './types.ts';
export { communityContactInput } from './schemas.ts';
export { isStage, stageOrder } from './rules.ts';
export {
	getCommunityContact,
	listEditableContacts,
	updateCommunityContact,
} from './community-contact.ts';
export { renderOgImage } from './og-image.ts';
export { listOpenNow, type OpenActivity } from './open-now.ts';
export { type ConsultationStep, getConsultationProcess } from './process.ts';
export { getProjectBySlug, listProjects } from './queries.ts';
export { QUERY_MAX } from './search-rules.ts';
export { type CompoundHit, HITS_SHOWN, searchCompounds } from './search.ts';
export { listSurveyLinks } from './survey-links.ts';
