/** What the committee learns from opinions, rounds and surveys (issue 24 item 4). */
export { getDistrictMenu, getProjectInsights, listInsightProjects } from './queries.ts';
export type { MenuItemInsight, ProjectInsights } from './queries.ts';
export { groupByItem, STOP_WORDS, termsOf, topTerms } from './terms.ts';
export type { ItemGroup, OpinionFact, TermCount, TermGroup } from './terms.ts';
