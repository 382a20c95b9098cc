/**
 * The neighbourhood committee's contact (phone, office address, office hours) that every
 * printed notice carries, so a resident without a smartphone knows whom to call and where to
 * go (issue 19). Set per community by its committee.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import { communities } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { can, scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import type { CommunityContactInput } from './schemas.ts';

export type CommunityContact = {
	id: number;
	name: string;
	nameEn: string;
	contactPhone: string;
	contactAddress: string;
	contactAddressEn: string;
	officeHours: string;
	officeHoursEn: string;
};

const columns = {
	id: communities.id,
	name: communities.name,
	nameEn: communities.nameEn,
	contactPhone: communities.contactPhone,
	contactAddress: communities.contactAddress,
	contactAddressEn: communities.contactAddressEn,
	officeHours: communities.officeHours,
	officeHoursEn: communities.officeHoursEn,
};

/** A community's contact, or null when it does not exist. */
export async function getCommunityContact(
	db: Executor,
	communityId: number,
): Promise<CommunityContact | null> {
	const [row] = await db.select(columns).from(communities).where(eq(communities.id, communityId));
	return row ?? null;
}

/** The communities whose contact the staff member may edit (all for an admin), by name. */
export async function listEditableContacts(
	db: Executor,
	actor: Actor | null,
): Promise<CommunityContact[]> {
	const scope = staffScope(actor, 'community.edit_contact');
	return db
		.select(columns)
		.from(communities)
		.where(scopeFilter(scope, { communityId: communities.id }))
		.orderBy(asc(communities.id));
}

/**
 * Sets a community's contact. Errors: not_found (unknown, or not the actor's community — the
 * same answer, so other communities' ids reveal nothing). Audited with the changed fields' names.
 */
export async function updateCommunityContact(
	db: Db,
	actor: Actor | null,
	input: CommunityContactInput,
): Promise<void> {
	if (!can(actor, 'community.edit_contact', { communityId: input.communityId }))
		throw new DomainError('not_found', 'error.notFound');
	const { communityId, ...contact } = input;
	await db.transaction(async (tx) => {
		const [before] = await tx
			.select(columns)
			.from(communities)
			.where(eq(communities.id, communityId))
			.for('update');
		if (!before) throw new DomainError('not_found', 'error.notFound');
		await tx.update(communities).set(contact).where(eq(communities.id, communityId));
		// Which fields changed, not their values (the audit log never holds phone numbers).
		const changed = (Object.keys(contact) as (keyof typeof contact)[]).filter(
			(key) => before[key] !== contact[key],
		);
		await appendAudit(tx, {
			actorId: actor!.userId,
			actorKind: 'staff',
			action: 'community.contact_update',
			targetType: 'community',
			targetId: communityId,
			communityId,
			details: { changed },
		});
	});
}
