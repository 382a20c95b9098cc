import { inScope, scopeUnder, type StaffRule, type StaffScope } from './scope.ts';
import type { Actor, Resource } from './types.ts';

/**
 * The one authorisation policy: `can(actor, action, resource)`. Pages, actions and APIs call it;
 * no role check lives anywhere else. Staff scopes are real boundaries: a moderator of 梅岭社区
 * cannot touch 江滨社区 (PRODUCT.md "People and roles"). Staff rules are data (who may:
 * admins, a community's committee, a project's officers), so the same table answers `can` for
 * one row and `staffScope` for a whole list.
 */

/** Admins only (district-wide actions). */
const adminOnly: StaffRule = { community: false, project: false };
/** A moderator (committee staff) of the resource's community, or an admin. */
const committee: StaffRule = { community: true, project: false };
/** A project officer of the resource's project, or an admin. */
const officer: StaffRule = { community: false, project: true };
/** The committee of the community or an officer of the project, or an admin. */
const committeeOrOfficer: StaffRule = { community: true, project: true };

const member = (actor: Actor | null, r: Resource) =>
	actor?.kind === 'resident' && actor.memberships.some((m) => m.householdId === r.householdId);

/** Staff actions, each with who may take it: the same table gives `can` and `staffScope`. */
const staffRules = {
	'staff.manage': adminOnly,
	'audit.read': adminOnly,
	'household.view': committee,
	'household.issue_codes': committee,
	'household.confirm_member': committee,
	/** Household rosters (issue 10): import, export, and editing or retiring households. */
	'roster.import': committee,
	'roster.export': committee,
	'household.edit': committee,
	'project.create': adminOnly,
	'project.edit': officer,
	'progress.post': officer,
	'opinion.moderate': committee,
	'opinion.answer': committee,
	/** Opinions received at meetings, by phone or on paper, recorded by the committee (issue 5). */
	'opinion.record_offline': committee,
	/** The sensitive-word list applies district-wide: admins only (issue 5). */
	'wordlist.manage': adminOnly,
	'round.manage': committee,
	'ballot.enter_paper': committee,
	'results.publish': committee,
	/** Satisfaction surveys (issue 7): build, open, close, paper entry, free-text moderation. */
	'survey.manage': committee,
	/**
	 * Each household's answers to a survey declared named (实名) before publication: the
	 * committee of its community only. Anonymous surveys refuse whoever asks (surveys module).
	 */
	'survey.read_answers': committee,
	/** Progress (issue 8): the joint acceptance record is the project officer's, as updates are. */
	'acceptance.record': officer,
	/** Construction problem reports (派单) and residents' meetings: the community's committee. */
	'problem.dispatch': committee,
	/** Reading problem reports: the committee, and the officers of the project (its works). */
	'problem.view': committeeOrOfficer,
	'meeting.manage': committee,
	/** The committee's phone, office address and hours printed on notices (issue 19). */
	'community.edit_contact': committee,
	/** 改造协议: a signed paper copy recorded with its photo (the committee, or the project's officer). */
	'agreement.record_paper': committeeOrOfficer,
	/** 监督小组: confirming volunteers or drawing members by lot (the committee). */
	'supervision.manage': committee,
	/** 政策解读 of a project: its committee or its officers; a district's: admins only. */
	'explainer.edit_project': committeeOrOfficer,
	'explainer.edit_district': adminOnly,
} satisfies Record<string, StaffRule>;

const otherRules = {
	/** Staff area home: any staff account. */
	'staff.enter': (actor: Actor | null) => actor?.kind === 'staff',
	/** A signed-in resident reports a construction problem or says they will come to a meeting. */
	'problem.report': (actor: Actor | null) => actor?.kind === 'resident',
	/** A signed-in resident (blocks are checked by the opinions module). */
	'opinion.write': (actor: Actor | null) => actor?.kind === 'resident',
	'household.act': member,
	/** Consent rounds: the owner's ballot, or a member the owner authorised. */
	'household.consent': (actor: Actor | null, r: Resource) =>
		actor?.kind === 'resident' &&
		actor.memberships.some((m) => m.householdId === r.householdId && m.mayConsent),
	'household.authorise_member': (actor: Actor | null, r: Resource) =>
		actor?.kind === 'resident' &&
		actor.memberships.some((m) => m.householdId === r.householdId && m.relation === 'owner'),
} satisfies Record<string, (actor: Actor | null, resource: Resource) => boolean>;

export type StaffAction = keyof typeof staffRules;
export type Action = StaffAction | keyof typeof otherRules;
export const actions = [...Object.keys(staffRules), ...Object.keys(otherRules)] as Action[];

const isStaffAction = (action: Action): action is StaffAction => Object.hasOwn(staffRules, action);

/**
 * What the actor may see for these staff actions (any of them): `{ all: true }` for admins,
 * else the communities and projects their role grants. Every staff list filters by it through
 * `scopeFilter`, so a list shows exactly the rows `can` allows one by one.
 */
export function staffScope(
	actor: Actor | null,
	action: StaffAction,
	...more: StaffAction[]
): StaffScope {
	return scopeUnder(
		actor,
		[action, ...more].map((a) => staffRules[a]),
	);
}

export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
	if (isStaffAction(action)) return inScope(staffScope(actor, action), resource);
	return otherRules[action](actor, resource);
}

export { isEmptyScope, scopeFilter, type StaffScope } from './scope.ts';
export {
	type Actor,
	type Relation,
	type ResidentActor,
	type Resource,
	type Role,
	type StaffActor,
} from './types.ts';
export { loadActor, loadMemberships } from './actor.ts';
export { type Membership } from './types.ts';
