import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../../../../db/client.ts';
import { roundChoiceQuestions, roundItems, rounds } from '../../../../../db/schema/ballots.ts';
import { buildings } from '../../../../../db/schema/org.ts';
import { planItems, planVersions } from '../../../../../db/schema/plans.ts';
import { projectCompounds, projects, renovationItems } from '../../../../../db/schema/projects.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import {
	type Confirmation,
	DomainError,
	earlyCloseReason,
	requireConfirmed,
} from '../../shared/index.ts';
import { loadRound, lockRoundWindow } from '../load.ts';
import { roundPhase } from '../phase.ts';
import { parseChinaTime } from '../../../china-time.ts';
import { requireCommittee } from '../policy.ts';
import { getCoverage } from '../queries/results.ts';
import type { CreateRoundInput } from '../schemas.ts';
import { namesSpecialMatter, ruleFor } from '../rules.ts';
import type { RuleKind } from '../tally.ts';
import type { ChoiceRuleKind } from '../types.ts';
import { alternativeQuestions } from '../alternatives.ts';
import { announceRoundOpening } from './announce.ts';

type NewItem = {
	itemId: number | null;
	planItemId: number | null;
	buildingId: number | null;
	title: string;
	titleEn: string;
	rule: RuleKind;
	specialMatter: boolean;
};

async function menuItems(db: Db, ids: number[], rule: RuleKind, buildingId: number | null) {
	if (ids.length === 0) return [];
	const rows = await db
		.select({
			id: renovationItems.id,
			name: renovationItems.name,
			nameEn: renovationItems.nameEn,
			specialMatter: renovationItems.specialMatter,
			sort: renovationItems.sort,
		})
		.from(renovationItems)
		.where(inArray(renovationItems.id, ids))
		.orderBy(renovationItems.sort);
	if (rows.length !== new Set(ids).size) throw new DomainError('invalid', 'ballots.itemsInvalid');
	return rows.map((r): NewItem => ({
		itemId: r.id,
		planItemId: null,
		buildingId,
		title: r.name,
		titleEn: r.nameEn,
		rule: ruleFor(rule, r.specialMatter),
		specialMatter: r.specialMatter,
	}));
}

async function planVersionItems(db: Db, projectId: number, planVersionId: number, rule: RuleKind) {
	const [version] = await db
		.select({ id: planVersions.id })
		.from(planVersions)
		.where(and(eq(planVersions.id, planVersionId), eq(planVersions.projectId, projectId)));
	if (!version) throw new DomainError('invalid', 'ballots.planVersionRequired');
	const rows = await db
		.select({
			planItemId: planItems.id,
			itemId: planItems.itemId,
			buildingId: planItems.buildingId,
			name: renovationItems.name,
			nameEn: renovationItems.nameEn,
			specialMatter: renovationItems.specialMatter,
		})
		.from(planItems)
		.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
		.where(eq(planItems.planVersionId, planVersionId))
		.orderBy(planItems.sort, planItems.id);
	return rows.map((r): NewItem => ({
		itemId: r.itemId,
		planItemId: r.planItemId,
		buildingId: r.buildingId,
		title: r.name,
		titleEn: r.nameEn,
		rule: ruleFor(rule, r.specialMatter),
		specialMatter: r.specialMatter,
	}));
}

/**
 * Special decisions typed one per line, "中文 | English". A question is a special matter of art.
 * 278 when the committee says so (`special`) or its words name one (`namesSpecialMatter`).
 */
function questionItems(
	questions: string,
	rule: RuleKind,
	special: boolean,
	buildingId: number | null,
): NewItem[] {
	return questions
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const [title = '', titleEn = ''] = line.split('|').map((part) => part.trim());
			if (title.length < 2 || title.length > 200 || titleEn.length > 300) {
				throw new DomainError('invalid', 'ballots.questionsInvalid');
			}
			const specialMatter = special || namesSpecialMatter(`${title} ${titleEn}`);
			return {
				itemId: null,
				planItemId: null,
				buildingId,
				title,
				titleEn,
				rule: ruleFor(rule, specialMatter),
				specialMatter,
			};
		});
}

type NewQuestion = {
	title: string;
	titleEn: string;
	rule: ChoiceRuleKind;
	specialMatter: boolean;
	options: { title: string; titleEn: string }[];
};

const MAX_OPTIONS = 10;

/**
 * A special decision's single-choice question: a title and 2–10 distinct options typed one per
 * line, "中文 | English". None when no title and no options are given.
 */
