/**
 * The slot of each item in the round's packed tally sums, as the round gives them when it opens
 * (rounds.ts, createTallyRows): the items decided per unit first, then the others, each by id.
 */
export function openingSlots(
	items: readonly { id: number; decisionScope: string }[],
): Map<number, number> {
	const perUnitFirst = [...items].sort((a, b) =>
		(a.decisionScope === 'unit') !== (b.decisionScope === 'unit')
			? a.decisionScope === 'unit'
				? -1
				: 1
			: a.id - b.id,
	);
	return new Map(perUnitFirst.map((item, slot) => [item.id, slot]));
}
