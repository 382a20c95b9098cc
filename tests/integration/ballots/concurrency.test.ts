import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../../db/client.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import {
	enterPaperForm,
	resolvePaperEntry,
} from '../../../src/lib/server/ballots/commands/paper.ts';
import { closeRound, openRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	allChoices,
	buildPaperPhoto,
	createMember,
	createOpenRound,
	projectHouseholds,
	projectId,
	type Households,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

const choices = ['agree', 'disagree', 'abstain'] as const;

/** Concurrency on the real server (PGlite runs one statement at a time and proves nothing here). */
describe.runIf(process.env.TEST_DATABASE_URL)('ballot concurrency on postgres', () => {
	let t: TestDatabase;
	let admin: StaffActor;
	let households: Households;
	let project: number;

	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		project = await projectId(t.db, 'hongyan');
		households = await projectHouseholds(t.db, project);
	});
	afterAll(async () => t?.close());

	it('200 parallel submissions for one household: one current ballot, 200 revisions, no error', async () => {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => String(i.id));
		const household = households[0]!;
		const members = [
			await createMember(t.db, admin, household.id, 'owner'),
			await createMember(t.db, admin, household.id, 'family'),
		];
		const outcomes = await Promise.allSettled(
			Array.from({ length: 200 }, (_, n) =>
				castBallot(t.db, members[n % 2]!, {
					roundId,
					householdId: household.id,
					choices: Object.fromEntries(ids.map((id, k) => [id, choices[(n + k) % 3]!])),
					comment: `第 ${n} 次`,
				}),
			),
		);
		const failed = outcomes.filter((o) => o.status === 'rejected');
		expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
		const revisions = outcomes.map(
			(o) => (o as PromiseFulfilledResult<{ revision: number }>).value.revision,
		);
		expect(revisions.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
		const [counts] = await queryRows<{ ballots: number; revisions: number; max: number }>(
			t.db,
			sql`select (select count(*)::int from ballots where round_id = ${roundId}) as ballots,
			           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions,
			           (select max(revision)::int from ballots where round_id = ${roundId}) as max`,
		);
		expect(counts).toEqual({ ballots: 1, revisions: 200, max: 200 });
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		const [coverage] = await queryRows<{ responded: number }>(
			t.db,
			sql`select responded from round_coverage where round_id = ${roundId} and level = 'building' and scope_id = ${household.buildingId}`,
		);
		expect(coverage!.responded).toBe(1);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('parallel ballots across a compound, owners of several flats included, stay equal to a recount', async () => {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯\n更换物业服务企业',
			rule: 'civil_code_three_quarters',
			decisionScope: 'unit',
		});
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => String(i.id));
		const owners = new Map<string, number>();
		for (const h of households) owners.set(h.ownerKey, (owners.get(h.ownerKey) ?? 0) + 1);
		const multi = households.filter((h) => owners.get(h.ownerKey)! > 1);
		expect(multi.length).toBeGreaterThan(1);
		const chosen = [
			...multi,
			...households.filter((h) => owners.get(h.ownerKey) === 1).slice(0, 40),
		];
		const voters = await Promise.all(
			chosen.map(async (h) => ({ h, actor: await createMember(t.db, admin, h.id, 'owner') })),
		);
		const jobs = voters.flatMap(({ h, actor }, n) =>
			[0, 1, 2].map(
				(k) => () =>
					castBallot(t.db, actor, {
						roundId,
						householdId: h.id,
						choices: Object.fromEntries(
							ids.map((id, j) => [id, choices[(n * 7 + k * 5 + j) % 3]!]),
						),
						comment: '',
					}),
			),
		);
		const outcomes = await Promise.allSettled(jobs.map((job) => job()));
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.ballots).toBe(chosen.length);
	});

	it('closing while ballots pour in: each one is counted before the close or refused, none after', async () => {
		const roundId = await createOpenRound(t.db, admin, { projectId: project });
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => String(i.id));
		const voters = await Promise.all(
			households.slice(0, 30).map(async (h) => ({
				h,
				actor: await createMember(t.db, admin, h.id, 'owner'),
			})),
		);
		// The close comes from another instance (its own pool) once 40 ballots were acknowledged,
		// while the other 80 are in flight.
		const other = await openDatabase({ databaseUrl: t.url!, poolMax: 1 });
		let done = 0;
		let startClose: () => void = () => {};
		const closing = new Promise<void>((resolve) => (startClose = resolve))
			.then(() => closeRound(other.db, admin, roundId, CONFIRMED))
			.finally(() => other.close());
		const ballots = voters.flatMap(({ h, actor }, n) =>
			[0, 1, 2, 3].map((k) =>
				castBallot(t.db, actor, {
					roundId,
					householdId: h.id,
					choices: Object.fromEntries(ids.map((id, j) => [id, choices[(n + k + j) % 3]!])),
					comment: '',
				}).finally(() => {
					if (++done === 40) startClose();
				}),
			),
		);
		const outcomes = await Promise.allSettled(ballots);
		await closing;
		const refused = outcomes.filter((o) => o.status === 'rejected');
		for (const r of refused) {
			expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'closed' });
		}
		const acknowledged = outcomes.length - refused.length;
		expect(acknowledged).toBeGreaterThanOrEqual(40);
		const [row] = await queryRows<{ revisions: number; late: number }>(
			t.db,
			sql`select (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions,
			           (select count(*)::int from ballot_revisions v join rounds r on r.id = v.round_id
			            where v.round_id = ${roundId} and v.filled_at >= r.closes_at) as late`,
		);
		// Every acknowledged ballot is kept, none was taken after the close.
		expect(row).toEqual({ revisions: acknowledged, late: 0 });
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		// A ballot after the close is refused.
		await expect(
			castBallot(t.db, voters[0]!.actor, {
				roundId,
				householdId: voters[0]!.h.id,
				choices: Object.fromEntries(ids.map((id) => [id, 'agree' as const])),
				comment: '',
			}),
		).rejects.toMatchObject({ code: 'closed', messageKey: 'ballots.roundClosed' });
	});

	it('two members confirming one paper form at once: one counted ballot, one refusal', async () => {
		const roundId = await createOpenRound(t.db, admin, { projectId: project, doubleEntry: true });
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => i.id);
		const staff = await Promise.all(
			[0, 1, 2].map(() => createStaffUser(t.db, { roles: ['admin'] })),
		);
		const outcomes: PromiseSettledResult<unknown>[] = [];
		for (const household of households.slice(0, 8)) {
			const form = {
				roundId,
				householdId: household.id,
				choices: allChoices(ids, 'agree'),
				comment: '',
				filledAt: toChinaLocalInput(new Date(Date.now() - 60_000)),
			};
			const first = await enterPaperForm(t.db, staff[0]!, {
				...form,
				photo: await buildPaperPhoto(1),
			});
			const confirms = first.state === 'awaiting' ? first.entryId : 0;
			const pair = await Promise.allSettled([
				enterPaperForm(t.db, staff[1]!, { ...form, confirms }),
				enterPaperForm(t.db, staff[2]!, { ...form, confirms }),
			]);
			expect(pair.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
			const refused = pair.find((o) => o.status === 'rejected') as PromiseRejectedResult;
			expect(refused.reason).toBeInstanceOf(DomainError);
			expect((refused.reason as DomainError).messageKey).toBe('ballots.entryNotOpen');
			outcomes.push(...pair);
		}
		const [counts] = await queryRows<{ ballots: number; revisions: number; max: number }>(
			t.db,
			sql`select (select count(*)::int from ballots where round_id = ${roundId}) as ballots,
			           (select count(*)::int from ballot_revisions where round_id = ${roundId}) as revisions,
			           (select max(revision)::int from ballots where round_id = ${roundId}) as max`,
		);
		expect(counts).toEqual({ ballots: 8, revisions: 8, max: 1 });
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		expect(outcomes).toHaveLength(16);
	});

	it('first entries, confirmations and resolutions racing across households stay equal to a recount', async () => {
		const roundId = await createOpenRound(t.db, admin, {
			projectId: project,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯',
			choiceTitle: '物业管理模式',
			choiceOptions: '物业服务企业\n居民自治\n社区托管',
			rule: 'civil_code_three_quarters',
			decisionScope: 'unit',
			doubleEntry: true,
		});
		const round = (await loadRound(t.db, roundId))!;
		const question = round.questions[0]!;
		const [a, b, c] = await Promise.all(
			[0, 1, 2].map(() => createStaffUser(t.db, { roles: ['admin'] })),
		);
		const chosen = households.slice(10, 40);
		const form = (householdId: number, n: number) => ({
			roundId,
			householdId,
			choices: { [round.items[0]!.id]: choices[n % 3]! },
			options: { [question.id]: String(question.optionIds[n % 3]) },
			comment: '',
			filledAt: toChinaLocalInput(new Date(Date.now() - 60_000)),
		});
		// Two members enter each household's first copy at once: one awaits, the other is refused.
		// (Households one after another: the image pipeline takes a few uploads at a time.)
		const firsts: { h: (typeof chosen)[number]; n: number; entryId: number }[] = [];
		for (const [n, h] of chosen.entries()) {
			const photo = await buildPaperPhoto(n % 7);
			const pair = await Promise.allSettled([
				enterPaperForm(t.db, a!, { ...form(h.id, n), photo }),
				enterPaperForm(t.db, b!, { ...form(h.id, n), photo }),
			]);
			const ok = pair.filter((o) => o.status === 'fulfilled');
			expect(ok).toHaveLength(1);
			const refused = pair.find((o) => o.status === 'rejected') as PromiseRejectedResult;
			expect((refused.reason as DomainError).messageKey).toBe('ballots.entryExists');
			const value = (ok[0] as PromiseFulfilledResult<{ state: string; entryId: number }>).value;
			firsts.push({ h, n, entryId: value.entryId });
		}
		// Then c confirms every other one and enters a differing copy of the rest, all at once;
		// the differing ones are resolved at once by whichever of a and b did not enter it.
		await Promise.all(
			firsts.map(async ({ h, n, entryId }) => {
				if (n % 2 === 0) return enterPaperForm(t.db, c!, { ...form(h.id, n), confirms: entryId });
				const outcome = await enterPaperForm(t.db, c!, { ...form(h.id, n + 1), confirms: entryId });
				expect(outcome.state).toBe('mismatch');
				const [entry] = await queryRows<{ entered_by: string }>(
					t.db,
					sql`select entered_by from paper_entries where id = ${entryId}`,
				);
				const reviewer = entry!.entered_by === a!.userId ? b! : a!;
				return resolvePaperEntry(t.db, reviewer, { roundId, entryId, decision: 'accept' });
			}),
		);
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.ballots).toBe(chosen.length);
	});

	it('opening a round twice at once notifies its households once', async () => {
		const roundId = await createOpenRound(t.db, admin, { projectId: project }, { open: false });
		const member = await createMember(t.db, admin, households[50]!.id, 'family');
		const outcomes = await Promise.allSettled([
			openRound(t.db, admin, roundId),
			openRound(t.db, admin, roundId),
			openRound(t.db, admin, roundId),
		]);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		const [row] = await queryRows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from notifications
			    where user_id = ${member.userId} and kind = 'round.opened' and link = ${`/rounds/${roundId}`}`,
		);
		expect(row!.n).toBe(1);
	});
});
