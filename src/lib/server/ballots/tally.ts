/**
 * The running tallies of a round, pure: what one ballot revision changes (`ballotDelta`), and
 * what a full recount from the ballots gives (`recountTallies`). The database keeps one row of
 * counts per item and scope and adds each ballot's change in its transaction
 * (commands/record.ts); `npm run tally` and the property tests prove the rows equal the
 * recount, and `decideTally` (rules.ts) turns a row into the same verdict `decide` gives from
 * the ballots themselves.
 *
 * Counts are households (one per 专有部分), areas in 0.01 m² (registered area, exact integers:
 * a whole city's area in 0.01 m² is far below 2^53) and owner heads: an owner of several flats
 * in a scope is one head (SPC interpretation on 建筑物区分所有权 art. 9), participating when any
 * of their flats returned a ballot and approving when all that did agreed (see rules.ts).
 */
import type { Choice, ChoiceRule, DecisionRule, Tally } from './rules.ts';

export type Level = 'compound' | 'building' | 'unit';
export type RuleKind = 'simple_majority' | 'civil_code_majority' | 'civil_code_three_quarters';
export type DecisionScope = Level;
export type Choices = Record<string, Choice>;

/** A household as frozen in the round's scope. */
export type ScopeHousehold = {
	householdId: number;
	compoundId: number;
	buildingId: number;
	unitId: number;
	areaCenti: number;
	ownerKey: string;
};

/** What the tally needs to know about an item. */
export type TallyItem = {
	id: number;
	/** Only this building's households answer the item (e.g. its elevator); null: all. */
	buildingId: number | null;
	decisionScope: DecisionScope;
};

export type TallyCounts = {
	agree: number;
	disagree: number;
	abstain: number;
	agreeArea: number;
	disagreeArea: number;
	abstainArea: number;
	headsParticipating: number;
	headsApproving: number;
};

export type TallyTotals = { households: number; areaCenti: number; heads: number };
export type TallyRow = { itemId: number; level: Level; scopeId: number } & TallyTotals &
	TallyCounts;
export type TallyDelta = { itemId: number; level: Level; scopeId: number } & TallyCounts;

export const zeroCounts = (): TallyCounts => ({
	agree: 0,
	disagree: 0,
	abstain: 0,
	agreeArea: 0,
	disagreeArea: 0,
	abstainArea: 0,
	headsParticipating: 0,
	headsApproving: 0,
});

const countFields = Object.keys(zeroCounts()) as (keyof TallyCounts)[];

/** Tally rows exist per compound and building always, per unit when the item decides per unit. */
export function levelsOf(item: TallyItem): Level[] {
	return item.decisionScope === 'unit'
		? ['compound', 'building', 'unit']
		: ['compound', 'building'];
}

export function scopeIdOf(household: ScopeHousehold, level: Level): number {
	return level === 'compound'
		? household.compoundId
		: level === 'building'
			? household.buildingId
			: household.unitId;
}

/** Whether the household answers the item. */
export const covers = (item: TallyItem, household: ScopeHousehold) =>
	item.buildingId === null || item.buildingId === household.buildingId;

export const tallyKey = (itemId: number, level: Level, scopeId: number) =>
	`${itemId}:${level}:${scopeId}`;

/** An owner head over the choices of their flats in one scope (undefined: no ballot). */
function headOf(choices: readonly (Choice | undefined)[]): {
	participates: number;
	approves: number;
} {
	const given = choices.filter((c) => c !== undefined);
	if (given.length === 0) return { participates: 0, approves: 0 };
	return { participates: 1, approves: given.every((c) => c === 'agree') ? 1 : 0 };
}

function addChoice(counts: TallyCounts, choice: Choice | undefined, area: number, sign: 1 | -1) {
	if (choice === undefined) return;
	counts[choice] += sign;
	counts[`${choice}Area`] += sign * area;
}

/**
 * What one household's counted ballot changing from `before` to `after` (null: none) changes in
 * the round's tally rows, sorted by key (so concurrent transactions lock rows in one order).
 * `siblings` are the other flats of the same owner in the round, with their counted choices
 * (null: no ballot); they are read under the owner's lock, so the head deltas are exact.
 * Rows that do not change are left out.
 */
