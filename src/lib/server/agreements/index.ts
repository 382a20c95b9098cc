/** 改造协议, 监督小组 and 政策解读 (issue 22 items 3, 4 and 8). */
export { confirmAgreement, recordPaperAgreement } from './commands.ts';
export {
	constructionStartBlockers,
	getAgreementPage,
	type AgreementPage,
	type MyAgreement,
} from './queries.ts';
export { agreementBlockers, householdTerms } from './rules.ts';
export { confirmAgreementInput, paperAgreementInput } from './schemas.ts';
