import { eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { compoundInclusions, compounds, districts } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';

function requireDistrictAdmin(actor: Actor | null): StaffActor {
	if (!can(actor, 'staff.manage')) throw new DomainError('forbidden', 'error.forbidden');
	return actor as StaffActor;
}

/**
 * 纳入计划: the district includes a compound in the renovation plan, with its written reason.
 * District admins only. Errors: forbidden, not_found (compound), conflict (already included).
 * Audited with the reason.
 */
export async function includeCompound(
	db: Db,
	actor: Actor | null,
	input: { compoundId: number; reason: string },
): Promise<void> {
	const staff = requireDistrictAdmin(actor);
	const reason = input.reason.trim();
	if (reason.length < 10) throw new DomainError('invalid', 'candidates.reasonTooShort');
	if (reason.length > 1000) throw new DomainError('invalid', 'candidates.reasonTooLong');
	await db.transaction(async (tx) => {
		const [compound] = await tx
			.select({ id: compounds.id, communityId: compounds.communityId })
			.from(compounds)
			.where(eq(compounds.id, input.compoundId));
		if (!compound) throw new DomainError('not_found', 'error.notFound');
		const inserted = await tx
			.insert(compoundInclusions)
			.values({ compoundId: compound.id, reason, decidedBy: staff.userId })
			.onConflictDoNothing()
			.returning({ id: compoundInclusions.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'candidates.alreadyIncluded');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'compound.included',
			targetType: 'compound',
			targetId: compound.id,
			communityId: compound.communityId,
			details: { reason },
		});
	});
}

/** Sets a district's eligibility cutoff (built before year). Admins only; audited. */
export async function setCandidateCutoff(
	db: Db,
	actor: Actor | null,
	input: { districtId: number; builtBefore: number },
): Promise<void> {
	const staff = requireDistrictAdmin(actor);
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(districts)
			.set({ candidateBuiltBefore: input.builtBefore })
			.where(eq(districts.id, input.districtId))
			.returning({ id: districts.id });
		if (updated.length === 0) throw new DomainError('not_found', 'error.notFound');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'district.candidate_cutoff_set',
			targetType: 'district',
			targetId: input.districtId,
			details: { builtBefore: input.builtBefore },
		});
	});
}
