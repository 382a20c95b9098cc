import type { Choice, CheckName, ChoiceOutcome, Verdict } from './rules.ts';
import type { DecisionScope, Level, RuleKind } from './tally.ts';

export type { Choice, ChoiceOutcome, Verdict };
/** How a single-choice question is decided (db enum `choice_rule`). */
export type ChoiceRuleKind = 'plurality' | 'civil_code_majority' | 'civil_code_three_quarters';
export type RoundKind = 'needs' | 'plan_opinion' | 'special';
export type Channel = 'online' | 'paper';

/** draft: not opened yet · scheduled: opened, before opensAt · open · closed: after closesAt. */
export type RoundPhase = 'draft' | 'scheduled' | 'open' | 'closed';

/** A round's item as the pages and tallies need it. */
export type RoundItem = {
	id: number;
	itemId: number | null;
	planItemId: number | null;
	buildingId: number | null;
	title: string;
	titleEn: string;
	rule: RuleKind;
	decisionScope: DecisionScope;
	/** Civil Code art. 278 matters 6–8 (menu item, or a typed question marked so): always ≥ 3/4. */
	specialMatter: boolean;
	/** Set when the item is an option of a single-choice question. */
	questionId: number | null;
};

/**
 * A single-choice question among N options (e.g. the property-management model); its options
 * are round items (`RoundItem.questionId`), in `optionIds` order.
 */
export type ChoiceQuestion = {
	id: number;
	title: string;
	titleEn: string;
	rule: ChoiceRuleKind;
	decisionScope: DecisionScope;
	buildingId: number | null;
	optionIds: number[];
};

/** The parts of a round that never change once it is opened, plus its window. */
export type RoundInfo = {
	id: number;
	projectId: number;
	projectSlug: string;
	projectName: string;
	projectNameEn: string;
	communityId: number;
	kind: RoundKind;
	planVersionId: number | null;
	title: string;
	titleEn: string;
	description: string;
	descriptionEn: string;
	scopeBuildingId: number | null;
	consent: boolean;
	talliesPublic: boolean;
	/** Paper forms count only once a second committee member entered them again (双人录入). */
	doubleEntry: boolean;
	target: { num: number; den: number };
	opensAt: Date;
	closesAt: Date;
	openedAt: Date | null;
	/** Why staff closed it early below target (shown with the results); '' otherwise. */
	earlyCloseReason: string;
	/** Every item, options of single-choice questions included. */
	items: RoundItem[];
	questions: ChoiceQuestion[];
};

export type CheckView = {
	name: CheckName;
	/** Exact integers as strings (areas in 0.01 m²). */
	numerator: string;
	denominator: string;
	threshold: string;
	inclusive: boolean;
	passed: boolean;
	required: string | null;
	margin: string;
	/** 'count' for households and heads, 'area' for 0.01 m². */
	unit: 'count' | 'area';
};

export type Counts = {
	households: number;
	heads: number;
	/** Areas in 0.01 m² (exact integers; `formatCenti` shows them as m²). */
	areaCenti: number;
	agree: number;
	disagree: number;
	abstain: number;
	responded: number;
	agreeAreaCenti: number;
	disagreeAreaCenti: number;
	abstainAreaCenti: number;
	headsParticipating: number;
	headsApproving: number;
};

/** A scope and its display names; `compoundId` is the compound it lies in (itself for one). */
export type ScopeName = {
	level: Level;
	scopeId: number;
	compoundId: number | null;
	name: string;
	nameEn: string;
};

export type ScopeResult = ScopeName & { counts: Counts; verdict: Verdict; checks?: CheckView[] };

export type ItemResult = {
	id: number;
	itemId: number | null;
	title: string;
	titleEn: string;
	rule: RuleKind;
	decisionScope: DecisionScope;
	buildingId: number | null;
	/** Verdicts over the item's decision scopes, with every check and margin. */
	decisions: ScopeResult[];
	/** Per building: counts, shares and the verdict the same rule gives over that building. */
	buildings: ScopeResult[];
};

export type CoverageRow = ScopeName & { households: number; responded: number; met: boolean };

export type CoverageView = {
	target: { num: number; den: number };
	households: number;
	responded: number;
	met: boolean;
	compounds: CoverageRow[];
	buildings: CoverageRow[];
};

/** One option over one scope: households that chose it (and their area and heads). */
export type OptionResult = {
	id: number;
	title: string;
	titleEn: string;
	/** Households that chose the option. */
	count: number;
	areaCenti: number;
	/** Owner heads all of whose flats in the scope chose the option. */
	heads: number;
	verdict: Verdict;
	checks?: CheckView[];
};

/** A single-choice question over one scope: respondents, each option, and the outcome. */
export type QuestionScopeResult = ScopeName & {
	households: number;
	heads: number;
	areaCenti: number;
	responded: number;
	abstain: number;
	headsParticipating: number;
	participatingAreaCenti: number;
	options: OptionResult[];
	outcome: ChoiceOutcome;
	/** Round item id of the chosen option. */
	winner: number | null;
	/** Plurality: households the leading option is ahead of the next by. */
	lead: number | null;
};

export type QuestionResult = {
	id: number;
	title: string;
	titleEn: string;
	rule: ChoiceRuleKind;
	decisionScope: DecisionScope;
	buildingId: number | null;
	options: { id: number; title: string; titleEn: string }[];
	decisions: QuestionScopeResult[];
	buildings: QuestionScopeResult[];
};

/** Results of a round, live or as published: JSON-safe (no bigint, no Date). */
export type ResultsView = {
	round: {
		id: number;
		kind: RoundKind;
		title: string;
		titleEn: string;
		projectSlug: string;
		projectName: string;
		projectNameEn: string;
		opensAt: string;
		closesAt: string;
		consent: boolean;
	};
	/** When these numbers were read (live) or computed for publication. */
	asOf: string;
	coverage: CoverageView;
	/** Yes/no items (options of single-choice questions are under `questions`). */
	items: ItemResult[];
	/** Single-choice questions; absent when the round has none (older results never had it). */
	questions?: QuestionResult[];
};

export type PublishedResults = {
	version: number;
	publishedAt: string;
	note: string;
	digest: string;
	view: ResultsView;
};
