import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { deleteMyAccount, exportMyData } from '../../../src/lib/server/account/commands.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { enterPaperForm } from '../../../src/lib/server/ballots/commands/paper.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { getLiveResultsUncached } from '../../../src/lib/server/ballots/queries/results.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	buildPaperPhoto,
	createMember,
	createOpenRound,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)("ballots in a resident's personal data on %s", (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: number;
	let households: Households;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
	});
	afterAll(async () => t?.close());

	it('exports the revisions the resident cast; deleting the account detaches them and keeps every tally', async () => {
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯 | Elevator',
			choiceTitle: '物业管理模式',
			choiceTitleEn: 'Management model',
			choiceOptions: '物业服务企业 | Company\n居民自治 | Self-management',
			rule: 'civil_code_three_quarters',
			decisionScope: 'building',
		});
		const round = (await loadRound(t.db, roundId))!;
		const [elevator] = round.items;
		const question = round.questions[0]!;
		const household = households[0]!;
		const me = await createMember(t.db, moderator, household.id, 'owner');
		const spouse = await createMember(t.db, moderator, household.id, 'owner');
		await castBallot(t.db, me, {
			roundId,
			householdId: household.id,
			choices: { [elevator!.id]: 'agree' },
			options: { [question.id]: String(question.optionIds[1]) },
			comment: '希望加装电梯',
		});
		await castBallot(t.db, spouse, {
			roundId,
			householdId: household.id,
			choices: { [elevator!.id]: 'disagree' },
			options: { [question.id]: 'abstain' },
			comment: '',
		});
		await castBallot(t.db, me, {
			roundId,
			householdId: household.id,
			choices: { [elevator!.id]: 'agree' },
			options: { [question.id]: String(question.optionIds[0]) },
			comment: '',
		});
		// A paper form staff entered for a neighbour is not the resident's.
		await enterPaperForm(t.db, moderator, {
			roundId,
			householdId: households[1]!.id,
			choices: { [elevator!.id]: 'agree' },
			options: { [question.id]: 'abstain' },
			comment: '',
			filledAt: toChinaLocalInput(new Date(Date.now() - 60_000)),
			photo: await buildPaperPhoto(1),
		});

		const exported = await exportMyData(t.db, me);
		expect(exported.ballotRevisions).toHaveLength(2);
		const [first, last] = exported.ballotRevisions;
		expect(first).toMatchObject({
			round: { id: roundId, kind: 'special' },
			household: { room: expect.any(String) },
			revision: 1,
			channel: 'online',
			counted: true,
			comment: '希望加装电梯',
			answers: [
				{ item: '加装电梯', itemEn: 'Elevator', answer: 'agree', option: null },
				{ item: '物业管理模式', itemEn: 'Management model', answer: null, option: '居民自治' },
			],
		});
		expect(Date.parse(first!.castAt)).not.toBeNaN();
		expect(last).toMatchObject({
			revision: 3,
			answers: [{ answer: 'agree' }, { option: '物业服务企业' }],
		});
		expect(JSON.stringify(exported)).not.toContain(spouse.userId);

		const before = await getLiveResultsUncached(t.db, round);
		await deleteMyAccount(t.db, me);
		const [left] = await queryRows<{ mine: number; all: number; ballots: number }>(
			t.db,
			sql`select (select count(*)::int from ballot_revisions where cast_by = ${me.userId}) as mine,
			           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as all,
			           (select count(*)::int from ballots where round_id = ${roundId} and cast_by is null) as ballots`,
		);
		// The revisions stay (4: three online, one paper), none names the deleted resident; the
		// household's current ballot (last cast by them) names nobody now.
		expect(left).toEqual({ mine: 0, all: 4, ballots: 2 });
		const after = await getLiveResultsUncached(t.db, round);
		expect({ ...after, asOf: '' }).toEqual({ ...before, asOf: '' });
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		// The spouse's own revision still names them.
		expect((await exportMyData(t.db, spouse)).ballotRevisions).toHaveLength(1);
	});
});
