import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../../../db/schema/ballots.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import { closeRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { resultsRows } from '../../../src/lib/server/ballots/export.ts';
import { toCsv } from '../../../src/lib/server/shared/csv.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { propertyManagementPreset } from '../../../src/lib/server/ballots/presets.ts';
import { getHouseholdBallot } from '../../../src/lib/server/ballots/queries/household-ballot.ts';
import {
	getLiveResults,
	getPublishedResults,
} from '../../../src/lib/server/ballots/queries/results.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { RoundInfo } from '../../../src/lib/server/ballots/types.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	createMember,
	createOpenRound,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

describe.each(drivers)(
	'the property-management model as a single-choice question on %s',
	(driver) => {
		let t: TestDatabase;
		let moderator: StaffActor;
		let dujuan: number;
		let households: Households;
		const owners = new Map<number, ResidentActor>();

		beforeAll(async () => {
			t = await createTestDatabase(driver, { seed: true });
			({ moderator, dujuan, households } = await setUpDujuan(t.db));
		});
		afterAll(async () => t?.close());

		const owner = async (householdId: number) => {
			let actor = owners.get(householdId);
			if (!actor) {
				actor = await createMember(t.db, moderator, householdId, 'owner');
				owners.set(householdId, actor);
			}
			return actor;
		};

		const propertyRound = (overrides: Record<string, unknown> = {}) =>
			createOpenRound(t.db, moderator, {
				projectId: dujuan,
				...propertyManagementPreset,
				itemIds: [],
				questions: '',
				rule: 'civil_code_majority',
				decisionScope: 'compound',
				...overrides,
			} as never);

		const vote = async (round: RoundInfo, householdId: number, option: number | 'abstain') => {
			const question = round.questions[0]!;
			return castBallot(t.db, await owner(householdId), {
				roundId: round.id,
				householdId,
				choices: Object.fromEntries(
					round.items
						.filter((i) => i.questionId === null)
						.map((i) => [String(i.id), 'agree' as const]),
				),
				options: {
					[question.id]: option === 'abstain' ? 'abstain' : String(question.optionIds[option]),
				},
				comment: '',
			});
		};

		it('creates one question with its options as round items, decided by the chosen rule', async () => {
			const roundId = await propertyRound({ questions: '同意小区引入物业管理' });
			const round = (await loadRound(t.db, roundId))!;
			expect(round.kind).toBe('special');
			expect(round.consent).toBe(true);
			expect(round.questions).toHaveLength(1);
			const question = round.questions[0]!;
			expect(question).toMatchObject({ rule: 'plurality', decisionScope: 'compound' });
			const options = round.items.filter((i) => i.questionId === question.id);
			expect(options.map((o) => o.title)).toEqual(['物业服务企业', '居民自治', '社区托管']);
			expect(options.map((o) => o.titleEn)).toEqual([
				'A property-service company',
				"Residents' self-management",
				'Managed by the community',
			]);
			expect(question.optionIds).toEqual(options.map((o) => o.id));
			// The yes/no question typed beside it stays a yes/no item.
			expect(round.items.filter((i) => i.questionId === null).map((i) => i.title)).toEqual([
				'同意小区引入物业管理',
			]);
		});

		it.each([
			{ name: 'one option', input: { choiceOptions: '居民自治' } },
			{
				name: 'eleven options',
				input: { choiceOptions: Array.from({ length: 11 }, (_, i) => `方案${i}`).join('\n') },
			},
			{ name: 'the same option twice', input: { choiceOptions: '居民自治\n居民自治' } },
			{ name: 'options without a title', input: { choiceTitle: '' } },
			{ name: 'a question in a needs questionnaire', input: { kind: 'needs' } },
		])('refuses $name', async ({ input }) => {
			const error = await reject(propertyRound(input));
			expect(error).toMatchObject({ code: 'invalid', messageKey: 'ballots.choiceQuestionInvalid' });
		});

		it('takes one answer per household and tallies each option; 7 households decide nothing', async () => {
			const round = (await loadRound(t.db, await propertyRound()))!;
			const question = round.questions[0]!;
			// 物业服务企业 3, 居民自治 2, 社区托管 1, one abstention.
			const answers: (number | 'abstain')[] = [0, 0, 0, 1, 1, 2, 'abstain'];
			for (const [n, answer] of answers.entries()) await vote(round, households[n]!.id, answer);
			// A revision moves the household from one option to another.
			await vote(round, households[6]!.id, 1);
			await vote(round, households[6]!.id, 'abstain');
			const member = await owner(households[8]!.id);
			const base = { roundId: round.id, householdId: households[8]!.id, choices: {}, comment: '' };
			expect((await reject(castBallot(t.db, member, base))).messageKey).toBe(
				'ballots.choiceMissing',
			);
			expect(
				(await reject(castBallot(t.db, member, { ...base, options: { [question.id]: '1' } })))
					.messageKey,
			).toBe('ballots.choiceInvalid');
			expect(
				(
					await reject(
						castBallot(t.db, member, {
							...base,
							choices: { [question.optionIds[0]!]: 'agree' },
							options: { [question.id]: String(question.optionIds[0]) },
						}),
					)
				).messageKey,
			).toBe('ballots.choiceInvalid');
			const [stored] = await t.db
				.select()
				.from(b.ballots)
				.where(eq(b.ballots.householdId, households[0]!.id));
			expect(Object.values(stored!.choices).sort()).toEqual(['agree', 'disagree', 'disagree']);
			const view = await getHouseholdBallot(
				t.db,
				await owner(households[3]!.id),
				round.id,
				households[3]!.id,
			);
			expect(view!.choices[String(question.optionIds[1])]).toBe('agree');

			const results = await getLiveResults(t.db, round);
			expect(results.items).toEqual([]);
			const [compound] = results.questions![0]!.decisions;
			// 7 of the compound's households answered: under two thirds, no option is chosen.
			expect(compound).toMatchObject({
				responded: 7,
				abstain: 1,
				outcome: 'not_quorate',
				winner: null,
			});
			expect(compound!.options.map((o) => o.count)).toEqual([3, 2, 1]);
			expect(results.questions![0]!.buildings.length).toBeGreaterThan(0);
			expect((await verifyRound(t.db, round)).problems).toEqual([]);

			// Published: the snapshot keeps the question; the open data has a row per option.
			await closeRound(t.db, moderator, round.id, CONFIRMED);
			await publishResults(t.db, moderator, { roundId: round.id, note: '', confirm: true });
			const published = await getPublishedResults(t.db, round.id);
			expect(published!.view.questions![0]!.decisions[0]!.outcome).toBe('not_quorate');
			const verification = await verifyRound(t.db, round);
			expect(verification.problems).toEqual([]);
			expect(verification.published).toMatchObject({ matches: true });
			const csv = toCsv(resultsRows(published!.view, 'zh-CN'));
			expect(csv).toContain('改造完成后，本小区采用哪种物业管理模式？：物业服务企业');
			const lines = csv.trim().split('\r\n');
			expect(lines.filter((l) => l.includes('物业管理模式？：'))).toHaveLength(
				3 * (1 + published!.view.questions![0]!.buildings.length),
			);
		});

		it('under the Civil Code, an option passes only with two-thirds taking part and more than half', async () => {
			const round = (await loadRound(
				t.db,
				await propertyRound({ choiceRule: 'civil_code_majority', decisionScope: 'building' }),
			))!;
			const building = households[0]!.buildingId;
			const flats = households.filter((h) => h.buildingId === building);
			expect(new Set(flats.map((h) => h.ownerKey)).size).toBeGreaterThan(2);
			// Everybody in the building answers: all choose 居民自治 but one, who picks 社区托管.
			for (const [n, h] of flats.entries()) await vote(round, h.id, n === 0 ? 2 : 1);
			const results = await getLiveResults(t.db, round);
			const decision = results.questions![0]!.decisions.find((d) => d.scopeId === building)!;
			expect(decision).toMatchObject({
				outcome: 'chosen',
				winner: round.questions[0]!.optionIds[1],
			});
			const chosen = decision.options[1]!;
			expect(chosen.checks!.map((c) => c.name)).toEqual([
				'participation_area',
				'participation_heads',
				'approval_area',
				'approval_heads',
			]);
			expect(decision.options[2]!.verdict).toBe('rejected');
			// Another building where nobody answered: not quorate.
			const silent = results.questions![0]!.decisions.find((d) => d.scopeId !== building);
			if (silent) expect(silent.outcome).toBe('not_quorate');
			expect((await verifyRound(t.db, round)).problems).toEqual([]);
		});
	},
);
