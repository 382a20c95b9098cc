/**
 * The surveys module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	type QuestionResult,
	type QuestionView,
	type RatingStats,
	type SectionView,
	type SurveyInfo,
	type SurveyResultsView,
} from './types.ts';
export {
	addQuestionInput,
	addSectionInput,
	closeSurveyInput,
	createSurveyInput,
	moderateTextInput,
	moveQuestionInput,
	moveSectionInput,
	openSurveyInput,
	paperResponseInput,
	publishSurveyInput,
	questionRefInput,
	questionSectionInput,
	respondInput,
	sectionRefInput,
	updateSectionInput,
	updateSurveyInput,
} from './schemas.ts';
export { answersToRaw, checkAnswers, DEFAULT_TEXT_LIMIT } from './answers.ts';
export {
	addQuestion,
	addSection,
	createSurvey,
	moveQuestion,
	removeQuestion,
	updateSurvey,
} from './commands/build.ts';
export { closeSurvey, openSurvey } from './commands/lifecycle.ts';
export { moderateSurveyText, publishSurveyResults } from './commands/publish.ts';
export { enterPaperResponse, submitResponse } from './commands/respond.ts';
export {
	moveSection,
	removeSection,
	setQuestionSection,
	updateSection,
} from './commands/sections.ts';
export {
	dashboardFilterOptions,
	type DashboardSort,
	dashboardSorts,
	listDashboard,
	sortDashboard,
} from './dashboard.ts';
export { namedAnswersCsv, resultsCsv, resultsXlsx } from './export.ts';
export { surveyPhase } from './load.ts';
export { answerText, listNamedAnswers, numberedQuestions } from './named.ts';
export { displayOrder, groupOf, sectionOrder } from './order.ts';
export { managesSurvey } from './policy.ts';
export {
	computeResults,
	getMyAnswers,
	getPublishedResults,
	getSurveyForViewer,
	listPublicSurveys,
	listRespondents,
	listStaffSurveys,
	listSurveyProjects,
	listTextsForModeration,
	myHouseholdsInSurvey,
} from './queries.ts';
export { meanText, percentText } from './results.ts';
export { getSurveyStepView } from './steps.ts';
export { listSurveyCompounds, type ResultCompound } from './queries.ts';
export { listSatisfactionHistory } from './dashboard.ts';
