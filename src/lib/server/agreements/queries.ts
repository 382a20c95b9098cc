import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	agreements,
	buildings,
	households,
	planItems,
	planVersions,
	projectCompounds,
	renovationItems,
	units,
} from '../../../../db/schema/index.ts';
import { parseCenti } from '../ballots/index.ts';
import { formatYuan, parseYuan } from '../plans/index.ts';
import type { Actor } from '../policy/index.ts';
import {
	agreementBlockers,
	householdTerms,
	type AgreementBlocker,
	type ScopeHousehold,
	type TermItem,
} from './rules.ts';

type ScopeRow = ScopeHousehold & {
	unitId: number;
	buildingNumber: string;
	unitNumber: string;
	room: string;
};
type ItemRow = TermItem & {
	name: string;
	nameEn: string;
	description: string;
	descriptionEn: string;
	buildingNumber: string | null;
};

/** Everything the agreement rules need for a project's final plan, or null before one exists. */
export async function loadAgreementContext(db: Executor, projectId: number) {
	const [final] = await db
		.select({
			id: planVersions.id,
			number: planVersions.number,
			publishedAt: planVersions.publishedAt,
		})
		.from(planVersions)
		.where(and(eq(planVersions.projectId, projectId), eq(planVersions.status, 'final')));
	if (!final) return null;
	const [itemRows, scopeRows, agreedRows] = await Promise.all([
		db
			.select({
				id: planItems.id,
				buildingId: planItems.buildingId,
				residentYuan: planItems.residentYuan,
				split: planItems.split,
				name: renovationItems.name,
				nameEn: renovationItems.nameEn,
				description: planItems.description,
				descriptionEn: planItems.descriptionEn,
				buildingNumber: buildings.number,
			})
			.from(planItems)
			.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
			.leftJoin(buildings, eq(buildings.id, planItems.buildingId))
			.where(eq(planItems.planVersionId, final.id))
			.orderBy(asc(planItems.sort), asc(planItems.id)),
		db
			.select({
				id: households.id,
				buildingId: households.buildingId,
				unitId: households.unitId,
				area: households.areaM2,
				buildingNumber: buildings.number,
				unitNumber: units.number,
				room: households.room,
			})
			.from(households)
			.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
			.innerJoin(buildings, eq(buildings.id, households.buildingId))
			.innerJoin(units, eq(units.id, households.unitId))
			.where(and(eq(projectCompounds.projectId, projectId), isNull(households.retiredAt)))
			.orderBy(asc(households.buildingId), asc(households.unitId), asc(households.id)),
		db
			.select({
				householdId: agreements.householdId,
				channel: agreements.channel,
				shareYuan: agreements.shareYuan,
				createdAt: agreements.createdAt,
			})
			.from(agreements)
			.where(eq(agreements.planVersionId, final.id)),
	]);
	const items: ItemRow[] = itemRows.map(({ residentYuan, ...rest }) => ({
		...rest,
		residentCents: parseYuan(residentYuan) ?? 0n,
	}));
	const scope: ScopeRow[] = scopeRows.map(({ area, ...rest }) => ({
		...rest,
		areaCenti: parseCenti(area),
	}));
	const agreed = new Map(agreedRows.map((r) => [r.householdId, r]));
	return { final, items, scope, agreed };
}

export type AgreementContext = NonNullable<Awaited<ReturnType<typeof loadAgreementContext>>>;

/**
 * The gate before works start (rules.ts `agreementBlockers`), with building numbers for the
 * message; none when the project has no final plan (nothing to agree to yet).
 */
export async function constructionStartBlockers(
	db: Executor,
	projectId: number,
): Promise<(AgreementBlocker & { buildingNumber: string; itemName: string })[]> {
	const context = await loadAgreementContext(db, projectId);
	if (!context) return [];
	const blockers = agreementBlockers(context.items, context.scope, new Set(context.agreed.keys()));
	return blockers.map((b) => {
		const item = context.items.find((i) => i.id === b.itemId)!;
		return { ...b, buildingNumber: item.buildingNumber ?? '', itemName: item.name };
	});
}

export type UnitCount = {
	buildingNumber: string;
	unitNumber: string;
	households: number;
	agreed: number;
};

/** Agreements per building and unit (the public figures), in building then unit order. */
export function countByUnit(context: AgreementContext): UnitCount[] {
	const counts = new Map<number, UnitCount>();
	for (const h of context.scope) {
		const row = counts.get(h.unitId) ?? {
			buildingNumber: h.buildingNumber,
			unitNumber: h.unitNumber,
			households: 0,
			agreed: 0,
		};
		row.households += 1;
		if (context.agreed.has(h.id)) row.agreed += 1;
		counts.set(h.unitId, row);
	}
	return [...counts.values()];
}

export type MyAgreement = {
	householdId: number;
	label: { building: string; unit: string; room: string };
	mayConfirm: boolean;
	items: {
		name: string;
		nameEn: string;
		description: string;
		descriptionEn: string;
		buildingNumber: string | null;
		shareYuan: string;
	}[];
	totalYuan: string;
	agreed: { channel: 'online' | 'paper'; at: Date; shareYuan: string } | null;
};

/**
 * The agreement page's view model: the final plan, the counts per unit, the gate's blockers,
 * and for a signed-in resident the terms of each of their households in the project.
 */
export async function getAgreementPage(db: Executor, projectId: number, viewer: Actor | null) {
	const context = await loadAgreementContext(db, projectId);
	if (!context) return null;
	const units = countByUnit(context);
	const blockers = agreementBlockers(context.items, context.scope, new Set(context.agreed.keys()));
	const mine: MyAgreement[] = [];
	for (const m of viewer?.kind === 'resident' ? viewer.memberships : []) {
		const household = context.scope.find((h) => h.id === m.householdId);
		const terms = household ? householdTerms(context.items, context.scope, household.id) : null;
		if (!household || !terms) continue;
		const agreed = context.agreed.get(household.id);
		mine.push({
			householdId: household.id,
			label: {
				building: household.buildingNumber,
				unit: household.unitNumber,
				room: household.room,
			},
			mayConfirm: m.mayConsent,
			items: terms.items.map((t) => {
				const item = context.items.find((i) => i.id === t.id)!;
				return {
					name: item.name,
					nameEn: item.nameEn,
					description: item.description,
					descriptionEn: item.descriptionEn,
					buildingNumber: item.buildingNumber,
					shareYuan: formatYuan(t.cents),
				};
			}),
			totalYuan: formatYuan(terms.totalCents),
			agreed: agreed
				? { channel: agreed.channel, at: agreed.createdAt, shareYuan: agreed.shareYuan }
				: null,
		});
	}
	return {
		final: context.final,
		households: context.scope.length,
		agreed: context.agreed.size,
		units,
		blockers: blockers.map((b) => ({
			...b,
			buildingNumber: context.items.find((i) => i.id === b.itemId)?.buildingNumber ?? '',
			itemName: context.items.find((i) => i.id === b.itemId)?.name ?? '',
			itemNameEn: context.items.find((i) => i.id === b.itemId)?.nameEn ?? '',
		})),
		mine,
		/** For staff: the households still without an agreement (for the paper form). */
		pending: context.scope
			.filter((h) => !context.agreed.has(h.id))
			.map((h) => ({ id: h.id, building: h.buildingNumber, unit: h.unitNumber, room: h.room })),
	};
}

export type AgreementPage = NonNullable<Awaited<ReturnType<typeof getAgreementPage>>>;
