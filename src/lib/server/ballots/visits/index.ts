/** Door visits (入户) of consultation rounds: record outcomes, read them, plan the next visits. */
export { recordVisit, type VisitRecorded } from './commands.ts';
export {
	countLatestOutcomes,
	getVisitHousehold,
	getVisitPlan,
	listHouseholdVisits,
	listLatestVisits,
	type VisitEntry,
	type VisitHousehold,
	type VisitPlan,
} from './queries.ts';
export {
	chinaDate,
	comeBackDateProblem,
	planVisits,
	stillNeeded,
	worthVisiting,
	type LatestVisit,
} from './plan.ts';
export {
	recordVisitInput,
	visitOutcomes,
	type RecordVisitInput,
	type VisitOutcome,
} from './schemas.ts';
