import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as b from '../../../db/schema/ballots.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { castBallot, enterPaperBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import {
	enterPaperForm,
	resolvePaperEntry,
} from '../../../src/lib/server/ballots/commands/paper.ts';
import { closeRound, setDoubleEntry } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { getOpenEntry, listOpenEntries } from '../../../src/lib/server/ballots/entry-queries.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import {
	listNotResponded,
	listScopeHouseholds,
} from '../../../src/lib/server/ballots/queries/follow-up.ts';
import { getHouseholdBallot } from '../../../src/lib/server/ballots/queries/household-ballot.ts';
import {
	getCoverage,
	getLiveResults,
	getUnitCoverage,
} from '../../../src/lib/server/ballots/queries/results.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	allChoices,
	buildPaperPhoto,
	createMember,
	createModerator,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

/** Everything the running totals and entries hold for a round, to prove a refusal wrote nothing. */
const snapshot = async (t: TestDatabase, roundId: number) =>
	queryRows(
		t.db,
		sql`select (select count(*)::int from ballots where round_id = ${roundId}) as ballots,
		           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions,
		           (select count(*)::int from paper_entries where round_id = ${roundId}) as entries,
		           (select coalesce(sum(agree + disagree + abstain + heads_participating), 0)::int from round_tallies where round_id = ${roundId}) as tallied,
		           (select coalesce(sum(responded), 0)::int from round_coverage where round_id = ${roundId}) as responded,
		           (select sum(version)::int from round_versions where round_id = ${roundId}) as version`,
	);

