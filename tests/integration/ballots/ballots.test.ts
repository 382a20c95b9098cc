import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as b from '../../../db/schema/ballots.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import {
	castBallot,
	enterPaperBallot,
	reviewConflict,
} from '../../../src/lib/server/ballots/commands/cast.ts';
import {
	enterPaperForm,
	resolvePaperEntry,
} from '../../../src/lib/server/ballots/commands/paper.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import {
	closeRound,
	createRound,
	openRound,
} from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import {
	listConflicts,
	listNotResponded,
} from '../../../src/lib/server/ballots/queries/follow-up.ts';
import { getHouseholdBallot } from '../../../src/lib/server/ballots/queries/household-ballot.ts';
import {
	getCoverage,
	getLiveResults,
	getPublishedResults,
} from '../../../src/lib/server/ballots/queries/results.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import { listRefusedItems } from '../../../src/lib/server/ballots/verdicts.ts';
import { estimateCosts } from '../../../src/lib/server/ballots/cost.ts';
import { setConsentAuthorisation } from '../../../src/lib/server/households/commands.ts';
import { loadActor } from '../../../src/lib/server/policy/actor.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import type { DomainError } from '../../../src/lib/server/shared/errors.ts';
import {
	allChoices,
	buildPaperPhoto,
	compoundHouseholds,
	createMember,
	createModerator,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createResident, createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createPlanItem, createPlanVersion } from '../../factories/plans.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

const count = async (t: TestDatabase, query: ReturnType<typeof sql>) =>
	(await queryRows<{ n: number }>(t.db, query))[0]!.n;

