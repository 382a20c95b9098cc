import type { Choice, CheckName, Verdict } from './rules.ts';
import type { DecisionScope, Level, RuleKind } from './tally.ts';

export type { Choice, Verdict };
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
	/** Civil Code art. 278 matters 6–8 (from the menu item). */
	specialMatter: boolean;
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
	target: { num: number; den: number };
	opensAt: Date;
	closesAt: Date;
	openedAt: Date | null;
	items: RoundItem[];
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
	items: ItemResult[];
};

export type PublishedResults = {
	version: number;
	publishedAt: string;
	note: string;
	digest: string;
	view: ResultsView;
};
