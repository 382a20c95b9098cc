import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor } from '../../../src/lib/server/policy/types.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createResident } from '../../factories/people.ts';

/** Awaits a promise that must fail with a DomainError, and returns the error. */
export async function reject(promise: Promise<unknown>): Promise<DomainError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}

/**
 * A resident bound (as owner) to the n-th household of a compound, and their actor with the
 * membership loaded as the middleware would.
 */
export async function residentIn(db: Db, compoundId: number, n = 0): Promise<ResidentActor> {
	const [household] = await db
		.select({ id: s.households.id })
		.from(s.households)
		.where(and(eq(s.households.compoundId, compoundId), isNull(s.households.retiredAt)))
		.orderBy(s.households.id)
		.offset(n)
		.limit(1);
	if (!household) throw new Error(`no household ${n} in compound ${compoundId}`);
	const resident = await createResident(db);
	await db
		.insert(s.memberships)
		.values({ userId: resident.userId, householdId: household.id, relation: 'owner' });
	return (await loadActor(db, resident.userId, 'resident')) as ResidentActor;
}

/** An opinion row written directly (for lists and counts); XSS bait in the body by default. */
export async function createOpinionRow(
	db: Db,
	values: Partial<typeof s.opinions.$inferInsert> & { planVersionId: number },
) {
	const [row] = await db
		.insert(s.opinions)
		.values({
			body: `意见 ${randomUUID()} <script>alert(1)</script>`,
			alignment: 'neutral',
			state: 'published',
			...values,
		})
		.returning();
	return row!;
}
