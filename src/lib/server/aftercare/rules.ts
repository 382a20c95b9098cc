/**
 * Pure rules of long-term management (长效管理): warranty periods, who answers a repair request
 * and by when, and what counts as overdue. Dates are ISO calendar days in China time.
 */

export const REPAIR_CATEGORIES = ['safety', 'leak', 'facility', 'appearance'] as const;
export type RepairCategory = (typeof REPAIR_CATEGORIES)[number];
export type RepairParty = 'contractor' | 'property_manager';
export type RepairStatus = 'open' | 'in_progress' | 'closed';

/** 物业服务企业, 居民自治, 社区托管: the models residents choose between (seeds 000, 004). */
export const PROPERTY_MODELS = ['enterprise', 'self_governed', 'community_trust'] as const;
export type PropertyModel = (typeof PROPERTY_MODELS)[number];

/** 物业费, 维修资金使用, 公共收益 (parking, advertising): what is disclosed after handover. */
export const DISCLOSURE_KINDS = ['property_fee', 'maintenance_fund', 'shared_income'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];

/**
 * Days to fix a repair request by category: a safety hazard (loose railing, exposed wiring)
 * the next day, a leak within three days, a broken facility within a week, appearance within
 * two weeks — the response times 物业服务 contracts commonly promise.
 */
export const REPAIR_DUE_DAYS: Readonly<Record<RepairCategory, number>> = {
	safety: 1,
	leak: 3,
	facility: 7,
	appearance: 15,
};

/** Stages during which residents may file repair requests: 长效管理 only. */
export const REPAIRABLE_STAGES: ReadonlySet<string> = new Set(['maintenance']);

const parse = (iso: string) => {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d!));
};
const format = (date: Date) => date.toISOString().slice(0, 10);

/** An ISO day plus a number of days (negative goes back). */
export function addDays(iso: string, days: number): string {
	const date = parse(iso);
	date.setUTCDate(date.getUTCDate() + days);
	return format(date);
}

/** An ISO day plus whole months, clamped to the month's last day (01-31 + 1 month → 02-28). */
export function addMonths(iso: string, months: number): string {
	const [y, m, d] = iso.split('-').map(Number);
	const first = new Date(Date.UTC(y!, m! - 1 + months, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d!, last));
	return format(first);
}

/**
 * The last day covered by a warranty of `months` that starts on the acceptance day: a two-year
 * warranty from 2025-03-15 covers through 2027-03-14.
 */
export function warrantyEndsOn(startsOn: string, months: number): string {
	return addDays(addMonths(startsOn, months), -1);
}

/** Whether a day falls within the warranty (its last day included). */
export function isUnderWarranty(endsOn: string, day: string): boolean {
	return day <= endsOn;
}

/**
 * Who answers a repair request reported on `reportedOn`: the contractor while the item is under
 * warranty (保修期内由施工单位负责), the property manager after (保修期满后由物业负责).
 * `manager` is the property manager on record, or '' if none is recorded yet.
 */
export function routeRepair(
	item: { endsOn: string; contractor: string },
	reportedOn: string,
	manager: string,
): { party: RepairParty; partyName: string } {
	return isUnderWarranty(item.endsOn, reportedOn)
		? { party: 'contractor', partyName: item.contractor }
		: { party: 'property_manager', partyName: manager };
}

/** The day a repair request is due: the report day plus the category's days. */
export function repairDueOn(category: RepairCategory, reportedOn: string): string {
	return addDays(reportedOn, REPAIR_DUE_DAYS[category]);
}

type Timed = { status: RepairStatus; dueOn: string; closedOn: string | null };

/** Overdue: still not closed after its due day, or closed after it. */
export function isOverdue(request: Timed, today: string): boolean {
	return request.closedOn === null ? today > request.dueOn : request.closedOn > request.dueOn;
}

/** The public figures of a project's repair requests (counted like construction problems). */
export function repairCounts(
	requests: readonly Timed[],
	today: string,
): { opened: number; closedInTime: number; overdue: number } {
	let closedInTime = 0;
	let overdue = 0;
	for (const r of requests) {
		if (isOverdue(r, today)) overdue += 1;
		else if (r.closedOn !== null) closedInTime += 1;
	}
	return { opened: requests.length, closedInTime, overdue };
}