function choiceQuestion(input: CreateRoundInput): NewQuestion | null {
	const title = input.choiceTitle ?? '';
	const lines = (input.choiceOptions ?? '')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);
	if (title === '' && lines.length === 0) return null;
	const options = lines.map((line) => {
		const [name = '', nameEn = ''] = line.split('|').map((part) => part.trim());
		return { title: name, titleEn: nameEn };
	});
	const invalid =
		input.kind !== 'special' ||
		title.length < 2 ||
		options.length < 2 ||
		options.length > MAX_OPTIONS ||
		options.some((o) => o.title.length < 1 || o.title.length > 100 || o.titleEn.length > 200) ||
		new Set(options.map((o) => o.title)).size !== options.length;
	if (invalid) throw new DomainError('invalid', 'ballots.choiceQuestionInvalid');
	const words = [title, input.choiceTitleEn ?? '', ...lines].join(' ');
	const specialMatter = (input.specialMatter ?? false) || namesSpecialMatter(words);
	return {
		title,
		titleEn: input.choiceTitleEn ?? '',
		rule: ruleFor(input.choiceRule ?? 'plurality', specialMatter),
		specialMatter,
		options,
	};
}

/**
 * The rule stored on each option's round item. Options are tallied like yes/no items, so a
 * Civil Code question keeps its rule per option (the recount then checks every option's
 * thresholds); under plurality the question decides among the options and each option's own
 * rule is the plain majority, which no result shows.
 */
const optionRule = (rule: ChoiceRuleKind): RuleKind =>
	rule === 'plurality' ? 'simple_majority' : rule;

async function checkScopeBuilding(db: Db, projectId: number, buildingId: number) {
	const [row] = await db
		.select({ id: buildings.id })
		.from(buildings)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, buildings.compoundId))
		.where(and(eq(buildings.id, buildingId), eq(projectCompounds.projectId, projectId)));
	if (!row) throw new DomainError('invalid', 'ballots.scopeBuildingInvalid');
}

function parseWindow(input: CreateRoundInput) {
	const opensAt = parseChinaTime(input.opensAt);
	const closesAt = parseChinaTime(input.closesAt);
	if (closesAt.getTime() <= opensAt.getTime()) {
		throw new DomainError('invalid', 'ballots.windowInvalid');
	}
	return { opensAt, closesAt };
}

/**
 * Creates a round (a draft: nothing is frozen and nobody can vote until it is opened) with its
 * items: menu items for a needs questionnaire, the plan version's items for an opinion round,
 * typed questions and/or menu items for a special decision. Special decisions and any round
 * deciding by the Civil Code are consent rounds (owners and authorised members only). Committee
 * staff of the project's community. Errors: forbidden, not_found, invalid.
 */
