/**
 * Results of a round as a JSON-safe view, from tally rows (live aggregates or a recount): per
 * item, the verdict over each decision scope with every check and its margin, and per building
 * the counts, shares and the verdict the same rule gives there. Pure.
 */
import { decideChoice, decideTally, verdictOfTally, type DecisionCheck } from './rules.ts';
import { coverageMet } from './phase.ts';
import { choiceRule, decisionRule, toRulesTally, type Level, type TallyRow } from './tally.ts';
import type {
	CheckView,
	ChoiceQuestion,
	Counts,
	CoverageRow,
	CoverageView,
	ItemResult,
	QuestionResult,
	QuestionScopeResult,
	ResultsView,
	RoundInfo,
	ScopeName,
	ScopeResult,
} from './types.ts';

export type CoverageInput = {
	level: Level;
	scopeId: number;
	households: number;
	responded: number;
};
export type Names = ReadonlyMap<string, { name: string; nameEn: string; compoundId: number }>;

export const nameKey = (level: Level, scopeId: number) => `${level}:${scopeId}`;

function counts(row: TallyRow): Counts {
	return {
		households: row.households,
		heads: row.heads,
		areaCenti: row.areaCenti,
		agree: row.agree,
		disagree: row.disagree,
		abstain: row.abstain,
		responded: row.agree + row.disagree + row.abstain,
		agreeAreaCenti: row.agreeArea,
		disagreeAreaCenti: row.disagreeArea,
		abstainAreaCenti: row.abstainArea,
		headsParticipating: row.headsParticipating,
		headsApproving: row.headsApproving,
	};
}

export function checkView(check: DecisionCheck): CheckView {
	return {
		name: check.name,
		numerator: check.numerator.toString(),
		denominator: check.denominator.toString(),
		threshold: `${check.threshold.num}/${check.threshold.den}`,
		inclusive: check.threshold.inclusive,
		passed: check.passed,
		required: check.required === null ? null : check.required.toString(),
		margin: check.margin,
		unit: check.name.endsWith('_area') ? 'area' : 'count',
	};
}

