/** Candidate compounds and the district's 纳入计划 decisions (issue 22). */
export { includeCompound, setCandidateCutoff } from './commands.ts';
export {
	listCandidates,
	listDistricts,
	type CandidateView,
	type CandidatesPage,
} from './queries.ts';
export { includeCompoundInput, setCutoffInput } from './schemas.ts';
export { isEligible, percent, rankCandidates, type CandidateFacts } from './rules.ts';
