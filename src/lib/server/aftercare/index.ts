/** Long-term management after the works (长效管理), issue 23: warranty ledger and repairs. */
export { recordWarranty } from './commands/warranty.ts';
export { answerRepair, reportRepair } from './commands/repairs.ts';
export {
	getRepairForViewer,
	listAcceptedItems,
	listMyRepairs,
	listRepairsForStaff,
	listWarranty,
	repairStats,
	type AcceptedItem,
	type RepairView,
	type WarrantyView,
} from './queries.ts';
export {
	REPAIR_CATEGORIES,
	REPAIR_DUE_DAYS,
	REPAIRABLE_STAGES,
	isOverdue,
	repairCounts,
	repairDueOn,
	routeRepair,
	warrantyEndsOn,
} from './rules.ts';
export { answerRepairInput, recordWarrantyInput, reportRepairInput } from './schemas.ts';
