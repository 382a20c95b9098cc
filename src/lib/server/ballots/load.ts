/** Internal readers shared by the ballots module's commands and queries. */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import {
	ballots,
	roundChoiceQuestions,
	roundHouseholds,
	roundItems,
	rounds,
} from '../../../../db/schema/ballots.ts';
import { projects } from '../../../../db/schema/projects.ts';
import type { Choices, ScopeHousehold } from './tally.ts';
import type { ChoiceQuestion, RoundInfo, RoundItem } from './types.ts';

async function readRound(db: Executor, roundId: number): Promise<RoundInfo | null> {
	const [row] = await db
		.select({
			id: rounds.id,
			projectId: rounds.projectId,
			projectSlug: projects.slug,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			communityId: projects.communityId,
			kind: rounds.kind,
			planVersionId: rounds.planVersionId,
			title: rounds.title,
			titleEn: rounds.titleEn,
			description: rounds.description,
			descriptionEn: rounds.descriptionEn,
			scopeBuildingId: rounds.scopeBuildingId,
			consent: rounds.consent,
			talliesPublic: rounds.talliesPublic,
			doubleEntry: rounds.doubleEntry,
			targetNum: rounds.targetNum,
			targetDen: rounds.targetDen,
			opensAt: rounds.opensAt,
			closesAt: rounds.closesAt,
			openedAt: rounds.openedAt,
			earlyCloseReason: rounds.earlyCloseReason,
		})
		.from(rounds)
		.innerJoin(projects, eq(projects.id, rounds.projectId))
		.where(eq(rounds.id, roundId));
	if (!row) return null;
	const items: RoundItem[] = await db
		.select({
			id: roundItems.id,
			itemId: roundItems.itemId,
			planItemId: roundItems.planItemId,
			buildingId: roundItems.buildingId,
			title: roundItems.title,
			titleEn: roundItems.titleEn,
			rule: roundItems.rule,
			decisionScope: roundItems.decisionScope,
			specialMatter: roundItems.specialMatter,
			questionId: roundItems.questionId,
		})
		.from(roundItems)
		.where(eq(roundItems.roundId, roundId))
		.orderBy(asc(roundItems.sort), asc(roundItems.id));
	const questions = items.some((i) => i.questionId !== null)
		? await readQuestions(db, roundId, items)
		: [];
	const { targetNum, targetDen, ...rest } = row;
	return { ...rest, target: { num: targetNum, den: targetDen }, items, questions };
}

async function readQuestions(
	db: Executor,
	roundId: number,
	items: RoundItem[],
): Promise<ChoiceQuestion[]> {
	const rows = await db
		.select({
			id: roundChoiceQuestions.id,
			title: roundChoiceQuestions.title,
			titleEn: roundChoiceQuestions.titleEn,
			rule: roundChoiceQuestions.rule,
			decisionScope: roundChoiceQuestions.decisionScope,
			buildingId: roundChoiceQuestions.buildingId,
		})
		.from(roundChoiceQuestions)
		.where(eq(roundChoiceQuestions.roundId, roundId))
		.orderBy(asc(roundChoiceQuestions.sort), asc(roundChoiceQuestions.id));
	return rows.map((q) => ({
		...q,
		optionIds: items.filter((i) => i.questionId === q.id).map((i) => i.id),
	}));
}

/** A round with its items, read fresh; null when it does not exist. */
export function loadRound(db: Executor, roundId: number): Promise<RoundInfo | null> {
	return readRound(db, roundId);
}

export type FrozenHousehold = ScopeHousehold & { ownerUnits: number };

/** The household as frozen in the round's scope, or null when it is not in scope. */
export async function loadScopeHousehold(
	db: Executor,
	roundId: number,
	householdId: number,
): Promise<FrozenHousehold | null> {
	const [row] = await db
		.select({
			householdId: roundHouseholds.householdId,
			compoundId: roundHouseholds.compoundId,
			buildingId: roundHouseholds.buildingId,
			unitId: roundHouseholds.unitId,
			areaCenti: roundHouseholds.areaCenti,
			ownerKey: roundHouseholds.ownerKey,
			ownerUnits: roundHouseholds.ownerUnits,
		})
		.from(roundHouseholds)
		.where(and(eq(roundHouseholds.roundId, roundId), eq(roundHouseholds.householdId, householdId)));
	return row ?? null;
}

/** The owner's other flats in the round with their counted choices (read under the owner lock). */
export async function loadSiblings(
	db: Executor,
	household: FrozenHousehold & { roundId: number },
): Promise<{ household: ScopeHousehold; choices: Choices | null }[]> {
	const rows = await db
		.select({
			householdId: roundHouseholds.householdId,
			compoundId: roundHouseholds.compoundId,
			buildingId: roundHouseholds.buildingId,
			unitId: roundHouseholds.unitId,
			areaCenti: roundHouseholds.areaCenti,
			ownerKey: roundHouseholds.ownerKey,
			choices: ballots.choices,
		})
		.from(roundHouseholds)
		.leftJoin(
			ballots,
			and(
				eq(ballots.roundId, roundHouseholds.roundId),
				eq(ballots.householdId, roundHouseholds.householdId),
			),
		)
		.where(
			and(
				eq(roundHouseholds.roundId, household.roundId),
				eq(roundHouseholds.ownerKey, household.ownerKey),
				ne(roundHouseholds.householdId, household.householdId),
			),
		);
	return rows.map(({ choices, ...h }) => ({ household: h, choices: choices ?? null }));
}

export type RoundWindow = {
	now: Date;
	openedAt: Date | null;
	opensAt: Date;
	closesAt: Date;
};

const toDate = (value: unknown): Date | null =>
	value === null || value === undefined ? null : new Date(value as string | Date);

/**
 * The advisory lock on a round's window (key pair with the round id): ballots share it
 * (commands/record.ts, paper entries), closing and publishing take it alone.
 * An advisory lock rather than FOR SHARE on the round's row: many transactions sharing a row
 * lock make a new multixact each time, which cost more than the rest of a ballot.
 */
export const ROUND_WINDOW_LOCK_KEY = 7_340_214;

/**
 * The round's window with the database clock, under the round's window lock: `share` for a
 * ballot (many at once), `update` for closing and publishing (waits for those ballots, then
 * excludes new ones; it also locks the round's row). The clock is `clock_timestamp()`, read
 * after the lock is granted: a ballot that waited for a close sees the round closed. Null when
 * the round does not exist.
 */
export async function lockRoundWindow(
	tx: Executor,
	roundId: number,
	mode: 'share' | 'update',
): Promise<RoundWindow | null> {
	const key = sql.raw(String(ROUND_WINDOW_LOCK_KEY));
	await tx.execute(
		mode === 'share'
			? sql`select pg_advisory_xact_lock_shared(${key}, ${roundId}::int)`
			: sql`select pg_advisory_xact_lock(${key}, ${roundId}::int)`,
	);
	const lock = mode === 'share' ? sql`` : sql`for update`;
	const [row] = await queryRows<Record<string, unknown>>(
		tx,
		sql`select clock_timestamp() as now, opened_at, opens_at, closes_at
		    from rounds where id = ${roundId} ${lock}`,
	);
	if (!row) return null;
	return {
		now: toDate(row.now)!,
		openedAt: toDate(row.opened_at),
		opensAt: toDate(row.opens_at)!,
		closesAt: toDate(row.closes_at)!,
	};
}
