import { createHash } from 'node:crypto';
import { rosterLimits } from './limits.ts';
import type { HouseholdChange, HouseholdLabel, RosterPlan } from './plan.ts';

/** True when applying the plan writes nothing. */
export function isEmptyPlan(plan: RosterPlan): boolean {
	return (
		plan.newCompounds.length +
			plan.newBuildings.length +
			plan.raisedBuildings.length +
			plan.newUnits.length +
			plan.created.length +
			plan.updated.length +
			plan.removed.length ===
		0
	);
}

/**
 * A fingerprint of what the plan would write and of the before-values the dry run showed, so an
 * apply can prove it does exactly what the dry run reported: the same file on the same data
 * gives the same hash; a different file, or data changed in between, does not.
 */
export function planHash(plan: RosterPlan): string {
	const canonical = JSON.stringify([
		plan.communityIds,
		plan.newCompounds.map((c) => [c.key, c.communityId, c.name]),
		plan.newBuildings.map((b) => [b.key, b.floors]),
		plan.raisedBuildings.map((b) => [b.id, b.floors]),
		plan.newUnits.map((u) => [u.key, u.number]),
		plan.created.map((h) => [h.unitKey, h.room, h.floor, h.area, h.occupancy, h.ownerKey]),
		plan.updated.map((h) => [h.id, h.floor, h.area, h.occupancy, h.ownerKey, h.restore, h.fields]),
		plan.unchanged,
		plan.removed.map((h) => h.id),
		plan.kept.map((h) => h.id),
	]);
	return createHash('sha256').update(canonical).digest('hex');
}

/** The plan's counts and the first few items of each list, as the dry run reports them. */
export type RosterSummary = {
	created: number;
	changed: number;
	unchanged: number;
	removed: number;
	kept: number;
	restored: number;
	newCompounds: string[];
	newBuildings: number;
	newUnits: number;
	changes: Pick<HouseholdChange, 'id' | 'row' | 'label' | 'fields'>[];
	keptHouseholds: { id: number; label: HouseholdLabel }[];
	removedHouseholds: { id: number; label: HouseholdLabel }[];
};

export function summarise(plan: RosterPlan): RosterSummary {
	const cap = rosterLimits.reportedItems;
	return {
		created: plan.created.length,
		changed: plan.updated.length,
		unchanged: plan.unchanged,
		removed: plan.removed.length,
		kept: plan.kept.length,
		restored: plan.updated.filter((h) => h.restore).length,
		newCompounds: plan.newCompounds.map((c) => c.name),
		newBuildings: plan.newBuildings.length,
		newUnits: plan.newUnits.length,
		changes: plan.updated
			.slice(0, cap)
			.map(({ id, row, label, fields }) => ({ id, row, label, fields })),
		keptHouseholds: plan.kept.slice(0, cap).map(({ id, label }) => ({ id, label })),
		removedHouseholds: plan.removed.slice(0, cap).map(({ id, label }) => ({ id, label })),
	};
}
