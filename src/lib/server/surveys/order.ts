/**
 * The order of a survey's questions, pure: residents see them by section (in section order),
 * questions outside any section last, each group by `sort`. The builder keeps `sort` equal to
 * that order (1..n), so question numbers, the form, results and exports all agree.
 */
import type { QuestionView, SectionView } from './types.ts';

type Sorted = { id: number; sort: number };
const bySort = (a: Sorted, b: Sorted) => a.sort - b.sort || a.id - b.id;

/** Sections in their order. */
export function sectionOrder<S extends Pick<SectionView, 'id' | 'sort'>>(sections: readonly S[]) {
	return [...sections].sort(bySort);
}

/** The question's group: its section if that section exists, else null (no section). */
export function groupOf(
	sections: readonly Pick<SectionView, 'id'>[],
	question: Pick<QuestionView, 'sectionId'>,
): number | null {
	return question.sectionId !== null && sections.some((s) => s.id === question.sectionId)
		? question.sectionId
		: null;
}

/** The questions in the order residents see them. */
export function displayOrder<Q extends Pick<QuestionView, 'id' | 'sort' | 'sectionId'>>(
	sections: readonly Pick<SectionView, 'id' | 'sort'>[],
	questions: readonly Q[],
): Q[] {
	const groups = [...sectionOrder(sections).map((s) => s.id), null];
	return groups.flatMap((group) =>
		questions.filter((q) => groupOf(sections, q) === group).sort(bySort),
	);
}

/**
 * The display order after moving a question one place up or down within its group; null when
 * it is already first (up) or last (down) there. Moving to another section is done by
 * changing the question's section instead.
 */
export function orderAfterQuestionMove<Q extends Pick<QuestionView, 'id' | 'sort' | 'sectionId'>>(
	sections: readonly Pick<SectionView, 'id' | 'sort'>[],
	questions: readonly Q[],
	questionId: number,
	direction: 'up' | 'down',
): Q[] | null {
	const order = displayOrder(sections, questions);
	const index = order.findIndex((q) => q.id === questionId);
	if (index < 0) return null;
	const other = direction === 'up' ? index - 1 : index + 1;
	const neighbour = order[other];
	if (!neighbour || groupOf(sections, neighbour) !== groupOf(sections, order[index]!)) return null;
	[order[index], order[other]] = [neighbour, order[index]!];
	return order;
}

/** The section order after moving one section up or down; null at either end. */
export function orderAfterSectionMove<S extends Pick<SectionView, 'id' | 'sort'>>(
	sections: readonly S[],
	sectionId: number,
	direction: 'up' | 'down',
): S[] | null {
	const order = sectionOrder(sections);
	const index = order.findIndex((s) => s.id === sectionId);
	const other = direction === 'up' ? index - 1 : index + 1;
	if (index < 0 || !order[other]) return null;
	[order[index], order[other]] = [order[other]!, order[index]!];
	return order;
}