export async function createRound(
	db: Db,
	actor: Actor | null,
	input: CreateRoundInput,
): Promise<{ roundId: number }> {
	const [project] = await db
		.select({ id: projects.id, communityId: projects.communityId })
		.from(projects)
		.where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'round.manage', project.communityId);
	const { opensAt, closesAt } = parseWindow(input);
	const scopeBuildingId = input.scopeBuildingId ?? null;
	if (scopeBuildingId !== null) await checkScopeBuilding(db, project.id, scopeBuildingId);
	const items =
		input.kind === 'plan_opinion'
			? await planVersionItems(db, project.id, input.planVersionId!, input.rule)
			: [
					...(await menuItems(db, input.itemIds, input.rule, scopeBuildingId)),
					...(input.kind === 'special'
						? questionItems(
								input.questions,
								input.rule,
								input.specialMatter ?? false,
								scopeBuildingId,
							)
						: []),
				];
	const question = choiceQuestion(input);
	if (items.length === 0 && !question) throw new DomainError('invalid', 'ballots.itemsRequired');
	const designs =
		input.kind === 'plan_opinion' ? await alternativeQuestions(db, input.planVersionId!) : [];
	// Owners decide what art. 278 counts: every special decision, and any round where an item
	// is counted by the Civil Code (needs questionnaires stay open to every member).
	const civilCode =
		input.rule !== 'simple_majority' ||
		(input.kind !== 'needs' && items.some((i) => i.specialMatter));
	const consent = input.kind === 'special' || civilCode;
	const percent = input.targetPercent;
	return db.transaction(async (tx) => {
		const [round] = await tx
			.insert(rounds)
			.values({
				projectId: project.id,
				kind: input.kind,
				planVersionId: input.kind === 'plan_opinion' ? input.planVersionId! : null,
				title: input.title,
				titleEn: input.titleEn,
				description: input.description,
				descriptionEn: input.descriptionEn,
				scopeBuildingId,
				consent,
				talliesPublic: input.talliesPublic,
				doubleEntry: input.doubleEntry ?? false,
				targetNum: percent === undefined ? 2 : percent,
				targetDen: percent === undefined ? 3 : 100,
				opensAt,
				closesAt,
				createdBy: staff.userId,
			})
			.returning({ id: rounds.id });
		if (items.length > 0) {
			await tx.insert(roundItems).values(
				items.map((item, sort) => ({
					...item,
					roundId: round!.id,
					decisionScope: input.decisionScope,
					sort,
				})),
			);
		}
		if (question) {
			const [row] = await tx
				.insert(roundChoiceQuestions)
				.values({
					roundId: round!.id,
					title: question.title,
					titleEn: question.titleEn,
					rule: question.rule,
					specialMatter: question.specialMatter,
					decisionScope: input.decisionScope,
					buildingId: scopeBuildingId,
				})
				.returning({ id: roundChoiceQuestions.id });
			await tx.insert(roundItems).values(
				question.options.map((option, n) => ({
					roundId: round!.id,
					itemId: null,
					planItemId: null,
					buildingId: scopeBuildingId,
					title: option.title,
					titleEn: option.titleEn,
					rule: optionRule(question.rule),
					specialMatter: question.specialMatter,
					decisionScope: input.decisionScope,
					questionId: row!.id,
					sort: items.length + n,
				})),
			);
		}
		// 多方案比选: one plurality question per item with alternative designs (ballots/alternatives.ts).
		let sort = items.length + (question?.options.length ?? 0);
		for (const design of designs) {
			const [row] = await tx
				.insert(roundChoiceQuestions)
				.values({
					roundId: round!.id,
					title: design.title,
					titleEn: design.titleEn,
					rule: 'plurality',
					decisionScope: design.buildingId === null ? 'compound' : 'building',
					buildingId: design.buildingId,
					sort,
				})
				.returning({ id: roundChoiceQuestions.id });
			await tx.insert(roundItems).values(
				design.options.map((option) => ({
					roundId: round!.id,
					itemId: null,
					planItemId: null,
					buildingId: design.buildingId,
					title: option.title,
					titleEn: option.titleEn,
					rule: 'simple_majority' as const,
					decisionScope: design.buildingId === null ? ('compound' as const) : ('building' as const),
					questionId: row!.id,
					alternativeId: option.alternativeId,
					sort: sort++,
				})),
			);
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'round.created',
			targetType: 'round',
			targetId: round!.id,
			communityId: project.communityId,
			details: {
				projectId: project.id,
				kind: input.kind,
				items: items.length,
				consent,
				doubleEntry: input.doubleEntry ?? false,
				...(question ? { options: question.options.length, choiceRule: question.rule } : {}),
			},
		});
		return { roundId: round!.id };
	});
}

/** Freezes the households in scope (current, not retired) with each owner's flat count. */
async function freezeScope(tx: Tx, roundId: number): Promise<number> {
	const rows = await queryRows<{ n: number }>(
		tx,
		sql`with inserted as (
			insert into round_households
				(round_id, household_id, compound_id, building_id, unit_id, area_centi, owner_key, owner_units)
			select r.id, h.id, h.compound_id, h.building_id, h.unit_id, (h.area_m2 * 100)::bigint,
			       h.owner_key, count(*) over (partition by h.owner_key)
			from rounds r
			join project_compounds pc on pc.project_id = r.project_id
			join households h on h.compound_id = pc.compound_id
			where r.id = ${roundId} and h.retired_at is null
			  and (r.scope_building_id is null or h.building_id = r.scope_building_id)
			returning 1)
		select count(*)::int as n from inserted`,
	);
	return rows[0]?.n ?? 0;
}

const scopeColumn = { compound: 'compound_id', building: 'building_id', unit: 'unit_id' } as const;

/** One tally row per item and scope with the scope's frozen totals (counts at 0), and coverage rows. */
async function createTallyRows(tx: Tx, roundId: number): Promise<void> {
	for (const level of ['compound', 'building', 'unit'] as const) {
		const column = sql.raw(`h.${scopeColumn[level]}`);
		const onlyUnitItems = level === 'unit' ? sql`and i.decision_scope = 'unit'` : sql``;
		await tx.execute(sql`
			insert into round_tallies (round_id, round_item_id, level, scope_id, households, area_centi, heads)
			select i.round_id, i.id, ${level}, ${column}, count(*), sum(h.area_centi), count(distinct h.owner_key)
			from round_items i
			join round_households h on h.round_id = i.round_id
			     and (i.building_id is null or h.building_id = i.building_id)
			where i.round_id = ${roundId} ${onlyUnitItems}
			group by i.round_id, i.id, ${column}`);
		if (level === 'unit') continue;
		await tx.execute(sql`
			insert into round_coverage (round_id, level, scope_id, households)
			select ${roundId}, ${level}, ${column}, count(*)
			from round_households h where h.round_id = ${roundId}
			group by ${column}`);
	}
}