function scopeName(names: Names, level: Level, scopeId: number): ScopeName {
	const found = names.get(nameKey(level, scopeId));
	return {
		level,
		scopeId,
		compoundId: found?.compoundId ?? (level === 'compound' ? scopeId : null),
		name: found?.name ?? `#${scopeId}`,
		nameEn: found?.nameEn ?? `#${scopeId}`,
	};
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
const byName = (a: ScopeName, b: ScopeName) =>
	collator.compare(a.name, b.name) || a.scopeId - b.scopeId;

function itemResult(
	item: RoundInfo['items'][number],
	rows: TallyRow[],
	names: Names,
	order: ReadonlyMap<string, number>,
	scopes: ReadonlyMap<string, ScopeName>,
): ItemResult {
	const rule = decisionRule(item.rule);
	const decisions: [number, ScopeResult][] = [];
	const buildings: [number, ScopeResult][] = [];
	for (const row of rows) {
		const atDecision = row.level === item.decisionScope;
		if (!atDecision && row.level !== 'building') continue;
		const key = nameKey(row.level, row.scopeId);
		const rank = order.get(key) ?? 0;
		const scope = scopes.get(key) ?? scopeName(names, row.level, row.scopeId);
		const rowCounts = counts(row);
		const tally = toRulesTally(row);
		if (atDecision) {
			const decision = decideTally(rule, tally);
			decisions.push([
				rank,
				result(scope, rowCounts, decision.verdict, decision.checks.map(checkView)),
			]);
		}
		// Every building's verdict under the same rule; checks only where the item decides.
		if (row.level === 'building') {
			buildings.push([rank, result(scope, rowCounts, verdictOfTally(rule, tally))]);
		}
	}
	const sorted = (list: [number, ScopeResult][]) =>
		list.sort((a, b) => a[0] - b[0]).map(([, r]) => r);
	return {
		id: item.id,
		itemId: item.itemId,
		title: item.title,
		titleEn: item.titleEn,
		rule: item.rule,
		decisionScope: item.decisionScope,
		buildingId: item.buildingId,
		decisions: sorted(decisions),
		buildings: sorted(buildings),
	};
}

/**
 * One single-choice question: per decision scope and per building, each option's households
 * (those that chose it), area and heads, and the outcome its rule gives among the options.
 * Options are tallied as yes/no items ("agree" = chose it), so a scope's rows for the options
 * share their respondents.
 */
function questionResult(
	question: ChoiceQuestion,
	round: RoundInfo,
	byItem: ReadonlyMap<number, TallyRow[]>,
	names: Names,
	order: ReadonlyMap<string, number>,
	scopes: ReadonlyMap<string, ScopeName>,
): QuestionResult {
	const options = question.optionIds.map((id) => round.items.find((item) => item.id === id)!);
	const rule = choiceRule(question.rule);
	const perScope = new Map<string, TallyRow[]>();
	options.forEach((option, index) => {
		for (const row of byItem.get(option.id) ?? []) {
			const key = nameKey(row.level, row.scopeId);
			const rows = perScope.get(key) ?? [];
			rows[index] = row;
			perScope.set(key, rows);
		}
	});
	const decisions: [number, QuestionScopeResult][] = [];
	const buildings: [number, QuestionScopeResult][] = [];
	for (const [key, rows] of perScope) {
		const base = rows[0];
		// Every option has a row in every scope of the question (created together at opening).
		if (!base || !options.every((_o, i) => rows[i] !== undefined)) continue;
		const atDecision = base.level === question.decisionScope;
		if (!atDecision && base.level !== 'building') continue;
		const decision = decideChoice(rule, rows.map(toRulesTally));
		const scope = scopes.get(key) ?? scopeName(names, base.level, base.scopeId);
		const entry: QuestionScopeResult = {
			level: scope.level,
			scopeId: scope.scopeId,
			compoundId: scope.compoundId,
			name: scope.name,
			nameEn: scope.nameEn,
			households: base.households,
			heads: base.heads,
			areaCenti: base.areaCenti,
			responded: base.agree + base.disagree + base.abstain,
			abstain: base.abstain,
			headsParticipating: base.headsParticipating,
			participatingAreaCenti: base.agreeArea + base.disagreeArea + base.abstainArea,
			options: rows.map((row, i) => {
				const checks = decision.options[i]!.checks;
				return {
					id: options[i]!.id,
					title: options[i]!.title,
					titleEn: options[i]!.titleEn,
					count: row.agree,
					areaCenti: row.agreeArea,
					heads: row.headsApproving,
					verdict: decision.options[i]!.verdict,
					...(atDecision && checks.length > 0 ? { checks: checks.map(checkView) } : {}),
				};
			}),
			outcome: decision.outcome,
			winner: decision.winner === null ? null : options[decision.winner]!.id,
			lead: decision.lead === null ? null : Number(decision.lead),
		};
		const rank = order.get(key) ?? 0;
		if (atDecision) decisions.push([rank, entry]);
		if (base.level === 'building' && question.decisionScope !== 'building') {
			buildings.push([rank, entry]);
		}
	}
	const sorted = (list: [number, QuestionScopeResult][]) =>
		list.sort((a, b) => a[0] - b[0]).map(([, r]) => r);
	return {
		id: question.id,
		title: question.title,
		titleEn: question.titleEn,
		rule: question.rule,
		decisionScope: question.decisionScope,
		buildingId: question.buildingId,
		options: options.map((o) => ({ id: o.id, title: o.title, titleEn: o.titleEn })),
		decisions: sorted(decisions),
		buildings: sorted(buildings),
	};
}

/** A scope result as one object literal (thousands per view: no spreads). */
const result = (
	scope: ScopeName,
	rowCounts: Counts,
	verdict: ScopeResult['verdict'],
	checks?: CheckView[],
): ScopeResult => ({
	level: scope.level,
	scopeId: scope.scopeId,
	compoundId: scope.compoundId,
	name: scope.name,
	nameEn: scope.nameEn,
	counts: rowCounts,
	verdict,
	...(checks ? { checks } : {}),
});

/** Every scope's names and display order (by name, numbers in natural order), once per view. */
function scopeIndex(rows: readonly TallyRow[], names: Names) {
	const scopes = new Map<string, ScopeName>();
	for (const row of rows) {
		const key = nameKey(row.level, row.scopeId);
		if (!scopes.has(key)) scopes.set(key, scopeName(names, row.level, row.scopeId));
	}
	const sorted = [...scopes.entries()].sort(([, a], [, b]) => byName(a, b));
	return { scopes, order: new Map(sorted.map(([key], index) => [key, index])) };
}

/** Coverage per compound and building against the round's target, and over the whole round. */
export function buildCoverage(
	target: { num: number; den: number },
	rows: readonly CoverageInput[],
	names: Names,
): CoverageView {
	const view = (row: CoverageInput): CoverageRow => ({
		...scopeName(names, row.level, row.scopeId),
		households: row.households,
		responded: row.responded,
		met: coverageMet(row.responded, row.households, target),
	});
	const compounds = rows
		.filter((r) => r.level === 'compound')
		.map(view)
		.sort(byName);
	const households = compounds.reduce((sum, c) => sum + c.households, 0);
	const responded = compounds.reduce((sum, c) => sum + c.responded, 0);
	return {
		target,
		households,
		responded,
		met: coverageMet(responded, households, target),
		compounds,
		buildings: rows
			.filter((r) => r.level === 'building')
			.map(view)
			.sort(byName),
	};
}

/** The results view of a round from its tally and coverage rows. */
export function buildResultsView(
	round: RoundInfo,
	tallies: readonly TallyRow[],
	coverage: readonly CoverageInput[],
	names: Names,
	asOf: Date,
): ResultsView {
	const { scopes, order } = scopeIndex(tallies, names);
	const byItem = new Map<number, TallyRow[]>();
	for (const row of tallies) {
		const list = byItem.get(row.itemId);
		if (list) list.push(row);
		else byItem.set(row.itemId, [row]);
	}
	return {
		round: {
			id: round.id,
			kind: round.kind,
			title: round.title,
			titleEn: round.titleEn,
			projectSlug: round.projectSlug,
			projectName: round.projectName,
			projectNameEn: round.projectNameEn,
			opensAt: round.opensAt.toISOString(),
			closesAt: round.closesAt.toISOString(),
			consent: round.consent,
		},
		asOf: asOf.toISOString(),
		coverage: buildCoverage(round.target, coverage, names),
		items: round.items
			.filter((item) => item.questionId === null)
			.map((item) => itemResult(item, byItem.get(item.id) ?? [], names, order, scopes)),
		...(round.questions.length > 0
			? {
					questions: round.questions.map((q) =>
						questionResult(q, round, byItem, names, order, scopes),
					),
				}
			: {}),
	};
}

/**
 * The numbers of a view without names and times, for comparing a published result with a
 * recount (a compound renamed since is not a different result).
 */
export function comparableResults(view: ResultsView): unknown {
	const strip = <T extends ScopeName>(rows: T[]) =>
		rows
			.map(({ name: _n, nameEn: _e, compoundId: _c, ...rest }) => rest)
			.sort((a, b) => a.scopeId - b.scopeId);
	return {
		coverage: {
			...view.coverage,
			compounds: strip(view.coverage.compounds),
			buildings: strip(view.coverage.buildings),
		},
		items: view.items.map((item) => ({
			id: item.id,
			rule: item.rule,
			decisionScope: item.decisionScope,
			decisions: strip(item.decisions),
			buildings: strip(item.buildings),
		})),
		...(view.questions
			? {
					questions: view.questions.map((q) => ({
						id: q.id,
						rule: q.rule,
						decisionScope: q.decisionScope,
						decisions: strip(q.decisions),
						buildings: strip(q.buildings),
					})),
				}
			: {}),
	};
}
