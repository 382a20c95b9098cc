/**
 * The ballots module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	type CheckView,
	type Choice,
	type ChoiceQuestion,
	type CoverageRow,
	type ItemResult,
	type PublishedResults,
	type QuestionResult,
	type QuestionScopeResult,
	type ResultsView,
	type RoundInfo,
	type RoundItem,
	type RoundKind,
	type RoundPhase,
	type Verdict,
} from './types.ts';
export {
	castBallotInput,
	closeRoundInput,
	createRoundInput,
	doubleEntryInput,
	paperFormInput,
	publishInput,
	resolvePaperInput,
	reviewConflictInput,
	roundIdInput,
} from './schemas.ts';
export { formatCenti, meetsThreshold, parseCenti, TWO_THIRDS } from './rules.ts';
export { optionAnswers } from './choices.ts';
export { ROUND_OPENED_JOB, runRoundOpenedJob } from './commands/announce.ts';
export { castBallot, reviewConflict } from './commands/cast.ts';
export { enterPaperForm, resolvePaperEntry } from './commands/paper.ts';
export { publishResults } from './commands/publish.ts';
export { closeRound, createRound, openRound, setDoubleEntry } from './commands/rounds.ts';
export { splitCost } from './cost-share.ts';
export { estimateCosts } from './cost.ts';
export { getOpenEntry, listOpenEntries } from './entry-queries.ts';
export { exportName, resultsRows, toXlsx } from './export.ts';
export { loadScopeHousehold } from './load.ts';
export { detachMyBallots, exportMyBallots } from './personal.ts';
export { coverageMet } from './phase.ts';
export { mayVote } from './policy.ts';
export { propertyManagementPreset } from './presets.ts';
export {
	listConflicts,
	listNotResponded,
	listScopeHouseholds,
	type VisitRow,
} from './queries/follow-up.ts';
export {
	getHouseholdBallot,
	myHouseholdsInRound,
	type RevisionView,
} from './queries/household-ballot.ts';
export {
	getCoverage,
	getLiveResults,
	getPublishedResults,
	getUnitCoverage,
	listPublishedVersions,
} from './queries/results.ts';
export {
	getRoundFormOptions,
	getRoundForViewer,
	listProjectRounds,
	listProjectsForRounds,
	listRoundsForStaff,
	resultsAccess,
} from './queries/rounds.ts';
export { getRoundStepView } from './steps.ts';
export { covers, type RuleKind } from './tally.ts';
export {
	type CompoundCoverage,
	listPlanOpinionCoverage,
	listRefusalsInPlan,
	listRefusedItems,
	type Refusal,
} from './verdicts.ts';
export {
	chinaDate,
	countLatestOutcomes,
	getVisitHousehold,
	getVisitPlan,
	type LatestVisit,
	listHouseholdVisits,
	listLatestVisits,
	recordVisit,
	recordVisitInput,
	visitOutcomes,
} from './visits/index.ts';
export { type SplitMethod } from './cost-share.ts';
export { chosenAlternatives } from './alternatives.ts';
export { floorCoefficientsInput } from './schemas.ts';
export { setFloorCoefficients } from './commands/floors.ts';
export {
	getFloorCoefficients,
	getFloorViews,
	householdFloor,
	type ItemFloors,
} from './floor-queries.ts';
export {
	coefficientsText,
	type FloorCoefficient,
	type FloorCounts,
	floorGeometry,
	type FloorResponse,
	formatPermille,
	permilleFor,
} from './floors.ts';
