import { describe, expect, it } from 'vitest';
import { actions, can, type Action } from '../../../src/lib/server/policy/index.ts';
import type { Actor, Membership, Role } from '../../../src/lib/server/policy/types.ts';

/** Community 1 (梅岭) and project 10 are "ours"; community 2 (江滨) and project 20 are not. */
const staff = (roles: Role[]): Actor => ({
	kind: 'staff',
	userId: `staff-${roles.join('-') || 'none'}`,
	roles: new Set(roles),
	communityIds: new Set(roles.includes('moderator') ? [1] : []),
	projectIds: new Set(roles.includes('officer') ? [10] : []),
});
const membership = (overrides: Partial<Membership>): Membership => ({
	membershipId: 1,
	householdId: 100,
	relation: 'owner',
	mayConsent: true,
	communityId: 1,
	compoundId: 1,
	buildingId: 1,
	buildingNumber: '3',
	unitNumber: '1',
	room: '101',
	compoundName: '红岩新村',
	compoundNameEn: 'Hongyan',
	...overrides,
});
const actors: Record<string, Actor | null> = {
	visitor: null,
	owner: { kind: 'resident', userId: 'r1', memberships: [membership({})] },
	family: {
		kind: 'resident',
		userId: 'r2',
		memberships: [membership({ relation: 'family', mayConsent: false })],
	},
	authorisedFamily: {
		kind: 'resident',
		userId: 'r3',
		memberships: [membership({ relation: 'family', mayConsent: true })],
	},
	admin: staff(['admin']),
	moderator: staff(['moderator']),
	officer: staff(['officer']),
	noRole: staff([]),
};

const inScope = { communityId: 1, projectId: 10, householdId: 100 };
const outOfScope = { communityId: 2, projectId: 20, householdId: 200 };

/** Expected outcome per action: who may act in scope; nobody but admins may act out of scope. */
const table: Record<Action, string[]> = {
	'staff.enter': ['admin', 'moderator', 'officer', 'noRole'],
	'staff.manage': ['admin'],
	'audit.read': ['admin'],
	'household.view': ['admin', 'moderator'],
	'household.issue_codes': ['admin', 'moderator'],
	'household.confirm_member': ['admin', 'moderator'],
	'roster.import': ['admin', 'moderator'],
	'roster.export': ['admin', 'moderator'],
	'household.edit': ['admin', 'moderator'],
	'project.create': ['admin'],
	'project.edit': ['admin', 'officer'],
	'progress.post': ['admin', 'officer'],
	'opinion.moderate': ['admin', 'moderator'],
	'opinion.answer': ['admin', 'moderator'],
	'opinion.record_offline': ['admin', 'moderator'],
	'wordlist.manage': ['admin'],
	'round.manage': ['admin', 'moderator'],
	'ballot.enter_paper': ['admin', 'moderator'],
	'results.publish': ['admin', 'moderator'],
	'survey.manage': ['admin', 'moderator'],
	'survey.read_answers': ['admin', 'moderator'],
	'acceptance.record': ['admin', 'officer'],
	'problem.dispatch': ['admin', 'moderator'],
	'problem.view': ['admin', 'moderator', 'officer'],
	'meeting.manage': ['admin', 'moderator'],
	'community.edit_contact': ['admin', 'moderator'],
	'agreement.record_paper': ['admin', 'moderator', 'officer'],
	'supervision.manage': ['admin', 'moderator'],
	'explainer.edit_project': ['admin', 'moderator', 'officer'],
	'explainer.edit_district': ['admin'],
	'problem.report': ['owner', 'family', 'authorisedFamily'],
	'opinion.write': ['owner', 'family', 'authorisedFamily'],
	'household.act': ['owner', 'family', 'authorisedFamily'],
	'household.consent': ['owner', 'authorisedFamily'],
	'household.authorise_member': ['owner'],
};

/** Actions that are not about a scoped resource: scope does not change the answer. */
const unscoped: Action[] = [
	'staff.enter',
	'staff.manage',
	'audit.read',
	'project.create',
	'opinion.write',
	'wordlist.manage',
	'problem.report',
];

describe('can(actor, action, resource)', () => {
	it('covers every action of the policy', () => {
		expect(Object.keys(table).sort()).toEqual([...actions].sort());
	});

	for (const action of actions) {
		for (const [name, actor] of Object.entries(actors)) {
			const allowed = table[action].includes(name);
			it(`${action} · ${name} · in scope → ${allowed}`, () => {
				expect(can(actor, action, inScope)).toBe(allowed);
			});
			const outAllowed = allowed && (unscoped.includes(action) || name === 'admin');
			it(`${action} · ${name} · out of scope → ${outAllowed}`, () => {
				expect(can(actor, action, outOfScope)).toBe(outAllowed);
			});
		}
	}

	it('refuses scoped staff actions with no resource at all', () => {
		expect(can(actors.moderator!, 'household.issue_codes', {})).toBe(false);
		expect(can(actors.officer!, 'project.edit', {})).toBe(false);
	});
});
