import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../db/client.ts';
import { compounds, households } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import type { Occupancy } from './template.ts';
import { parseArea } from './validate.ts';

function requireStaff(actor: Actor | null): StaffActor {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	return actor;
}

/** Locks the households and checks the actor may edit every one; not_found otherwise. */
async function lockInScope(tx: Tx, staff: StaffActor, ids: number[]) {
	const rows = await tx
		.select({
			id: households.id,
			communityId: compounds.communityId,
			floor: households.floor,
			areaM2: households.areaM2,
			occupancy: households.occupancy,
			retiredAt: households.retiredAt,
		})
		.from(households)
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.where(inArray(households.id, ids))
		.for('update', { of: households });
	if (
		rows.length !== new Set(ids).size ||
		rows.some((r) => !can(staff, 'household.edit', { communityId: r.communityId }))
	) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return rows;
}

/**
 * Corrects one household's floor, registered floor area or occupancy (committee staff of its
 * community). Area must be > 0 and ≤ 1000 m² with two decimals at most. Audited with the old
 * and new values (no personal data). Returns whether anything changed. Errors: not_found (also
 * out of scope), invalid.
 */
export async function editHousehold(
	db: Db,
	actor: Actor | null,
	input: { householdId: number; floor: number; area: string; occupancy: Occupancy },
): Promise<{ changed: boolean }> {
	const staff = requireStaff(actor);
	const parsed = parseArea(input.area);
	if (!('area' in parsed)) throw new DomainError('invalid', parsed.reason);
	if (!Number.isInteger(input.floor) || input.floor < -5 || input.floor > 100) {
		throw new DomainError('invalid', 'roster.reason.floorInvalid');
	}
	return db.transaction(async (tx) => {
		const [before] = await lockInScope(tx, staff, [input.householdId]);
		const after = { floor: input.floor, area: parsed.area, occupancy: input.occupancy };
		const was = { floor: before!.floor, area: before!.areaM2, occupancy: before!.occupancy };
		if (JSON.stringify(was) === JSON.stringify(after)) return { changed: false };
		await tx
			.update(households)
			.set({ floor: after.floor, areaM2: after.area, occupancy: after.occupancy })
			.where(eq(households.id, input.householdId));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'household.edited',
			targetType: 'household',
			targetId: input.householdId,
			communityId: before!.communityId,
			details: { before: was, after },
		});
		return { changed: true };
	});
}

/**
 * Retires households (e.g. those an import kept as "no longer in the roster"): they leave every
 * future denominator (coverage, consent, satisfaction) while their history stays. Already
 * retired ones are skipped. One audit entry per community. Returns how many were retired.
 * Errors: not_found when any id is missing or out of scope (nothing is retired then).
 */
export async function retireHouseholds(
	db: Db,
	actor: Actor | null,
	input: { householdIds: number[] },
): Promise<{ retired: number }> {
	const staff = requireStaff(actor);
	const ids = [...new Set(input.householdIds)];
	if (ids.length === 0) throw new DomainError('invalid', 'roster.nothingSelected');
	return db.transaction(async (tx) => {
		const rows = await lockInScope(tx, staff, ids);
		const current = rows.filter((r) => r.retiredAt === null);
		if (current.length === 0) return { retired: 0 };
		await tx
			.update(households)
			.set({ retiredAt: sql`now()` })
			.where(
				and(
					inArray(
						households.id,
						current.map((r) => r.id),
					),
					isNull(households.retiredAt),
				),
			);
		const byCommunity = new Map<number, typeof current>();
		for (const row of current)
			byCommunity.set(row.communityId, [...(byCommunity.get(row.communityId) ?? []), row]);
		for (const [communityId, list] of byCommunity) {
			await appendAudit(tx, {
				actorId: staff.userId,
				actorKind: 'staff',
				action: 'household.retired',
				targetType: 'household',
				targetId: list.length === 1 ? list[0]!.id : null,
				communityId,
				details: { households: list.map((r) => r.id), count: list.length },
			});
		}
		return { retired: current.length };
	});
}

/** Brings a retired household back into the counts. Audited. Errors: not_found. */
export async function restoreHousehold(
	db: Db,
	actor: Actor | null,
	input: { householdId: number },
): Promise<{ restored: boolean }> {
	const staff = requireStaff(actor);
	return db.transaction(async (tx) => {
		const [row] = await lockInScope(tx, staff, [input.householdId]);
		if (row!.retiredAt === null) return { restored: false };
		await tx
			.update(households)
			.set({ retiredAt: null })
			.where(and(eq(households.id, input.householdId), isNotNull(households.retiredAt)));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'household.restored',
			targetType: 'household',
			targetId: input.householdId,
			communityId: row!.communityId,
		});
		return { restored: true };
	});
}
