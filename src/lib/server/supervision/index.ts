/** 居民监督小组 (issue 22 item 4): volunteers, members by confirmation or lot, notes, signatures. */
export {
	confirmMember,
	drawMembers,
	postInspectionNote,
	signAcceptance,
	volunteer,
} from './commands.ts';
export { getSupervision, type SupervisionView } from './queries.ts';
export { drawByLot, ticket } from './rules.ts';
export {
	confirmMemberInput,
	drawInput,
	inspectionNoteInput,
	signAcceptanceInput,
	volunteerInput,
} from './schemas.ts';
