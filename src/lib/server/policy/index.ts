import type { Actor, Resource, Role, StaffActor } from './types.ts';

/**
 * The one authorisation policy: `can(actor, action, resource)`. Pages, actions and APIs call it;
 * no role check lives anywhere else. Staff scopes are real boundaries: a moderator of 梅岭社区
 * cannot touch 江滨社区 (PRODUCT.md "People and roles").
 */
const hasRole = (actor: Actor | null, role: Role): actor is StaffActor =>
	actor?.kind === 'staff' && actor.roles.has(role);
const isAdmin = (actor: Actor | null): boolean => hasRole(actor, 'admin');

/** A moderator (committee staff) of the resource's community, or an admin. */
const committee = (actor: Actor | null, r: Resource) =>
	isAdmin(actor) ||
	(hasRole(actor, 'moderator') &&
		r.communityId !== undefined &&
		actor.communityIds.has(r.communityId));

/** A project officer of the resource's project, or an admin. */
const officer = (actor: Actor | null, r: Resource) =>
	isAdmin(actor) ||
	(hasRole(actor, 'officer') && r.projectId !== undefined && actor.projectIds.has(r.projectId));

const member = (actor: Actor | null, r: Resource) =>
	actor?.kind === 'resident' && actor.memberships.some((m) => m.householdId === r.householdId);

const rules = {
	/** Staff area home: any staff account. */
	'staff.enter': (actor: Actor | null) => actor?.kind === 'staff',
	'staff.manage': (actor: Actor | null) => isAdmin(actor),
	'audit.read': (actor: Actor | null) => isAdmin(actor),
	'household.view': committee,
	'household.issue_codes': committee,
	'household.confirm_member': committee,
	/** Household rosters (issue 10): import, export, and editing or retiring households. */
	'roster.import': committee,
	'roster.export': committee,
	'household.edit': committee,
	'project.create': (actor: Actor | null) => isAdmin(actor),
	'project.edit': officer,
	'progress.post': officer,
	'opinion.moderate': committee,
	'opinion.answer': committee,
	/** Opinions received at meetings, by phone or on paper, recorded by the committee (issue 5). */
	'opinion.record_offline': committee,
	/** The sensitive-word list applies district-wide: admins only (issue 5). */
	'wordlist.manage': (actor: Actor | null) => isAdmin(actor),
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
	'problem.view': (actor: Actor | null, r: Resource) => committee(actor, r) || officer(actor, r),
	'meeting.manage': committee,
	/** The committee's phone, office address and hours printed on notices (issue 19). */
	'community.edit_contact': committee,
	/** 改造协议: a signed paper copy recorded with its photo (the committee, or the project's officer). */
	'agreement.record_paper': (actor: Actor | null, r: Resource) =>
		committee(actor, r) || officer(actor, r),
	/** 监督小组: confirming volunteers or drawing members by lot (the committee). */
	'supervision.manage': committee,
	/** 政策解读 of a project: its committee or its officers; a district's: admins only. */
	'explainer.edit_project': (actor: Actor | null, r: Resource) =>
		committee(actor, r) || officer(actor, r),
	'explainer.edit_district': (actor: Actor | null) => isAdmin(actor),
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

export type Action = keyof typeof rules;
export const actions = Object.keys(rules) as Action[];

export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
	return rules[action](actor, resource);
}
