import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	communities,
	compounds,
	householdCodes,
	households,
	memberships,
	units,
	users,
} from '../../../../db/schema/index.ts';
import { maskPhone } from '../auth/index.ts';
import type { Actor } from '../policy/index.ts';
import { can, scopeFilter, staffScope } from '../policy/index.ts';

export type CompoundSummary = {
	id: number;
	name: string;
	nameEn: string;
	communityName: string;
	communityNameEn: string;
	households: number;
	boundHouseholds: number;
	buildings: { id: number; number: string; households: number }[];
};

/** Compounds in the staff member's communities, with bound-household counts per compound. */
export async function listCompoundsForStaff(
	db: Executor,
	actor: Actor | null,
): Promise<CompoundSummary[]> {
	const scope = staffScope(actor, 'household.view');
	const rows = await db
		.select({
			id: compounds.id,
			name: compounds.name,
			nameEn: compounds.nameEn,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
			households: sql<number>`(select count(*)::int from households h where h.compound_id = ${compounds.id} and h.retired_at is null)`,
			boundHouseholds: sql<number>`(select count(distinct m.household_id)::int from memberships m join households h on h.id = m.household_id where h.compound_id = ${compounds.id} and m.ended_at is null)`,
		})
		.from(compounds)
		.innerJoin(communities, eq(communities.id, compounds.communityId))
		.where(scopeFilter(scope, { communityId: compounds.communityId }))
		.orderBy(asc(communities.id), asc(compounds.id))
		.limit(500);
	const buildingRows = rows.length
		? await db
				.select({
					id: buildings.id,
					compoundId: buildings.compoundId,
					number: buildings.number,
					// Qualified by hand: drizzle writes a lone table's column unqualified, and inside
					// the subquery a bare "id" would be the household's own id.
					households: sql<number>`(select count(*)::int from households h where h.building_id = "buildings"."id" and h.retired_at is null)`,
				})
				.from(buildings)
				.where(
					inArray(
						buildings.compoundId,
						rows.map((r) => r.id),
					),
				)
				.orderBy(sql`length(${buildings.number})`, buildings.number)
		: [];
	return rows.map((row) => ({
		...row,
		buildings: buildingRows
			.filter((b) => b.compoundId === row.id)
			.map(({ compoundId: _c, ...b }) => b),
	}));
}

export type BuildingHousehold = {
	id: number;
	unitNumber: string;
	room: string;
	areaM2: string;
	members: number;
	openCodes: number;
};

export type BuildingView = {
	id: number;
	number: string;
	compoundId: number;
	compoundName: string;
	compoundNameEn: string;
	communityId: number;
	households: BuildingHousehold[];
};

/** A building's households for committee staff; null when missing or out of scope (no leak). */
export async function getBuildingForStaff(
	db: Executor,
	actor: Actor | null,
	buildingId: number,
): Promise<BuildingView | null> {
	const [building] = await db
		.select({
			id: buildings.id,
			number: buildings.number,
			compoundId: compounds.id,
			compoundName: compounds.name,
			compoundNameEn: compounds.nameEn,
			communityId: compounds.communityId,
		})
		.from(buildings)
		.innerJoin(compounds, eq(compounds.id, buildings.compoundId))
		.where(eq(buildings.id, buildingId));
	if (!building || !can(actor, 'household.view', { communityId: building.communityId }))
		return null;
	const rows = await db
		.select({
			id: households.id,
			unitNumber: units.number,
			room: households.room,
			areaM2: households.areaM2,
			members: sql<number>`(select count(*)::int from ${memberships} m where m.household_id = ${households.id} and m.ended_at is null)`,
			openCodes: sql<number>`(select count(*)::int from ${householdCodes} c where c.household_id = ${households.id} and c.revoked_at is null and c.uses < c.max_members)`,
		})
		.from(households)
		.innerJoin(units, eq(units.id, households.unitId))
		.where(and(eq(households.buildingId, buildingId), isNull(households.retiredAt)))
		.orderBy(units.number, households.floor, households.room);
	return { ...building, households: rows };
}

export type HouseholdMember = {
	membershipId: number;
	householdId: number;
	relation: 'owner' | 'family' | 'tenant';
	authorised: boolean;
	maskedPhone: string;
	isMe: boolean;
};

/** The members of the resident's households (for owners to authorise consent ballots). */
export async function listMembersOfMyHouseholds(
	db: Executor,
	actor: Actor | null,
): Promise<HouseholdMember[]> {
	if (actor?.kind !== 'resident' || actor.memberships.length === 0) return [];
	const rows = await db
		.select({
			membershipId: memberships.id,
			householdId: memberships.householdId,
			relation: memberships.relation,
			authorisedBy: memberships.consentAuthorisedBy,
			userId: memberships.userId,
			phone: users.phone,
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(
			and(
				inArray(
					memberships.householdId,
					actor.memberships.map((m) => m.householdId),
				),
				isNull(memberships.endedAt),
			),
		)
		.orderBy(memberships.id);
	return rows.map((r) => ({
		membershipId: r.membershipId,
		householdId: r.householdId,
		relation: r.relation,
		authorised: r.authorisedBy !== null,
		maskedPhone: r.phone ? maskPhone(r.phone) : '',
		isMe: r.userId === actor.userId,
	}));
}
