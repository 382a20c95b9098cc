/**
 * The progress module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	acceptanceInput,
	defectFixedInput,
	files,
	meetingInput,
	milestoneInput,
	minutesInput,
	postUpdateInput,
	rsvpInput,
} from './schemas.ts';
export { chinaToday, isIsoDate, ITEM_STATUSES } from './rules.ts';
export { markDefectFixed, recordAcceptance } from './acceptance.ts';
export { projectFor, requireResident } from './access.ts';
export { itemRows, postProgressUpdate, prepareImages, setMilestone } from './commands.ts';
export { announceMeeting, publishMinutes, rsvpMeeting } from './meetings.ts';
export {
	getAcceptance,
	getProgressSummary,
	type ItemProgressView,
	listItemProgress,
	listMeetings,
	listMilestones,
	listProgressUpdates,
	listProjectsForProgress,
	type MilestoneView,
	type UpdateView,
} from './queries.ts';