export function ballotDelta(input: {
	items: readonly TallyItem[];
	household: ScopeHousehold;
	siblings: readonly { household: ScopeHousehold; choices: Choices | null }[];
	before: Choices | null;
	after: Choices | null;
}): TallyDelta[] {
	const { household, siblings, before, after } = input;
	const deltas: TallyDelta[] = [];
	for (const item of input.items) {
		if (!covers(item, household)) continue;
		const key = String(item.id);
		const was = before?.[key];
		const now = after?.[key];
		if (was === now) continue;
		for (const level of levelsOf(item)) {
			const scopeId = scopeIdOf(household, level);
			const counts = zeroCounts();
			addChoice(counts, was, household.areaCenti, -1);
			addChoice(counts, now, household.areaCenti, 1);
			const peers = siblings
				.filter((s) => covers(item, s.household) && scopeIdOf(s.household, level) === scopeId)
				.map((s) => s.choices?.[key]);
			const headBefore = headOf([...peers, was]);
			const headAfter = headOf([...peers, now]);
			counts.headsParticipating = headAfter.participates - headBefore.participates;
			counts.headsApproving = headAfter.approves - headBefore.approves;
			deltas.push({ itemId: item.id, level, scopeId, ...counts });
		}
	}
	return deltas.sort((a, b) =>
		a.itemId !== b.itemId
			? a.itemId - b.itemId
			: a.level !== b.level
				? a.level < b.level
					? -1
					: 1
				: a.scopeId - b.scopeId,
	);
}

/** Adds a delta into a row in place (for in-memory tallies and tests). */
export function applyDelta(row: TallyCounts, delta: TallyCounts): void {
	for (const field of countFields) row[field] += delta[field];
}

/**
 * The tally rows a round should have, recounted from scratch: totals from the frozen scope and
 * counts from the counted ballots. The reference the stored rows are compared with.
 */
export function recountTallies(
	items: readonly TallyItem[],
	households: readonly ScopeHousehold[],
	ballots: ReadonlyMap<number, Choices>,
): Map<string, TallyRow> {
	const rows = new Map<string, TallyRow>();
	const owners = new Map<string, Map<string, (Choice | undefined)[]>>();
	for (const item of items) {
		for (const household of households) {
			if (!covers(item, household)) continue;
			const choice = ballots.get(household.householdId)?.[String(item.id)];
			for (const level of levelsOf(item)) {
				const scopeId = scopeIdOf(household, level);
				const key = tallyKey(item.id, level, scopeId);
				let row = rows.get(key);
				if (!row) {
					row = {
						itemId: item.id,
						level,
						scopeId,
						households: 0,
						areaCenti: 0,
						heads: 0,
						...zeroCounts(),
					};
					rows.set(key, row);
					owners.set(key, new Map());
				}
				row.households += 1;
				row.areaCenti += household.areaCenti;
				addChoice(row, choice, household.areaCenti, 1);
				const byOwner = owners.get(key)!;
				byOwner.set(household.ownerKey, [...(byOwner.get(household.ownerKey) ?? []), choice]);
			}
		}
	}
	for (const [key, byOwner] of owners) {
		const row = rows.get(key)!;
		row.heads = byOwner.size;
		for (const choices of byOwner.values()) {
			const head = headOf(choices);
			row.headsParticipating += head.participates;
			row.headsApproving += head.approves;
		}
	}
	return rows;
}

/** The rules module's decision rule for a stored rule kind. */
export function decisionRule(kind: RuleKind): DecisionRule {
	return kind === 'simple_majority'
		? { kind: 'simple_majority' }
		: {
				kind: 'civil_code',
				approval: kind === 'civil_code_three_quarters' ? 'three_quarters' : 'majority',
			};
}

/** The rules module's rule for a single-choice question's stored rule kind. */
export function choiceRule(
	kind: 'plurality' | 'civil_code_majority' | 'civil_code_three_quarters',
): ChoiceRule {
	return kind === 'plurality'
		? { kind: 'plurality' }
		: {
				kind: 'civil_code',
				approval: kind === 'civil_code_three_quarters' ? 'three_quarters' : 'majority',
			};
}

/** A stored row as the rules module's `Tally`, for `decideTally`. */
export function toRulesTally(row: TallyTotals & TallyCounts): Tally {
	const responding = row.agree + row.disagree + row.abstain;
	return {
		households: BigInt(row.households),
		responding: BigInt(responding),
		agree: BigInt(row.agree),
		totalArea: BigInt(row.areaCenti),
		participatingArea: BigInt(row.agreeArea + row.disagreeArea + row.abstainArea),
		agreeArea: BigInt(row.agreeArea),
		totalHeads: BigInt(row.heads),
		participatingHeads: BigInt(row.headsParticipating),
		approvingHeads: BigInt(row.headsApproving),
	};
}

/** Rows that differ between two tallies (stored vs recount), by key; empty when equal. */
export function diffTallies(
	stored: ReadonlyMap<string, TallyRow>,
	expected: ReadonlyMap<string, TallyRow>,
): string[] {
	const fields = ['households', 'areaCenti', 'heads', ...countFields] as const;
	const problems: string[] = [];
	for (const key of new Set([...stored.keys(), ...expected.keys()])) {
		const a = stored.get(key);
		const b = expected.get(key);
		if (!a || !b) {
			problems.push(`${key}: ${a ? 'not expected' : 'missing'}`);
			continue;
		}
		for (const field of fields) {
			if (a[field] !== b[field])
				problems.push(`${key}: ${field} is ${a[field]}, recount ${b[field]}`);
		}
	}
	return problems;
}
