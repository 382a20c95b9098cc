import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	compounds,
	households,
	memberships,
	staffRoles,
	staffScopes,
	units,
} from '../../../../db/schema/index.ts';
import type { Actor, Membership, Role } from './types.ts';

/** Loads what the policy needs about a signed-in user: memberships, or staff roles and scopes. */
export async function loadActor(
	db: Executor,
	userId: string,
	kind: 'resident' | 'staff',
): Promise<Actor> {
	if (kind === 'staff') {
		const rows = await db
			.select({
				role: staffRoles.role,
				communityId: staffScopes.communityId,
				projectId: staffScopes.projectId,
			})
			.from(staffRoles)
			.leftJoin(staffScopes, eq(staffScopes.staffRoleId, staffRoles.id))
			.where(eq(staffRoles.userId, userId));
		return {
			kind: 'staff',
			userId,
			roles: new Set(rows.map((r) => r.role as Role)),
			communityIds: new Set(rows.flatMap((r) => (r.communityId === null ? [] : [r.communityId]))),
			projectIds: new Set(rows.flatMap((r) => (r.projectId === null ? [] : [r.projectId]))),
		};
	}
	return { kind: 'resident', userId, memberships: await loadMemberships(db, userId) };
}

export async function loadMemberships(db: Executor, userId: string): Promise<Membership[]> {
	const rows = await db
		.select({
			membershipId: memberships.id,
			householdId: memberships.householdId,
			relation: memberships.relation,
			authorisedBy: memberships.consentAuthorisedBy,
			communityId: compounds.communityId,
			compoundId: compounds.id,
			buildingId: buildings.id,
			buildingNumber: buildings.number,
			unitNumber: units.number,
			room: households.room,
			compoundName: compounds.name,
			compoundNameEn: compounds.nameEn,
		})
		.from(memberships)
		.innerJoin(households, eq(households.id, memberships.householdId))
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(and(eq(memberships.userId, userId), isNull(memberships.endedAt)))
		.orderBy(memberships.id);
	return rows.map(({ authorisedBy, ...row }) => ({
		...row,
		mayConsent: row.relation === 'owner' || authorisedBy !== null,
	}));
}