describe.each(drivers)('double entry of paper forms on %s', (driver) => {
	let t: TestDatabase;
	let first: StaffActor;
	let second: StaffActor;
	let other: StaffActor;
	let dujuan: number;
	let households: Households;
	let items: number[];
	const filled = () => toChinaLocalInput(new Date(Date.now() - 600_000));

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator: first, dujuan, households } = await setUpDujuan(t.db));
		second = await createModerator(t.db, '梅岭社区');
		other = await createModerator(t.db, '江滨社区');
		items = await menuItemIds(t.db, 3);
	});
	afterAll(async () => t?.close());

	const doubleEntryRound = () =>
		createOpenRound(t.db, first, { projectId: dujuan, itemIds: items, doubleEntry: true });

	it('is set when the round is created or while it is a draft, never once it is opened', async () => {
		const draft = await createOpenRound(
			t.db,
			first,
			{ projectId: dujuan, itemIds: items },
			{ open: false },
		);
		expect((await loadRound(t.db, draft))!.doubleEntry).toBe(false);
		await setDoubleEntry(t.db, first, { roundId: draft, doubleEntry: true });
		expect((await loadRound(t.db, draft))!.doubleEntry).toBe(true);
		expect(
			(await reject(setDoubleEntry(t.db, other, { roundId: draft, doubleEntry: false }))).code,
		).toBe('not_found');
		expect(
			(
				await reject(
					setDoubleEntry(t.db, await createResident(t.db), { roundId: draft, doubleEntry: false }),
				)
			).code,
		).toBe('forbidden');
		const opened = await doubleEntryRound();
		expect((await loadRound(t.db, opened))!.doubleEntry).toBe(true);
		const refused = await reject(
			setDoubleEntry(t.db, first, { roundId: opened, doubleEntry: false }),
		);
		expect(refused).toMatchObject({ code: 'conflict', messageKey: 'ballots.alreadyOpened' });
	});

	it('counts a form only once a second, different member entered it the same; both are recorded', async () => {
		const roundId = await doubleEntryRound();
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => i.id);
		const household = households[0]!;
		const form = {
			roundId,
			householdId: household.id,
			choices: { ...allChoices(ids, 'agree'), [ids[2]!]: 'abstain' as const },
			comment: '老人不会用手机，入户填写',
			filledAt: filled(),
		};
		// The one-step paper command refuses a double-entry round.
		const oneStep = await reject(
			enterPaperBallot(t.db, first, { ...form, photo: await buildPaperPhoto(1) }),
		);
		expect(oneStep).toMatchObject({ code: 'conflict', messageKey: 'ballots.doubleEntryRequired' });
		// A first entry needs the photo.
		expect((await reject(enterPaperForm(t.db, first, form))).messageKey).toBe(
			'ballots.photoRequired',
		);
		const entered = await enterPaperForm(t.db, first, { ...form, photo: await buildPaperPhoto(1) });
		expect(entered.state).toBe('awaiting');
		const entryId = entered.state === 'awaiting' ? entered.entryId : 0;
		// Awaiting: no ballot, nothing tallied, no coverage, still to visit (marked).
		const before = await snapshot(t, roundId);
		expect(before[0]).toMatchObject({
			ballots: 0,
			revisions: 0,
			entries: 1,
			tallied: 0,
			responded: 0,
		});
		expect((await getCoverage(t.db, round)).responded).toBe(0);
		const visit = (await listNotResponded(t.db, first, round)).find(
			(v) => v.householdId === household.id,
		);
		expect(visit).toMatchObject({ paperPending: true });
		expect(
			(await listScopeHouseholds(t.db, first, round)).find((h) => h.householdId === household.id),
		).toMatchObject({ voted: false, entry: 'awaiting' });
		expect(await getOpenEntry(t.db, first, round, household.id)).toMatchObject({
			id: entryId,
			state: 'awaiting',
			mine: true,
		});
		// The open entry list shows who and when, not what the first entry says (blind entry).
		const [awaiting] = await listOpenEntries(t.db, second, round);
		expect(awaiting).toMatchObject({ householdId: household.id, state: 'awaiting' });
		expect(awaiting!.entries[0]).toMatchObject({ answers: [], comment: '', mine: false });
		// A second first entry, the author confirming, strangers: refused, nothing written.
		expect(
			(await reject(enterPaperForm(t.db, second, { ...form, photo: await buildPaperPhoto(2) })))
				.messageKey,
		).toBe('ballots.entryExists');
		const own = await reject(enterPaperForm(t.db, first, { ...form, confirms: entryId }));
		expect(own).toMatchObject({ code: 'forbidden', messageKey: 'ballots.confirmOwnEntry' });
		expect((await reject(enterPaperForm(t.db, other, { ...form, confirms: entryId }))).code).toBe(
			'not_found',
		);
		const member = await createMember(t.db, first, households[1]!.id, 'owner');
		expect((await reject(enterPaperForm(t.db, member, { ...form, confirms: entryId }))).code).toBe(
			'forbidden',
		);
		expect(await snapshot(t, roundId)).toEqual(before);
		// The second member enters the same form (spacing of the comment aside, no photo): counts.
		const confirmed = await enterPaperForm(t.db, second, {
			...form,
			comment: '  老人不会用手机， 入户填写 '.replace('， ', '，'),
			confirms: entryId,
		});
		expect(confirmed).toMatchObject({
			state: 'counted',
			revision: 1,
			counted: true,
			conflict: false,
		});
		const [revision] = await t.db
			.select()
			.from(b.ballotRevisions)
			.where(eq(b.ballotRevisions.roundId, roundId));
		expect(revision).toMatchObject({
			channel: 'paper',
			enteredBy: first.userId,
			confirmedBy: second.userId,
			castBy: null,
			counted: true,
		});
		expect(revision!.photoImageId).toMatch(/^[0-9a-f]{64}$/);
		const entries = await t.db
			.select()
			.from(b.paperEntries)
			.where(eq(b.paperEntries.roundId, roundId))
			.orderBy(b.paperEntries.id);
		expect(entries.map((e) => [e.state, e.enteredBy, e.resolvedBy, e.ballotRevision])).toEqual([
			['confirmed', first.userId, second.userId, 1],
			['confirmed', second.userId, second.userId, 1],
		]);
		const results = await getLiveResults(t.db, round);
		expect(results.items[0]!.decisions[0]!.counts).toMatchObject({ agree: 1, responded: 1 });
		expect(results.items[2]!.decisions[0]!.counts).toMatchObject({ abstain: 1 });
		expect((await getCoverage(t.db, round)).responded).toBe(1);
		const unit = (await getUnitCoverage(t.db, round)).find((u) => u.scopeId === household.unitId);
		expect(unit).toMatchObject({ responded: 1, level: 'unit' });
		// The same entry cannot be confirmed twice.
		const again = await reject(enterPaperForm(t.db, first, { ...form, confirms: entryId }));
		expect(again).toMatchObject({ code: 'conflict', messageKey: 'ballots.entryNotOpen' });
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		const audit = await t.db
			.select({ action: s.auditLog.action })
			.from(s.auditLog)
			.where(sql`${s.auditLog.action} like 'ballot.paper%'`);
		expect(audit.map((a) => a.action)).toEqual(
			expect.arrayContaining(['ballot.paper_entry_awaiting', 'ballot.paper_confirmed']),
		);
	});

	it('shows both entries of a form that differ; a reviewer counts one (not its author) or discards both', async () => {
		const roundId = await doubleEntryRound();
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => i.id);
		const [h1, h2] = [households[2]!, households[3]!];
		const reviewer = await createStaffUser(t.db, { roles: ['admin'] });
		const form = (householdId: number, choice: 'agree' | 'disagree') => ({
			roundId,
			householdId,
			choices: allChoices(ids, choice),
			comment: '',
			filledAt: filled(),
		});
		const a = await enterPaperForm(t.db, first, {
			...form(h1.id, 'agree'),
			photo: await buildPaperPhoto(3),
		});
		const entryId = a.state === 'awaiting' ? a.entryId : 0;
		const differs = await enterPaperForm(t.db, second, {
			...form(h1.id, 'disagree'),
			confirms: entryId,
		});
		expect(differs).toEqual({ state: 'mismatch', entryId });
		expect((await snapshot(t, roundId))[0]).toMatchObject({ ballots: 0, tallied: 0, responded: 0 });
		const [review] = await listOpenEntries(t.db, reviewer, round);
		expect(review!.state).toBe('mismatch');
		expect(review!.entries.map((e) => e.answers[0]!.choice)).toEqual(['agree', 'disagree']);
		expect(review!.entries[0]!.photoUrl).toMatch(/^\/images\/[0-9a-f]{64}\.jpg$/);
		// While under review: no new entry, no confirmation; nobody counts their own entry.
		expect(
			(
				await reject(
					enterPaperForm(t.db, reviewer, {
						...form(h1.id, 'agree'),
						photo: await buildPaperPhoto(4),
					}),
				)
			).messageKey,
		).toBe('ballots.entryExists');
		expect(
			(await reject(enterPaperForm(t.db, reviewer, { ...form(h1.id, 'agree'), confirms: entryId })))
				.messageKey,
		).toBe('ballots.entryNotOpen');
		const secondId = review!.entries[1]!.id;
		expect(
			(
				await reject(
					resolvePaperEntry(t.db, second, { roundId, entryId: secondId, decision: 'accept' }),
				)
			).messageKey,
		).toBe('ballots.confirmOwnEntry');
		expect(
			(
				await reject(
					resolvePaperEntry(t.db, other, { roundId, entryId: secondId, decision: 'accept' }),
				)
			).code,
		).toBe('not_found');
		// The first member checks the photo and counts the second member's entry.
		const counted = await resolvePaperEntry(t.db, first, {
			roundId,
			entryId: secondId,
			decision: 'accept',
		});
		expect(counted).toMatchObject({ state: 'counted', revision: 1, counted: true });
		const [revision] = await t.db
			.select()
			.from(b.ballotRevisions)
			.where(and(eq(b.ballotRevisions.roundId, roundId), eq(b.ballotRevisions.householdId, h1.id)));
		expect(revision).toMatchObject({ enteredBy: second.userId, confirmedBy: first.userId });
		expect(revision!.choices).toEqual(allChoices(ids, 'disagree'));
		const states = await t.db
			.select({ state: b.paperEntries.state })
			.from(b.paperEntries)
			.where(eq(b.paperEntries.householdId, h1.id))
			.orderBy(b.paperEntries.id);
		expect(states.filter((x) => x.state !== 'confirmed' && x.state !== 'discarded')).toEqual([]);
		expect((await getLiveResults(t.db, round)).items[0]!.decisions[0]!.counts).toMatchObject({
			disagree: 1,
			agree: 0,
		});
		// Discarding both of another pair frees the household for a fresh first entry.
		const c = await enterPaperForm(t.db, first, {
			...form(h2.id, 'agree'),
			photo: await buildPaperPhoto(5),
		});
		const cId = c.state === 'awaiting' ? c.entryId : 0;
		await enterPaperForm(t.db, second, { ...form(h2.id, 'disagree'), confirms: cId });
		expect(
			await resolvePaperEntry(t.db, second, { roundId, entryId: cId, decision: 'discard' }),
		).toEqual({
			state: 'discarded',
			entryId: cId,
		});
		expect(await getOpenEntry(t.db, first, round, h2.id)).toBeNull();
		const fresh = await enterPaperForm(t.db, second, {
			...form(h2.id, 'agree'),
			photo: await buildPaperPhoto(6),
		});
		expect(fresh.state).toBe('awaiting');
		// Accepting an entry nobody entered a second time is refused; discarding it is allowed.
		const freshId = fresh.state === 'awaiting' ? fresh.entryId : 0;
		expect(
			(
				await reject(
					resolvePaperEntry(t.db, first, { roundId, entryId: freshId, decision: 'accept' }),
				)
			).messageKey,
		).toBe('ballots.entryNeedsSecond');
		await resolvePaperEntry(t.db, second, { roundId, entryId: freshId, decision: 'discard' });
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it("names who entered and who checked a paper form in the household's history, never a resident", async () => {
		const name = (staff: StaffActor, displayName: string) =>
			t.db.update(s.users).set({ displayName }).where(eq(s.users.id, staff.userId));
		await name(first, '张三<b>录</b>');
		await name(second, '李四');
		const household = households[4]!;
		const member = await createMember(t.db, first, household.id, 'owner');
		await t.db
			.update(s.users)
			.set({ displayName: '王五（住户）' })
			.where(eq(s.users.id, member.userId));
		const neighbour = await createMember(t.db, first, household.id, 'family');
		const form = (roundId: number, ids: number[]) => ({
			roundId,
			householdId: household.id,
			choices: allChoices(ids, 'agree'),
			comment: '',
			filledAt: filled(),
		});
		// Double entry: entered by the first member, confirmed by the second.
		const doubleId = await doubleEntryRound();
		const doubleIds = (await loadRound(t.db, doubleId))!.items.map((i) => i.id);
		const entered = await enterPaperForm(t.db, first, {
			...form(doubleId, doubleIds),
			photo: await buildPaperPhoto(7),
		});
		await enterPaperForm(t.db, second, {
			...form(doubleId, doubleIds),
			confirms: entered.state === 'awaiting' ? entered.entryId : 0,
		});
		// Then the resident answers online: a second revision, named as the household sees it.
		await castBallot(t.db, neighbour, {
			roundId: doubleId,
			householdId: household.id,
			comment: '',
			choices: allChoices(doubleIds, 'disagree'),
		});
		const doubled = await getHouseholdBallot(t.db, member, doubleId, household.id);
		expect(doubled!.revisions).toEqual([
			expect.objectContaining({
				revision: 2,
				channel: 'online',
				by: 'member',
				enteredByName: null,
				confirmedByName: null,
			}),
			expect.objectContaining({
				revision: 1,
				channel: 'paper',
				by: 'committee',
				enteredByName: '张三<b>录</b>',
				confirmedByName: '李四',
			}),
		]);
		expect(JSON.stringify(doubled)).not.toContain('王五');
		// Single entry: the one member who entered it.
		const singleId = await createOpenRound(t.db, first, { projectId: dujuan, itemIds: items });
		const singleIds = (await loadRound(t.db, singleId))!.items.map((i) => i.id);
		await enterPaperBallot(t.db, second, {
			...form(singleId, singleIds),
			photo: await buildPaperPhoto(8),
		});
		const single = await getHouseholdBallot(t.db, member, singleId, household.id);
		expect(single!.revisions).toEqual([
			expect.objectContaining({
				channel: 'paper',
				by: 'committee',
				enteredByName: '李四',
				confirmedByName: null,
			}),
		]);
	});

	it('keeps the running totals equal to a recount with double-entered, online and conflicting forms', async () => {
		const roundId = await createOpenRound(t.db, first, {
			projectId: dujuan,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯 | Elevator\n更换物业服务企业',
			choiceTitle: '物业管理模式',
			choiceOptions: '物业服务企业\n居民自治\n社区托管',
			choiceRule: 'civil_code_majority',
			rule: 'civil_code_three_quarters',
			decisionScope: 'unit',
			doubleEntry: true,
		});
		const round = (await loadRound(t.db, roundId))!;
		const plain = round.items.filter((i) => i.questionId === null).map((i) => i.id);
		const question = round.questions[0]!;
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		let seed = 11;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
		const ballot = () => ({
			choices: Object.fromEntries(
				plain.map((id) => [String(id), pick(['agree', 'disagree', 'abstain'] as const)]),
			),
			options: { [question.id]: pick([...question.optionIds.map(String), 'abstain']) },
		});
		const chosen = households.slice(0, 16);
		for (const [n, h] of chosen.entries()) {
			const mode = n % 4;
			if (mode === 0 || mode === 3) {
				const member = await createMember(t.db, admin, h.id, 'owner');
				await castBallot(t.db, member, { roundId, householdId: h.id, comment: '', ...ballot() });
			}
			if (mode >= 1) {
				// Paper: double-entered; mode 2 differs first and is resolved; mode 3 meets an online ballot.
				const answers = ballot();
				const form = { roundId, householdId: h.id, comment: '', filledAt: filled(), ...answers };
				const a = await enterPaperForm(t.db, first, { ...form, photo: await buildPaperPhoto(n) });
				const entryId = a.state === 'awaiting' ? a.entryId : 0;
				if (mode === 2) {
					const other = { ...form, ...ballot() };
					const result = await enterPaperForm(t.db, second, { ...other, confirms: entryId });
					if (result.state === 'mismatch') {
						await resolvePaperEntry(t.db, admin, { roundId, entryId, decision: 'accept' });
					}
				} else {
					await enterPaperForm(t.db, second, { ...form, confirms: entryId });
				}
			}
		}
		// One more form left awaiting: counted nowhere.
		await enterPaperForm(t.db, first, {
			roundId,
			householdId: households[20]!.id,
			comment: '',
			filledAt: filled(),
			...ballot(),
			photo: await buildPaperPhoto(99),
		});
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.ballots).toBe(chosen.length);
		expect((await getCoverage(t.db, round)).responded).toBe(chosen.length);
		const units = await getUnitCoverage(t.db, round);
		expect(units.reduce((sum, u) => sum + u.responded, 0)).toBe(chosen.length);
		expect(units.reduce((sum, u) => sum + u.households, 0)).toBe(households.length);
		// A confirmation after the close is refused and changes nothing.
		const awaiting = await getOpenEntry(t.db, first, round, households[20]!.id);
		await closeRound(t.db, first, roundId, CONFIRMED);
		const late = await reject(
			enterPaperForm(t.db, second, {
				roundId,
				householdId: households[20]!.id,
				comment: '',
				filledAt: filled(),
				...ballot(),
				confirms: awaiting!.id,
			}),
		);
		expect(late.code).toBe('closed');
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
	});
});
