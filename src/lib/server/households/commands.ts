import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
	buildings,
	compounds,
	householdCodes,
	households,
	memberships,
	units,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import {
	enforceRateLimits,
	formatInviteCode,
	generateInviteCode,
	hashInviteCode,
	limits,
	normalizeInviteCode,
} from '../auth/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, Relation, ResidentActor, StaffActor } from '../policy/index.ts';
import { DomainError, isUniqueViolation } from '../shared/index.ts';
import { followHouseholdProjects } from '../notifications/index.ts';

export type CodeScope = { householdId: number } | { buildingId: number } | { compoundId: number };

/** One printed slip: where the household is, and its code in clear (shown once, never stored). */
export type Slip = {
	householdId: number;
	compoundName: string;
	compoundNameEn: string;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	relation: Relation;
	code: string;
};

function requireStaff(actor: Actor | null): StaffActor {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	return actor;
}

/**
 * Issues invitation codes for one household, a building or a compound (current households only).
 * A new code replaces the household's earlier open codes of the same relation. Committee staff
 * of the compound's community only. Errors: not_found (also for another community's ids:
 * existence is not revealed), forbidden, invalid.
 */
export async function issueHouseholdCodes(
	db: Db,
	actor: Actor | null,
	input: { scope: CodeScope; relation: Relation; maxMembers: number },
): Promise<Slip[]> {
	const staff = requireStaff(actor);
	if (!Number.isInteger(input.maxMembers) || input.maxMembers < 1 || input.maxMembers > 20) {
		throw new DomainError('invalid', 'households.maxMembersInvalid');
	}
	const where =
		'householdId' in input.scope
			? eq(households.id, input.scope.householdId)
			: 'buildingId' in input.scope
				? eq(households.buildingId, input.scope.buildingId)
				: eq(households.compoundId, input.scope.compoundId);
	const rows = await db
		.select({
			householdId: households.id,
			communityId: compounds.communityId,
			compoundName: compounds.name,
			compoundNameEn: compounds.nameEn,
			buildingNumber: buildings.number,
			unitNumber: units.number,
			room: households.room,
		})
		.from(households)
		.innerJoin(units, eq(units.id, households.unitId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(and(where, isNull(households.retiredAt)))
		.orderBy(sql`${buildings.number}::text`, units.number, households.floor, households.room);
	const communityIds = new Set(rows.map((r) => r.communityId));
	if (
		rows.length === 0 ||
		[...communityIds].some((communityId) => !can(staff, 'household.issue_codes', { communityId }))
	) {
		throw new DomainError('not_found', 'error.notFound');
	}
	const slips = rows.map(({ communityId: _c, ...row }) => ({
		...row,
		relation: input.relation,
		code: generateInviteCode(),
	}));
	await db.transaction(async (tx) => {
		const ids = slips.map((s) => s.householdId);
		await tx
			.update(householdCodes)
			.set({ revokedAt: new Date() })
			.where(
				and(
					inArray(householdCodes.householdId, ids),
					eq(householdCodes.relation, input.relation),
					isNull(householdCodes.revokedAt),
				),
			);
		for (let i = 0; i < slips.length; i += 500) {
			await tx.insert(householdCodes).values(
				slips.slice(i, i + 500).map((s) => ({
					householdId: s.householdId,
					codeHash: hashInviteCode(s.code),
					relation: input.relation,
					maxMembers: input.maxMembers,
					issuedBy: staff.userId,
				})),
			);
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'household.codes_issued',
			targetType: Object.keys(input.scope)[0]!.replace('Id', ''),
			targetId: String(Object.values(input.scope)[0]),
			communityId: [...communityIds][0] ?? null,
			details: { households: slips.length, relation: input.relation, maxMembers: input.maxMembers },
		});
	});
	return slips.map((s) => ({ ...s, code: formatInviteCode(s.code) }));
}

/** Revokes every open code of a household (a lost slip). Committee staff only. */
export async function revokeHouseholdCodes(
	db: Db,
	actor: Actor | null,
	householdId: number,
): Promise<number> {
	const staff = requireStaff(actor);
	const [row] = await db
		.select({ communityId: compounds.communityId })
		.from(households)
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(eq(households.id, householdId));
	if (!row || !can(staff, 'household.issue_codes', { communityId: row.communityId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return db.transaction(async (tx) => {
		const revoked = await tx
			.update(householdCodes)
			.set({ revokedAt: new Date() })
			.where(and(eq(householdCodes.householdId, householdId), isNull(householdCodes.revokedAt)))
			.returning({ id: householdCodes.id });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'household.codes_revoked',
			targetType: 'household',
			targetId: String(householdId),
			communityId: row.communityId,
			details: { codes: revoked.length },
		});
		return revoked.length;
	});
}

/**
 * Binds the signed-in resident to the household of an invitation code, with the code's
 * relation. Takes effect at once (memberships are read per request). Binding twice is a no-op.
 * Errors: invalid (format), not_found (unknown, revoked), conflict (code used up), rate_limited.
 */
export async function bindHousehold(
	db: Db,
	actor: Actor | null,
	input: { code: string },
	ctx: { ip: string },
): Promise<{ householdId: number; relation: Relation; alreadyMember: boolean }> {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	const code = normalizeInviteCode(input.code);
	if (!code) throw new DomainError('invalid', 'households.codeFormat');
	await enforceRateLimits(db, [limits.bindPerUser(actor.userId), limits.bindPerIp(ctx.ip)]);
	try {
		return await bindInTransaction(db, actor, code);
	} catch (error) {
		// Two codes of one household used at once by the same resident: the unique index wins.
		if (isUniqueViolation(error)) return bindInTransaction(db, actor, code);
		throw error;
	}
}

function bindInTransaction(db: Db, actor: ResidentActor, code: string) {
	return db.transaction(async (tx) => {
		const [invite] = await tx
			.select()
			.from(householdCodes)
			.where(
				and(eq(householdCodes.codeHash, hashInviteCode(code)), isNull(householdCodes.revokedAt)),
			)
			.for('update');
		if (!invite) throw new DomainError('not_found', 'households.codeUnknown');
		const [existing] = await tx
			.select({ id: memberships.id, relation: memberships.relation })
			.from(memberships)
			.where(
				and(
					eq(memberships.userId, actor.userId),
					eq(memberships.householdId, invite.householdId),
					isNull(memberships.endedAt),
				),
			);
		if (existing)
			return { householdId: invite.householdId, relation: existing.relation, alreadyMember: true };
		if (invite.uses >= invite.maxMembers)
			throw new DomainError('conflict', 'households.codeUsedUp');
		await tx
			.update(householdCodes)
			.set({ uses: invite.uses + 1 })
			.where(eq(householdCodes.id, invite.id));
		const [membership] = await tx
			.insert(memberships)
			.values({
				userId: actor.userId,
				householdId: invite.householdId,
				relation: invite.relation,
				viaCodeId: invite.id,
			})
			.returning({ id: memberships.id });
		await followHouseholdProjects(tx, actor.userId, invite.householdId); // issue 8: auto-follow
		await appendAudit(tx, {
			actorId: actor.userId,
			actorKind: 'resident',
			action: 'household.bound',
			targetType: 'household',
			targetId: String(invite.householdId),
			details: { relation: invite.relation, membershipId: membership!.id },
		});
		return { householdId: invite.householdId, relation: invite.relation, alreadyMember: false };
	});
}

/**
 * An owner authorises (or stops authorising) another member of the household to cast consent
 * ballots on the owner's behalf. Errors: forbidden (not an owner), not_found (not a member).
 */
export async function setConsentAuthorisation(
	db: Db,
	actor: Actor | null,
	input: { householdId: number; membershipId: number; authorised: boolean },
): Promise<void> {
	if (!can(actor, 'household.authorise_member', { householdId: input.householdId })) {
		throw new DomainError('forbidden', 'error.forbidden');
	}
	const owner = actor as ResidentActor;
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(memberships)
			.set({ consentAuthorisedBy: input.authorised ? owner.userId : null })
			.where(
				and(
					eq(memberships.id, input.membershipId),
					eq(memberships.householdId, input.householdId),
					isNull(memberships.endedAt),
					sql`${memberships.relation} <> 'owner'`,
				),
			)
			.returning({ id: memberships.id });
		if (updated.length === 0) throw new DomainError('not_found', 'error.notFound');
		await appendAudit(tx, {
			actorId: owner.userId,
			actorKind: 'resident',
			action: input.authorised ? 'household.consent_authorised' : 'household.consent_withdrawn',
			targetType: 'membership',
			targetId: String(input.membershipId),
			details: { householdId: input.householdId },
		});
	});
}
