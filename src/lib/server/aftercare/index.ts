/** Long-term management after the works (长效管理), issue 23: warranty ledger and repairs. */
export { recordWarranty } from './commands/warranty.ts';
export { answerRepair, reportRepair } from './commands/repairs.ts';
export { recordPropertyManagement } from './commands/property.ts';
export { publishDisclosure } from './commands/disclosures.ts';
export {
	confirmConvention,
	publishConvention,
	recordPaperConfirmation,
} from './commands/conventions.ts';
export {
	canConfirmConvention,
	getConventionPage,
	getLatestConvention,
	listUnconfirmedHouseholds,
	type ConventionPage,
} from './conventions.ts';
export {
	disclosuresCsv,
	listDisclosures,
	listFundUses,
	listProjectCompounds,
	type DisclosureView,
} from './disclosures.ts';
export {
	getRepairForViewer,
	listAcceptedItems,
	listMyRepairs,
	listPropertyManagement,
	listRepairsForStaff,
	listWarranty,
	repairStats,
	type AcceptedItem,
	type PropertyRecordView,
	type RepairView,
	type WarrantyView,
} from './queries.ts';
export {
	DISCLOSURE_KINDS,
	PROPERTY_MODELS,
	REPAIR_CATEGORIES,
	REPAIR_DUE_DAYS,
	REPAIRABLE_STAGES,
	isOverdue,
	repairCounts,
	repairDueOn,
	routeRepair,
	warrantyEndsOn,
} from './rules.ts';
export {
	answerRepairInput,
	confirmConventionInput,
	publishConventionInput,
	scheduleYearlyCheckInput,
	disclosureInput,
	propertyInput,
	recordWarrantyInput,
	reportRepairInput,
} from './schemas.ts';
export {
	runYearlyCheckJob,
	scheduleYearlyCheck,
	YEARLY_CHECK_DAYS,
	YEARLY_CHECK_JOB,
	yearlyCheckOpensOn,
} from './yearly.ts';
