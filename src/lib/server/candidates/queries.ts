import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	ballots,
	communities,
	compoundInclusions,
	compounds,
	districts,
	projectCompounds,
	roundHouseholds,
	rounds,
	subdistricts,
} from '../../../../db/schema/index.ts';
import { isEligible, percent, rankCandidates, type CandidateFacts } from './rules.ts';

export type CandidateView = CandidateFacts & {
	name: string;
	nameEn: string;
	communityName: string;
	communityNameEn: string;
	participationPercent: number;
	willingnessPercent: number;
	inclusion: { reason: string; decidedAt: Date } | null;
};

export type CandidatesPage = {
	district: { id: number; name: string; nameEn: string; builtBefore: number };
	candidates: CandidateView[];
};

/**
 * The district's candidate compounds (built before its cutoff), ranked by `rankCandidates` on
 * the latest opened needs round (需求问卷) that covered each compound; null for an unknown
 * district. Staff only (the page checks).
 */
export async function listCandidates(
	db: Executor,
	districtId: number,
): Promise<CandidatesPage | null> {
	const [district] = await db.select().from(districts).where(eq(districts.id, districtId));
	if (!district) return null;
	const rows = await db
		.select({
			compoundId: compounds.id,
			name: compounds.name,
			nameEn: compounds.nameEn,
			builtYear: compounds.builtYear,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
		})
		.from(compounds)
		.innerJoin(communities, eq(communities.id, compounds.communityId))
		.innerJoin(subdistricts, eq(subdistricts.id, communities.subdistrictId))
		.where(eq(subdistricts.districtId, district.id))
		.orderBy(asc(compounds.id));
	const eligible = rows.filter((r) => isEligible(r.builtYear, district.candidateBuiltBefore));
	const ids = eligible.map((r) => r.compoundId);
	const facts = await needsFacts(db, ids);
	const included = ids.length
		? await db.select().from(compoundInclusions).where(inArray(compoundInclusions.compoundId, ids))
		: [];
	const candidates = eligible.map((r): CandidateView => {
		const f = facts.get(r.compoundId) ?? { households: 0, responded: 0, willing: 0 };
		const inclusion = included.find((i) => i.compoundId === r.compoundId);
		return {
			...r,
			...f,
			participationPercent: percent(f.responded, f.households),
			willingnessPercent: percent(f.willing, f.households),
			inclusion: inclusion ? { reason: inclusion.reason, decidedAt: inclusion.decidedAt } : null,
		};
	});
	return {
		district: {
			id: district.id,
			name: district.name,
			nameEn: district.nameEn,
			builtBefore: district.candidateBuiltBefore,
		},
		candidates: rankCandidates(candidates),
	};
}

/** The districts, for the page's default and its choice. */
export function listDistricts(db: Executor) {
	return db
		.select({ id: districts.id, name: districts.name, nameEn: districts.nameEn })
		.from(districts)
		.orderBy(asc(districts.id));
}

/**
 * Per compound, from the latest opened needs round that covered it: its households, those that
 * answered, and those that wanted at least one item.
 */
async function needsFacts(db: Executor, compoundIds: number[]) {
	const facts = new Map<number, { households: number; responded: number; willing: number }>();
	if (compoundIds.length === 0) return facts;
	const covering = await db
		.select({ roundId: rounds.id, compoundId: projectCompounds.compoundId })
		.from(rounds)
		.innerJoin(projectCompounds, eq(projectCompounds.projectId, rounds.projectId))
		.where(
			and(
				eq(rounds.kind, 'needs'),
				isNotNull(rounds.openedAt),
				inArray(projectCompounds.compoundId, compoundIds),
			),
		)
		.orderBy(desc(rounds.opensAt), desc(rounds.id));
	const latest = new Map<number, number>();
	for (const c of covering) if (!latest.has(c.compoundId)) latest.set(c.compoundId, c.roundId);
	for (const [compoundId, roundId] of latest) {
		const scope = await db
			.select({ householdId: roundHouseholds.householdId, choices: ballots.choices })
			.from(roundHouseholds)
			.leftJoin(
				ballots,
				and(
					eq(ballots.roundId, roundHouseholds.roundId),
					eq(ballots.householdId, roundHouseholds.householdId),
				),
			)
			.where(and(eq(roundHouseholds.roundId, roundId), eq(roundHouseholds.compoundId, compoundId)));
		facts.set(compoundId, {
			households: scope.length,
			responded: scope.filter((h) => h.choices !== null).length,
			willing: scope.filter((h) => h.choices && Object.values(h.choices).includes('agree')).length,
		});
	}
	return facts;
}
