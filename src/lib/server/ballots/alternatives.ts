/**
 * 多方案比选 (seeds/003) in a plan opinion round: every plan item the version offers two or three
 * alternative designs for becomes a single-choice question, one option per design, counted per
 * household by plurality (the choice of most responding households, where 2/3 answered:
 * ballots/rules.ts `decideChoice`). The round's result then names the design the next version keeps.
 */
import { and, asc, desc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { roundItems, rounds } from '../../../../db/schema/ballots.ts';
import { planItemAlternatives, planItems } from '../../../../db/schema/plans.ts';
import { renovationItems } from '../../../../db/schema/projects.ts';
import { loadRound } from './load.ts';
import { formatCenti } from './rules.ts';
import { getLiveResults } from './queries/results.ts';

export type AlternativeQuestion = {
	planItemId: number;
	buildingId: number | null;
	title: string;
	titleEn: string;
	options: { alternativeId: number; title: string; titleEn: string }[];
};

/** The version's items with 2–3 alternatives, each as a question with its designs as options. */
export async function alternativeQuestions(
	db: Executor,
	planVersionId: number,
): Promise<AlternativeQuestion[]> {
	const rows = await db
		.select({
			planItemId: planItems.id,
			buildingId: planItems.buildingId,
			name: renovationItems.name,
			nameEn: renovationItems.nameEn,
			alternativeId: planItemAlternatives.id,
			label: planItemAlternatives.label,
			labelEn: planItemAlternatives.labelEn,
			costFen: planItemAlternatives.costFen,
		})
		.from(planItemAlternatives)
		.innerJoin(planItems, eq(planItems.id, planItemAlternatives.planItemId))
		.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
		.where(eq(planItems.planVersionId, planVersionId))
		.orderBy(
			asc(planItems.sort),
			asc(planItems.id),
			asc(planItemAlternatives.sort),
			asc(planItemAlternatives.id),
		);
	const byItem = new Map<number, AlternativeQuestion>();
	for (const r of rows) {
		const question = byItem.get(r.planItemId) ?? {
			planItemId: r.planItemId,
			buildingId: r.buildingId,
			title: `${r.name}：方案比选`,
			titleEn: `${r.nameEn}: choose a design`,
			options: [],
		};
		// The option names its cost: residents compare designs and price on the ballot itself.
		const cost = formatCenti(r.costFen);
		question.options.push({
			alternativeId: r.alternativeId,
			title: `${r.label}（${cost} 元）`,
			titleEn: `${r.labelEn || r.label} (¥${cost})`,
		});
		byItem.set(r.planItemId, question);
	}
	return [...byItem.values()].filter((q) => q.options.length >= 2);
}

/**
 * Plan item id → the alternative residents chose, from the latest closed opinion round on the
 * version: the option that won its question in every scope the question was decided over (a
 * tie, too few answers or different winners in different compounds choose nothing).
 */
export async function chosenAlternatives(
	db: Executor,
	planVersionId: number,
	now = new Date(),
): Promise<Map<number, number>> {
	const chosen = new Map<number, number>();
	const [latest] = await db
		.select({ id: rounds.id })
		.from(rounds)
		.where(
			and(
				eq(rounds.planVersionId, planVersionId),
				isNotNull(rounds.openedAt),
				lte(rounds.closesAt, now),
			),
		)
		.orderBy(desc(rounds.closesAt), desc(rounds.id))
		.limit(1);
	if (!latest) return chosen;
	const options = await db
		.select({ id: roundItems.id, alternativeId: roundItems.alternativeId })
		.from(roundItems)
		.where(and(eq(roundItems.roundId, latest.id), isNotNull(roundItems.alternativeId)));
	if (options.length === 0) return chosen;
	const round = await loadRound(db, latest.id);
	if (!round) return chosen;
	const results = await getLiveResults(db, round);
	const alternativeOf = new Map(options.map((o) => [o.id, o.alternativeId!]));
	const alternatives = await db
		.select({ id: planItemAlternatives.id, planItemId: planItemAlternatives.planItemId })
		.from(planItemAlternatives)
		.where(inArray(planItemAlternatives.id, [...alternativeOf.values()]));
	const itemOf = new Map(alternatives.map((a) => [a.id, a.planItemId]));
	for (const question of results.questions ?? []) {
		const winners = new Set(question.decisions.map((d) => d.winner));
		const [winner] = [...winners];
		if (winners.size !== 1 || winner === null || winner === undefined) continue;
		const alternativeId = alternativeOf.get(winner);
		if (alternativeId === undefined) continue;
		chosen.set(itemOf.get(alternativeId)!, alternativeId);
	}
	return chosen;
}
