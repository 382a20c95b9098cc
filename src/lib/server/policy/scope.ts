import { inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Actor, Resource } from './types.ts';

/**
 * Who a staff action is for. Admins are district-wide and may always; otherwise a moderator
 * (the community's committee, 居委会) acts on their communities and a project officer on their
 * projects, as the rule says.
 */
export type StaffRule = { community: boolean; project: boolean };

/**
 * What a staff member may see or do for one action: everything (`{ all: true }`, admins), or
 * the rows of these communities and projects. An empty scope (no ids) sees nothing.
 */
export type StaffScope =
	{ all: true } | { all: false; communityIds: readonly number[]; projectIds: readonly number[] };

const NO_SCOPE: StaffScope = { all: false, communityIds: [], projectIds: [] };

/** The scope an actor has under the given rules (several rules: any of them). */
export function scopeUnder(actor: Actor | null, rules: readonly StaffRule[]): StaffScope {
	if (actor?.kind !== 'staff') return NO_SCOPE;
	if (actor.roles.has('admin')) return { all: true };
	const byCommunity = actor.roles.has('moderator') && rules.some((r) => r.community);
	const byProject = actor.roles.has('officer') && rules.some((r) => r.project);
	return {
		all: false,
		communityIds: byCommunity ? [...actor.communityIds].sort((a, b) => a - b) : [],
		projectIds: byProject ? [...actor.projectIds].sort((a, b) => a - b) : [],
	};
}

/** True when the scope holds nothing: the list is empty and its page has nothing to offer. */
export const isEmptyScope = (scope: StaffScope): boolean =>
	!scope.all && scope.communityIds.length === 0 && scope.projectIds.length === 0;

/** Whether a resource (its community or its project) lies inside the scope. */
export function inScope(scope: StaffScope, r: Resource): boolean {
	if (scope.all) return true;
	return (
		(r.communityId !== undefined && scope.communityIds.includes(r.communityId)) ||
		(r.projectId !== undefined && scope.projectIds.includes(r.projectId))
	);
}

/**
 * The one WHERE condition that limits a staff list to its scope: undefined for everything, a
 * condition matching nothing for an empty scope. `columns` names where the row's community and
 * project are (a drizzle column, or `sql` naming one in a raw query); a list without a project
 * column shows nothing by project scope alone, and likewise for communities.
 */
export function scopeFilter(
	scope: StaffScope,
	columns: { communityId?: SQLWrapper; projectId?: SQLWrapper },
): SQL | undefined {
	if (scope.all) return undefined;
	const conditions = [
		columns.communityId && scope.communityIds.length
			? inArray(columns.communityId, [...scope.communityIds])
			: undefined,
		columns.projectId && scope.projectIds.length
			? inArray(columns.projectId, [...scope.projectIds])
			: undefined,
	].filter((c) => c !== undefined);
	return conditions.length ? or(...conditions) : sql`false`;
}
