/** 政策解读 (issue 22 item 8): policy explainers and FAQ of a district or a project. */
export { saveExplainer } from './commands.ts';
export {
	districtOfProject,
	getDistrictByCode,
	listDistrictExplainers,
	listProjectExplainers,
	type ExplainerView,
} from './queries.ts';
export { saveExplainerInput, type SaveExplainerInput } from './schemas.ts';