/**
 * Opens a draft round: freezes its households (so later changes to the tree cannot move a
 * result) and creates its tally and coverage rows. Ballots are taken from `opensAt` on. The
 * households' bound members are notified once the round is open: now when `opensAt` has
 * passed, else by a job at `opensAt` (announce.ts; exactly once either way). Committee staff
 * only. Errors: forbidden, not_found, conflict (already opened), invalid (no households in
 * scope, or an item whose building has none).
 */
export async function openRound(
	db: Db,
	actor: Actor | null,
	roundId: number,
): Promise<{ households: number }> {
	const round = await loadRound(db, roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'round.manage', round.communityId);
	return db.transaction(async (tx) => {
		const [locked] = await tx
			.select({ openedAt: rounds.openedAt })
			.from(rounds)
			.where(eq(rounds.id, roundId))
			.for('update');
		if (locked?.openedAt) throw new DomainError('conflict', 'ballots.alreadyOpened');
		const households = await freezeScope(tx, roundId);
		if (households === 0) throw new DomainError('invalid', 'ballots.emptyScope');
		await createTallyRows(tx, roundId);
		const [orphan] = await queryRows<{ id: number }>(
			tx,
			sql`select i.id from round_items i where i.round_id = ${roundId} and not exists
			    (select 1 from round_tallies t where t.round_item_id = i.id) limit 1`,
		);
		if (orphan) throw new DomainError('invalid', 'ballots.itemOutsideScope');
		await tx.execute(sql`insert into round_versions (round_id, version) values (${roundId}, 0)`);
		await tx
			.update(rounds)
			.set({ openedAt: sql`now()` })
			.where(eq(rounds.id, roundId));
		const announced = await announceRoundOpening(tx, round);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'round.opened',
			targetType: 'round',
			targetId: roundId,
			communityId: round.communityId,
			details: { households, ...announced },
		});
		return { households };
	});
}

/**
 * Closes an open round now (ahead of its closing time), once staff confirmed it on the
 * confirmation page. Takes the round's window lock alone, which every ballot transaction
 * shares, so no ballot is accepted after this commits; the coverage read under that lock is
 * final. Below the coverage target a written reason is required: it is stored with the round
 * (shown with its results) and in the audit entry. Committee staff only.
 * Errors: forbidden, not_found, closed (not open: a draft, scheduled or already closed),
 * invalid (not confirmed, or below target without a reason).
 */
export async function closeRound(
	db: Db,
	actor: Actor | null,
	roundId: number,
	confirmation: Confirmation,
): Promise<{ responded: number; households: number; belowTarget: boolean }> {
	const round = await loadRound(db, roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'round.manage', round.communityId);
	requireConfirmed(confirmation);
	return db.transaction(async (tx) => {
		const window = await lockRoundWindow(tx, roundId, 'update');
		const phase = window ? roundPhase(window, window.now) : 'draft';
		if (phase !== 'open') throw new DomainError('closed', 'ballots.notOpen');
		const coverage = await getCoverage(tx, round);
		const belowTarget = !coverage.met;
		const reason = earlyCloseReason(confirmation, belowTarget);
		await tx.execute(
			sql`update rounds set closes_at = clock_timestamp(), early_close_reason = ${belowTarget ? reason : ''}
			    where id = ${roundId}`,
		);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'round.closed',
			targetType: 'round',
			targetId: roundId,
			communityId: round.communityId,
			details: {
				early: true,
				responded: coverage.responded,
				households: coverage.households,
				belowTarget,
				...(reason ? { reason } : {}),
			},
		});
		return { responded: coverage.responded, households: coverage.households, belowTarget };
	});
}

/**
 * Turns double entry of paper forms (双人录入) on or off while the round is a draft: once it is
 * opened, how its paper forms count is fixed. Committee staff only. Errors: forbidden,
 * not_found, conflict (already opened).
 */
export async function setDoubleEntry(
	db: Db,
	actor: Actor | null,
	input: { roundId: number; doubleEntry: boolean },
): Promise<void> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'round.manage', round.communityId);
	await db.transaction(async (tx) => {
		const [locked] = await tx
			.select({ openedAt: rounds.openedAt })
			.from(rounds)
			.where(eq(rounds.id, round.id))
			.for('update');
		if (locked?.openedAt) throw new DomainError('conflict', 'ballots.alreadyOpened');
		await tx.update(rounds).set({ doubleEntry: input.doubleEntry }).where(eq(rounds.id, round.id));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'round.updated',
			targetType: 'round',
			targetId: round.id,
			communityId: round.communityId,
			details: { doubleEntry: input.doubleEntry },
		});
	});
}
