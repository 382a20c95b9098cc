/**
 * The moderation module's door: what pages, actions, middleware and other modules may use.
 * Files inside the module import each other directly; tests may import internals.
 * Leaf files (types, schemas, rules) come first: modules in an import cycle then find their
 * constants initialised.
 */
export {
	dispositions,
	moderationCauses,
	moderationOps,
	offlineChannels,
	type OpinionModeration,
	queueAges,
	queueStatuses,
} from './types.ts';
export {
	ANSWER_MAX,
	answerInput,
	blockInput,
	bulkModerateInput,
	liftBlockInput,
	moderateInput,
	offlineInput,
	REASON_MAX,
	removeWordInput,
	wordInput,
} from './schemas.ts';
export { decide, isHeld, parseQueueQuery, waitingDays } from './rules.ts';
export { mayModerate } from './access.ts';
export {
	answerSummary,
	getAnswerSheet,
	listUnanswered,
	type SheetEntry,
	UNANSWERED_LIMIT,
} from './answers.ts';
export { answerOpinion } from './commands/answer.ts';
export { blockAuthor, liftBlock } from './commands/block.ts';
export { bulkModerate, moderateOpinion } from './commands/moderate.ts';
export { recordOfflineOpinion } from './commands/offline.ts';
export { addSensitiveWord, listSensitiveWords, removeSensitiveWord } from './commands/words.ts';
export {
	getModerationItem,
	listBlocks,
	listModeratedProjects,
	listOfflineVersions,
	listQueue,
	listVersionHouseholds,
} from './queries.ts';
export { afterReport, recordRescreening, recordScreening, screenOpinion } from './screen.ts';
export { attachAnswers, moderationNotice, shownToPublic, textShown } from './views.ts';
export { WORD_MAX } from './words.ts';
export { answerManyInput, digestInput } from './schemas.ts';
export { excerpt } from './rules.ts';
export { type CarrierOption, listAdoptedWithoutChange, listCarrierOptions } from './answers.ts';
export { answerOpinions } from './commands/answer.ts';
export {
	DIGEST_JOB,
	getDigestSetting,
	notifyNewOpinion,
	runModerationDigest,
	setModerationDigest,
} from './staff-notices.ts';
