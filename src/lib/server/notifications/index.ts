/**
 * The notifications module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	followHouseholdProjects,
	followProject,
	listNotifications,
	markAllRead,
	type NotificationInput,
	notify,
	notifyFollowers,
	notifyHouseholds,
	setSmsOptIn,
	unfollowProject,
} from './commands.ts';
export {
	BADGE_CAP,
	getFollow,
	getSmsOptIn,
	listFollowedProjects,
	unreadBadgeCount,
} from './queries.ts';
export { formatDay, renderNotification, unitLabel } from './render.ts';
export { notifyReplyPublished } from './replies.ts';
export { notifyResultsPublished } from './results.ts';
export { deliverSms, SMS_JOB } from './sms.ts';