describe.each(drivers)('rounds and ballots on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: number;
	let households: Households;
	let items: number[];

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
		items = await menuItemIds(t.db, 3);
	});
	afterAll(async () => t?.close());

	const roundItemIds = async (roundId: number) =>
		(await loadRound(t.db, roundId))!.items.map((i) => i.id);

	it('opens a round: freezes the scope, creates tally and coverage rows, audits', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		expect(
			await count(
				t,
				sql`select count(*)::int as n from round_households where round_id = ${roundId}`,
			),
		).toBe(households.length);
		const buildings = new Set(households.map((h) => h.buildingId)).size;
		expect(
			await count(t, sql`select count(*)::int as n from round_tallies where round_id = ${roundId}`),
		).toBe(items.length * (1 + buildings));
		const coverage = await getCoverage(t.db, (await loadRound(t.db, roundId))!);
		expect(coverage.households).toBe(households.length);
		expect(coverage.responded).toBe(0);
		expect(coverage.buildings).toHaveLength(buildings);
		expect(coverage.buildings[0]!.name).toMatch(/杜鹃新村 1号楼/);
		await expect(reject(openRound(t.db, moderator, roundId))).resolves.toMatchObject({
			code: 'conflict',
		});
	});

	it("refuses another community's staff and residents as round managers", async () => {
		const other = await createModerator(t.db, '江滨社区');
		const input = {
			projectId: dujuan,
			kind: 'needs' as const,
			title: '需求调查',
			titleEn: '',
			description: '',
			descriptionEn: '',
			itemIds: items,
			questions: '',
			rule: 'simple_majority' as const,
			decisionScope: 'compound' as const,
			opensAt: '2026-05-01T09:00',
			closesAt: '2026-05-10T18:00',
			talliesPublic: false,
		};
		expect((await reject(createRound(t.db, other, input))).code).toBe('not_found');
		expect((await reject(createRound(t.db, await createResident(t.db), input))).code).toBe(
			'forbidden',
		);
		expect(
			(await reject(createRound(t.db, moderator, { ...input, closesAt: '2026-04-01T09:00' })))
				.messageKey,
		).toBe('ballots.windowInvalid');
	});

	it('lets any member cast and revise: one current ballot, every revision kept, tallies follow', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const ids = await roundItemIds(roundId);
		const household = households[0]!;
		const owner = await createMember(t.db, moderator, household.id, 'owner');
		const tenant = await createMember(t.db, moderator, household.id, 'tenant');
		const first = await castBallot(t.db, owner, {
			roundId,
			householdId: household.id,
			choices: allChoices(ids, 'agree'),
			comment: '希望尽快改造 <b>楼道</b>',
		});
		expect(first).toMatchObject({ revision: 1, counted: true, conflict: false });
		const second = await castBallot(t.db, tenant, {
			roundId,
			householdId: household.id,
			choices: { ...allChoices(ids, 'disagree'), [ids[0]!]: 'abstain' },
			comment: '',
		});
		expect(second.revision).toBe(2);
		const rows = await t.db.select().from(b.ballots).where(eq(b.ballots.roundId, roundId));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.castBy).toBe(tenant.userId);
		const revisions = await t.db
			.select()
			.from(b.ballotRevisions)
			.where(eq(b.ballotRevisions.roundId, roundId));
		expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
		const round = (await loadRound(t.db, roundId))!;
		const results = await getLiveResults(t.db, round);
		const firstItem = results.items[0]!.decisions[0]!;
		expect(firstItem.counts).toMatchObject({ agree: 0, abstain: 1, disagree: 0, responded: 1 });
		expect(results.items[1]!.decisions[0]!.counts).toMatchObject({ disagree: 1, agree: 0 });
		expect(results.coverage.responded).toBe(1);
		// Memoised per round version: the same numbers until a ballot moves the version.
		const again = await getLiveResults(t.db, round);
		expect(again.items).toEqual(results.items);
		await castBallot(t.db, owner, {
			roundId,
			householdId: household.id,
			choices: allChoices(ids, 'agree'),
			comment: '',
		});
		const moved = await getLiveResults(t.db, round);
		expect(moved.items[0]!.decisions[0]!.counts).toMatchObject({ agree: 1, abstain: 0 });
		await castBallot(t.db, tenant, {
			roundId,
			householdId: household.id,
			choices: { ...allChoices(ids, 'disagree'), [ids[0]!]: 'abstain' },
			comment: '',
		});
		const view = await getHouseholdBallot(t.db, owner, roundId, household.id);
		expect(view!.revisions.map((r) => r.by)).toEqual(['member', 'you', 'member', 'you']);
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		const audit = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'ballot.cast'));
		expect(audit.length).toBeGreaterThanOrEqual(2);
		expect(JSON.stringify(audit)).not.toContain('楼道');
	});

	it('refuses incomplete or unknown choices, strangers and households outside the scope, writing nothing', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const ids = await roundItemIds(roundId);
		const household = households[1]!;
		const member = await createMember(t.db, moderator, household.id, 'family');
		const base = { roundId, householdId: household.id, comment: '' };
		const missing = await reject(
			castBallot(t.db, member, { ...base, choices: { [ids[0]!]: 'agree' } }),
		);
		expect(missing.messageKey).toBe('ballots.choiceMissing');
		const extra = await reject(
			castBallot(t.db, member, { ...base, choices: { ...allChoices(ids), '999999': 'agree' } }),
		);
		expect(extra.messageKey).toBe('ballots.choiceInvalid');
		const stranger = await createResident(t.db);
		expect(
			(await reject(castBallot(t.db, stranger, { ...base, choices: allChoices(ids) }))).code,
		).toBe('forbidden');
		expect((await reject(castBallot(t.db, null, { ...base, choices: allChoices(ids) }))).code).toBe(
			'unauthenticated',
		);
		const jiangbin = await demoPlaces(t.db, '江滨社区');
		const [outside] = await compoundHouseholds(t.db, jiangbin.compoundId);
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const outsider = await createMember(t.db, admin, outside!.id, 'owner');
		const notInScope = await reject(
			castBallot(t.db, outsider, { ...base, householdId: outside!.id, choices: allChoices(ids) }),
		);
		expect(notInScope.code).toBe('not_found');
		expect(
			await count(t, sql`select count(*)::int as n from ballots where round_id = ${roundId}`),
		).toBe(0);
	});

	it('takes ballots only while open: not before opening, not after close', async () => {
		const draft = await createOpenRound(
			t.db,
			moderator,
			{ projectId: dujuan, itemIds: items },
			{ open: false },
		);
		const member = await createMember(t.db, moderator, households[2]!.id, 'owner');
		const ids = await roundItemIds(draft);
		const base = { householdId: households[2]!.id, choices: allChoices(ids), comment: '' };
		expect((await reject(castBallot(t.db, member, { ...base, roundId: draft }))).code).toBe(
			'not_found',
		);
		const later = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			itemIds: items,
			opensAt: toChinaLocalInput(new Date(Date.now() + 3_600_000)),
			closesAt: toChinaLocalInput(new Date(Date.now() + 7_200_000)),
		});
		const laterIds = await roundItemIds(later);
		const early = await reject(
			castBallot(t.db, member, { ...base, roundId: later, choices: allChoices(laterIds) }),
		);
		expect(early).toMatchObject({ code: 'closed', messageKey: 'ballots.notOpen' });
		const open = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const openIds = await roundItemIds(open);
		await castBallot(t.db, member, { ...base, roundId: open, choices: allChoices(openIds) });
		await closeRound(t.db, moderator, open, CONFIRMED);
		const late = await reject(
			castBallot(t.db, member, {
				...base,
				roundId: open,
				choices: allChoices(openIds, 'disagree'),
			}),
		);
		expect(late).toMatchObject({ code: 'closed', messageKey: 'ballots.roundClosed' });
		expect((await reject(closeRound(t.db, moderator, open, CONFIRMED))).code).toBe('closed');
	});

	it('takes consent ballots only from owners and members an owner authorised', async () => {
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			itemIds: [],
			questions: '加装电梯 | Install an elevator',
			rule: 'civil_code_three_quarters',
			scopeBuildingId: households[0]!.buildingId,
			decisionScope: 'building',
		});
		const round = (await loadRound(t.db, roundId))!;
		expect(round.consent).toBe(true);
		const household = households.find((h) => h.buildingId === households[0]!.buildingId)!;
		const owner = await createMember(t.db, moderator, household.id, 'owner');
		const family = await createMember(t.db, moderator, household.id, 'family');
		const input = {
			roundId,
			householdId: household.id,
			choices: allChoices(round.items.map((i) => i.id)),
			comment: '',
		};
		expect((await reject(castBallot(t.db, family, input))).messageKey).toBe('ballots.consentOnly');
		const membership = family.memberships.find((m) => m.householdId === household.id)!;
		await setConsentAuthorisation(t.db, owner, {
			householdId: household.id,
			membershipId: membership.membershipId,
			authorised: true,
		});
		const authorised = (await loadActor(t.db, family.userId, 'resident')) as ResidentActor;
		expect((await castBallot(t.db, authorised, input)).revision).toBe(1);
		expect((await castBallot(t.db, owner, input)).revision).toBe(2);
	});

	it('enters a paper ballot with a photo; the newer of paper and online counts and the conflict is flagged', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.map((i) => i.id);
		const [h1, h2] = [households[3]!, households[4]!];
		const paper = await enterPaperBallot(t.db, moderator, {
			roundId,
			householdId: h1.id,
			choices: allChoices(ids, 'agree'),
			comment: '老人不会用手机，入户填写',
			filledAt: toChinaLocalInput(new Date(Date.now() - 600_000)),
			photo: await buildPaperPhoto(1),
		});
		expect(paper).toMatchObject({ revision: 1, counted: true, conflict: false });
		const [stored] = await t.db
			.select()
			.from(b.ballots)
			.where(and(eq(b.ballots.roundId, roundId), eq(b.ballots.householdId, h1.id)));
		expect(stored).toMatchObject({ channel: 'paper', enteredBy: moderator.userId, castBy: null });
		expect(stored!.photoImageId).toMatch(/^[0-9a-f]{64}$/);
		// An online ballot after the paper one: newer, counts, flagged.
		const member = await createMember(t.db, moderator, h1.id, 'owner');
		const online = await castBallot(t.db, member, {
			roundId,
			householdId: h1.id,
			choices: allChoices(ids, 'disagree'),
			comment: '',
		});
		expect(online).toMatchObject({ revision: 2, counted: true, conflict: true });
		// A paper form filled in before that online ballot: kept, not counted, still flagged.
		const older = await enterPaperBallot(t.db, moderator, {
			roundId,
			householdId: h1.id,
			choices: allChoices(ids, 'agree'),
			comment: '',
			filledAt: toChinaLocalInput(new Date(Date.now() - 1_800_000)),
			photo: await buildPaperPhoto(2),
		});
		expect(older).toMatchObject({ revision: 3, counted: false, conflict: true });
		const results = await getLiveResults(t.db, round);
		expect(results.items[0]!.decisions[0]!.counts).toMatchObject({ agree: 0, disagree: 1 });
		const conflicts = await listConflicts(t.db, moderator, round);
		expect(conflicts.map((c) => c.householdId)).toEqual([h1.id]);
		await reviewConflict(t.db, moderator, { roundId, householdId: h1.id });
		expect(await listConflicts(t.db, moderator, round)).toEqual([]);
		// A resident cannot enter paper ballots; an empty photo is refused.
		expect(
			(
				await reject(
					enterPaperBallot(t.db, member, {
						roundId,
						householdId: h2.id,
						choices: allChoices(ids),
						comment: '',
						filledAt: toChinaLocalInput(new Date()),
						photo: await buildPaperPhoto(3),
					}),
				)
			).code,
		).toBe('forbidden');
		const badPhoto = await reject(
			enterPaperBallot(t.db, moderator, {
				roundId,
				householdId: h2.id,
				choices: allChoices(ids),
				comment: '',
				filledAt: toChinaLocalInput(new Date()),
				photo: new TextEncoder().encode('<svg></svg>'),
			}),
		);
		expect(badPhoto.code).toBe('invalid');
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
	});

	it('lists households still to visit, by building and unit, for committee staff only', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const round = (await loadRound(t.db, roundId))!;
		const member = await createMember(t.db, moderator, households[5]!.id, 'family');
		await castBallot(t.db, member, {
			roundId,
			householdId: households[5]!.id,
			choices: allChoices(round.items.map((i) => i.id)),
			comment: '',
		});
		const visits = await listNotResponded(t.db, moderator, round);
		expect(visits).toHaveLength(households.length - 1);
		expect(visits.map((v) => v.householdId)).not.toContain(households[5]!.id);
		expect(visits[0]).toMatchObject({ buildingNumber: '1', unitNumber: '1' });
		const other = await createModerator(t.db, '江滨社区');
		expect((await reject(listNotResponded(t.db, other, round))).code).toBe('not_found');
		expect((await reject(listNotResponded(t.db, member, round))).code).toBe('forbidden');
		const coverage = await getCoverage(t.db, round);
		expect(coverage.responded).toBe(1);
		expect(coverage.met).toBe(false);
	});

	it('keeps the aggregates equal to a recount over many ballots, owners of several flats included', async () => {
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			itemIds: [],
			questions: '更换物业服务企业\n成立业主自治小组\n加装电梯 | Elevator',
			choiceTitle: '物业管理模式',
			choiceOptions: '物业服务企业\n居民自治\n社区托管',
			rule: 'civil_code_majority',
			decisionScope: 'unit',
			doubleEntry: true,
		});
		const round = (await loadRound(t.db, roundId))!;
		const ids = round.items.filter((i) => i.questionId === null).map((i) => i.id);
		const question = round.questions[0]!;
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		// Owners of several flats (shared owner keys) are where head counting can go wrong.
		const owners = new Map<string, number[]>();
		for (const h of households) owners.set(h.ownerKey, [...(owners.get(h.ownerKey) ?? []), h.id]);
		const multi = [...owners.values()].filter((list) => list.length > 1).flat();
		const chosen = [...new Set([...multi, ...households.slice(0, 14).map((h) => h.id)])];
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const choice = () => (['agree', 'disagree', 'abstain'] as const)[Math.floor(random() * 3)]!;
		const ballot = () => ({
			choices: Object.fromEntries(ids.map((id) => [String(id), choice()])),
			options: {
				[question.id]: ['abstain', ...question.optionIds.map(String)][Math.floor(random() * 4)]!,
			},
		});
		const filledAt = () => toChinaLocalInput(new Date(Date.now() - 120_000));
		for (const [n, householdId] of chosen.entries()) {
			// Online revisions for most; paper forms entered twice (agreeing, or differing and
			// resolved) for every third; some households both, the newer counting.
			if (n % 3 !== 1) {
				const member = await createMember(t.db, admin, householdId, 'owner');
				for (let revision = 0; revision < 1 + Math.floor(random() * 3); revision++) {
					await castBallot(t.db, member, { roundId, householdId, comment: '', ...ballot() });
				}
			}
			if (n % 3 !== 0) {
				const form = { roundId, householdId, comment: '', filledAt: filledAt(), ...ballot() };
				const entered = await enterPaperForm(t.db, moderator, {
					...form,
					photo: await buildPaperPhoto(n),
				});
				const confirms = entered.state === 'awaiting' ? entered.entryId : 0;
				const differs = n % 4 === 2;
				const second = await enterPaperForm(t.db, admin, {
					...form,
					...(differs ? ballot() : {}),
					confirms,
				});
				if (second.state === 'mismatch') {
					await resolvePaperEntry(t.db, moderator, {
						roundId,
						entryId: confirms,
						decision: random() < 0.5 ? 'discard' : 'accept',
					}).catch((error: unknown) => {
						// The moderator entered the first copy: they may only count the admin's.
						expect((error as DomainError).messageKey).toBe('ballots.confirmOwnEntry');
					});
				}
			}
		}
		// Forms awaiting their second entry count nowhere.
		for (const h of households.filter((x) => !chosen.includes(x.id)).slice(0, 3)) {
			await enterPaperForm(t.db, moderator, {
				roundId,
				householdId: h.id,
				comment: '',
				filledAt: filledAt(),
				...ballot(),
				photo: await buildPaperPhoto(1),
			});
		}
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		const counted = await count(
			t,
			sql`select count(*)::int as n from ballots where round_id = ${roundId}`,
		);
		expect(verification.ballots).toBe(counted);
		expect(counted).toBeGreaterThan(chosen.length / 2);
		expect(verification.rows).toBeGreaterThan(ids.length * 3);
		// Tamper with one aggregate: the recount notices.
		await t.db.execute(
			sql`update round_tallies set agree = agree + 1 where round_id = ${roundId} and level = 'compound' and agree < households`,
		);
		expect((await verifyRound(t.db, round)).problems.length).toBeGreaterThan(0);
	});

	it('publishes closed results as immutable versions; a needs questionnaire records no verdict', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const round = (await loadRound(t.db, roundId))!;
		const [agreed, refused, silent] = round.items.map((i) => String(i.id));
		for (const h of households.slice(6, 10)) {
			const member = await createMember(t.db, moderator, h.id, 'family');
			await castBallot(t.db, member, {
				roundId,
				householdId: h.id,
				choices: { [agreed!]: 'agree', [refused!]: 'disagree', [silent!]: 'abstain' },
				comment: '',
			});
		}
		expect(
			(await reject(publishResults(t.db, moderator, { roundId, note: '', confirm: true })))
				.messageKey,
		).toBe('ballots.notClosedYet');
		await closeRound(t.db, moderator, roundId, CONFIRMED);
		const first = await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		expect(first.version).toBe(1);
		const second = await publishResults(t.db, moderator, {
			roundId,
			note: '更正：补录纸质表决单',
			confirm: true,
		});
		expect(second.version).toBe(2);
		const published = await getPublishedResults(t.db, roundId);
		expect(published!.version).toBe(2);
		// 4 of the compound's households answered: under two thirds, no verdict stands.
		expect(published!.view.items.map((i) => i.decisions[0]!.verdict)).toEqual([
			'not_quorate',
			'not_quorate',
			'not_quorate',
		]);
		expect((await getPublishedResults(t.db, roundId, 1))!.note).toBe('');
		const verification = await verifyRound(t.db, round);
		expect(verification.problems).toEqual([]);
		expect(verification.published).toMatchObject({ version: 2, matches: true });
		// A needs questionnaire is non-binding: it records no verdict and refuses nothing.
		expect(
			await count(
				t,
				sql`select count(*)::int as n from round_item_verdicts where round_id = ${roundId}`,
			),
		).toBe(0);
		expect(await listRefusedItems(t.db, dujuan)).toEqual([]);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});
	it("asks opinions on a plan version's items with the overall opinion and each household's cost share", async () => {
		const version = await createPlanVersion(t.db, { projectId: dujuan });
		const building = households[0]!.buildingId;
		await createPlanItem(t.db, version.id, { buildingId: building });
		await createPlanItem(t.db, version.id);
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'plan_opinion',
			planVersionId: version.id,
			itemIds: [],
		});
		const round = (await loadRound(t.db, roundId))!;
		expect(round.items.map((i) => i.buildingId)).toEqual([building, null]);
		// Shares of the residents' 40,000.00 yuan add up to the fen over the households served.
		let inBuilding = 0n;
		let everyone = 0n;
		for (const h of households) {
			const estimate = await estimateCosts(t.db, round, h.id);
			inBuilding += estimate.perItem.get(round.items[0]!.id) ?? 0n;
			everyone += estimate.perItem.get(round.items[1]!.id)!;
			if (h.buildingId !== building) expect(estimate.perItem.has(round.items[0]!.id)).toBe(false);
		}
		expect(inBuilding).toBe(4_000_000n);
		expect(everyone).toBe(4_000_000n);
		// A household outside the building answers only the compound-wide item.
		const outside = households.find((h) => h.buildingId !== building)!;
		const member = await createMember(t.db, moderator, outside.id, 'tenant');
		const refused = await reject(
			castBallot(t.db, member, {
				roundId,
				householdId: outside.id,
				choices: allChoices(round.items.map((i) => i.id)),
				comment: '',
			}),
		);
		expect(refused.messageKey).toBe('ballots.choiceInvalid');
		await castBallot(t.db, member, {
			roundId,
			householdId: outside.id,
			choices: { [round.items[1]!.id]: 'agree' },
			overall: 'disagree',
			comment: '方案整体不同意：停车位太少',
		});
		const [stored] = await t.db.select().from(b.ballots).where(eq(b.ballots.roundId, roundId));
		expect(stored).toMatchObject({
			overall: 'disagree',
			choices: { [round.items[1]!.id]: 'agree' },
		});
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
	});
});
