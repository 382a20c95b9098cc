import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { getLiveResults } from '../../../src/lib/server/ballots/index.ts';
import { addAlternative, removeAlternative } from '../../../src/lib/server/plans/alternatives.ts';
import { createPlanVersion, publishPlanVersion } from '../../../src/lib/server/plans/index.ts';
import { getPlanVersionView } from '../../../src/lib/server/plans/queries.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createMember, createOpenRound, projectId } from '../../factories/ballots.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};

describe.each(drivers)('多方案比选 on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('offers up to three designs, residents choose one per household, and the next draft keeps the choice', async () => {
		const project = await projectId(t.db, 'chonggui');
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project] });
		const places = await demoPlaces(t.db, '崇桂社区');
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [places.communityId],
		});
		const draft = await createPlanVersion(t.db, officer, project);
		const [item] = await t.db
			.select({ id: s.planItems.id })
			.from(s.planItems)
			.where(and(eq(s.planItems.planVersionId, draft.id)))
			.orderBy(s.planItems.id)
			.limit(1);
		const add = (label: string, costYuan: string) =>
			addAlternative(t.db, officer, {
				versionId: draft.id,
				planItemId: item!.id,
				label,
				labelEn: '',
				description: `<script>alert(1)</script>${label}`,
				descriptionEn: '',
				costYuan,
			});
		const a = await add('方案一：钢结构', '150000');
		const b = await add('方案二：膜结构', '180000.50');
		const c = await add('方案三', '1');
		expect((await reject(add('方案四', '1'))).messageKey).toBe('alternatives.tooMany');
		await removeAlternative(t.db, officer, { versionId: draft.id, alternativeId: c.id });
		const stranger = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		expect(
			(
				await reject(
					removeAlternative(t.db, stranger, { versionId: draft.id, alternativeId: a.id }),
				)
			).code,
		).toBe('not_found');
		const now = Date.now();
		await publishPlanVersion(t.db, officer, {
			versionId: draft.id,
			opensAt: new Date(now),
			closesAt: new Date(now + 7 * 86_400_000),
			final: false,
		});
		const shown = (await getPlanVersionView(t.db, {
			slug: 'chonggui',
			number: draft.number,
			viewer: null,
		}))!.items.find((i) => i.id === item!.id)!;
		expect(shown.alternatives.map((x) => [x.label, x.costYuan])).toEqual([
			['方案一：钢结构', '150000.00'],
			['方案二：膜结构', '180000.50'],
		]);

		// The opinion round on the version asks each household to choose one design.
		const roundId = await createOpenRound(t.db, committee, {
			projectId: project,
			kind: 'plan_opinion',
			planVersionId: draft.id,
			itemIds: [],
			scopeBuildingId: places.buildingId,
		});
		const round = (await loadRound(t.db, roundId))!;
		// One question per item with designs: this item's, then the demo's charging points (its
		// designs were carried into the new draft, the demo round on them being still open).
		expect(round.questions.map((q) => q.title)).toEqual([
			'屋面渗漏修缮：方案比选',
			'充电设施：方案比选',
		]);
		const question = round.questions[0]!;
		const options = await t.db
			.select({ id: s.roundItems.id, alternativeId: s.roundItems.alternativeId })
			.from(s.roundItems)
			.where(eq(s.roundItems.questionId, question.id))
			.orderBy(s.roundItems.sort);
		expect(options.map((o) => o.alternativeId)).toEqual([a.id, b.id]);
		const scope = await t.db
			.select({ id: s.roundHouseholds.householdId })
			.from(s.roundHouseholds)
			.where(eq(s.roundHouseholds.roundId, roundId))
			.orderBy(s.roundHouseholds.householdId);
		const plain = round.items.filter((i) => i.questionId === null);
		// Every household answers; 2 of 3 choose design two, the rest design one.
		for (const [n, household] of scope.entries()) {
			const member = await createMember(t.db, committee, household.id);
			await castBallot(t.db, member, {
				roundId,
				householdId: household.id,
				choices: Object.fromEntries(plain.map((i) => [String(i.id), 'agree' as const])),
				options: {
					[String(question.id)]: String(n % 3 === 0 ? options[0]!.id : options[1]!.id),
					[String(round.questions[1]!.id)]: String(round.questions[1]!.optionIds[0]),
				},
				overall: 'agree',
				comment: '',
			});
		}
		const results = await getLiveResults(t.db, round);
		expect(results.questions![0]!.decisions[0]!.winner).toBe(options[1]!.id);
		// The round closes; the next draft keeps design two only, marked as the residents' choice.
		await t.db
			.update(s.rounds)
			.set({ closesAt: new Date(Date.now() - 1000) })
			.where(eq(s.rounds.id, roundId));
		const next = await createPlanVersion(t.db, officer, project);
		const carried = (await getPlanVersionView(t.db, {
			slug: 'chonggui',
			number: next.number,
			viewer: null,
			drafts: true,
		}))!.items.find((i) => i.alternatives.length > 0)!;
		expect(carried.alternatives.map((x) => [x.label, x.chosen])).toEqual([
			['方案二：膜结构', true],
		]);
	});
});
