/**
 * The opinions module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	type Alignment,
	alignments,
	type AuthorLabel,
	type OpinionChannel,
	opinionOrders,
	type OpinionTarget,
	type OpinionView,
	type ReportReason,
	reportReasons,
} from './types.ts';
export {
	alignmentInput,
	BODY_MAX,
	bodyInput,
	meTooInput,
	normaliseText,
	parseOrThrow,
	postOpinionInput,
	replyInput,
	REPORT_TEXT_MAX,
	reportInput,
	reviseOpinionInput,
	withdrawOpinionInput,
} from './schemas.ts';
export {
	authorHousehold,
	authorLabel,
	formatTarget,
	parseAnswered,
	parseOrder,
	parsePage,
	parseStance,
	parseTarget,
	windowState,
} from './rules.ts';
export { postOpinion, reportOpinion, toggleMeToo } from './commands.ts';
export { exportMyOpinions } from './export.ts';
export { getOpinionContext, listOpinions, listOpinionTargets } from './queries.ts';
export { recordReceivedOpinions, type ReceivedOpinion } from './received.ts';
export { reviseOpinion, withdrawOpinion } from './revise.ts';
