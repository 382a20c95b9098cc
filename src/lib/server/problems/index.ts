/**
 * The problems module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export { closeProblemInput, dispatchProblemInput, reportProblemInput } from './schemas.ts';
export { daysOverdue, REPORTABLE_STAGES } from './rules.ts';
export { closeProblem, dispatchProblem, reportProblem } from './commands.ts';
export {
	getProblemForViewer,
	listMyProblems,
	listProblemsForStaff,
	problemStats,
	type ProblemView,
} from './queries.ts';
