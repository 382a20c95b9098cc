/**
 * Verdicts that follow the law (民法典 art. 278, seeds/000 and 002), through the real commands on
 * both drivers: special matters always need ¾, results stand only with enough participation,
 * final plans keep out what residents refused, and existing rounds are recomputed.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataMigrations } from '../../../db/data-migrations.ts';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { translate } from '../../../src/i18n/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import { closeRound, createRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import {
	getLiveResults,
	getPublishedResults,
} from '../../../src/lib/server/ballots/queries/results.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import type { Choice } from '../../../src/lib/server/ballots/rules.ts';
import { listRefusedItems } from '../../../src/lib/server/ballots/verdicts.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { publishPlanVersion } from '../../../src/lib/server/plans/commands/publish.ts';
import { blockerMessage, finalPlanBlockers } from '../../../src/lib/server/plans/gates.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	allChoices,
	createMember,
	createOpenRound,
	projectId,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createPlanVersion } from '../../factories/plans.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

const DAY = 86_400_000;

describe.each(drivers)('the law by default on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: number;
	/** Dujuan's buildings, smallest first, each with its households. */
	let buildings: { id: number; households: Households }[];

	const menuId = async (name: string) =>
		(
			await t.db
				.select({ id: s.renovationItems.id })
				.from(s.renovationItems)
				.where(eq(s.renovationItems.name, name))
		)[0]!.id;

	/** Owners of the households answer every item of the round with `choice(i)`. */
	async function vote(roundId: number, households: Households, choice: (i: number) => Choice) {
		const itemIds = (await loadRound(t.db, roundId))!.items.map((i) => i.id);
		for (const [i, h] of households.entries()) {
			const owner = await createMember(t.db, moderator, h.id, 'owner');
			await castBallot(t.db, owner, {
				roundId,
				householdId: h.id,
				choices: allChoices(itemIds, choice(i)),
				comment: '',
			});
		}
	}

	/** A special decision on one building, created with the form's defaults (simple majority). */
	const specialRound = (buildingId: number, itemIds: number[], title = '专项表决') =>
		createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			title,
			titleEn: 'Special decision',
			itemIds,
			scopeBuildingId: buildingId,
			decisionScope: 'building',
			rule: 'simple_majority',
		});

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		let households: Households;
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
		const byBuilding = new Map<number, Households>();
		for (const h of households)
			byBuilding.set(h.buildingId, [...(byBuilding.get(h.buildingId) ?? []), h]);
		buildings = [...byBuilding]
			.map(([id, list]) => ({ id, households: list }))
			.sort((a, b) => a.households.length - b.households.length);
	});
	afterAll(async () => t?.close());

	it('an elevator decided with the default rule needs ¾ of the owners: 2 agreeing is no result', async () => {
		const { id: building, households } = buildings[0]!;
		const roundId = await specialRound(building, [await menuId('多层住宅楼房增设电梯')]);
		const round = (await loadRound(t.db, roundId))!;
		expect(round.items[0]).toMatchObject({
			rule: 'civil_code_three_quarters',
			specialMatter: true,
		});
		expect(round.consent).toBe(true);
		await vote(roundId, households.slice(0, 2), () => 'agree');
		const live = await getLiveResults(t.db, round);
		expect(live.items[0]!.decisions.map((d) => d.verdict)).toEqual(['not_quorate']);
		await closeRound(t.db, moderator, roundId, CONFIRMED);
		await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		const recorded = await t.db
			.select({ approved: s.roundItemVerdicts.approved, verdict: s.roundItemVerdicts.verdict })
			.from(s.roundItemVerdicts)
			.where(eq(s.roundItemVerdicts.roundId, roundId));
		expect(recorded).toEqual([{ approved: false, verdict: 'not_quorate' }]);
		// No quorum is not a refusal: the elevator is not listed as refused.
		expect((await listRefusedItems(t.db, dujuan)).map((r) => r.name)).not.toContain(
			'多层住宅楼房增设电梯',
		);
	});

	it('typed questions that name a special matter, or are marked so, are decided with ¾', async () => {
		const now = Date.now();
		const base = {
			projectId: dujuan,
			kind: 'special' as const,
			title: '楼栋事项表决',
			titleEn: '',
			description: '',
			descriptionEn: '',
			itemIds: [],
			rule: 'simple_majority' as const,
			decisionScope: 'compound' as const,
			opensAt: toChinaLocalInput(new Date(now + DAY)),
			closesAt: toChinaLocalInput(new Date(now + 8 * DAY)),
			talliesPublic: false,
		};
		const words = await createRound(t.db, moderator, {
			...base,
			questions: '2号楼加装电梯 | A lift for building 2\n更换单元防盗门 | New unit doors',
		});
		expect((await loadRound(t.db, words.roundId))!.items.map((i) => i.rule)).toEqual([
			'civil_code_three_quarters',
			'simple_majority',
		]);
		const marked = await createRound(t.db, moderator, {
			...base,
			questions: '使用公共收益 | Spending shared income',
			specialMatter: true,
			choiceTitle: '电梯安装位置',
			choiceOptions: '北侧 | North\n南侧 | South',
			choiceRule: 'plurality',
		});
		const round = (await loadRound(t.db, marked.roundId))!;
		expect(round.items.map((i) => [i.rule, i.specialMatter])).toEqual([
			['civil_code_three_quarters', true],
			['civil_code_three_quarters', true],
			['civil_code_three_quarters', true],
		]);
		expect(round.questions[0]!.rule).toBe('civil_code_three_quarters');
	});

	it('a final plan with an item residents refused is refused, naming the item and the round', async () => {
		const { id: building, households } = buildings[1]!;
		const roof = await menuId('屋面渗漏修缮');
		const roundId = await specialRound(building, [roof], '屋面修缮意见征询');
		// Everyone takes part; more disagree than agree: refused.
		await vote(roundId, households, (i) => (i % 3 === 0 ? 'agree' : 'disagree'));
		await closeRound(t.db, moderator, roundId, CONFIRMED);
		await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		expect((await listRefusedItems(t.db, dujuan)).map((r) => r.name)).toContain('屋面渗漏修缮');

		const version = await createPlanVersion(t.db, {
			projectId: dujuan,
			status: 'draft',
			number: 90,
		});
		await t.db.insert(s.planItems).values({
			planVersionId: version.id,
			itemId: roof,
			buildingId: building,
			description: '屋面防水',
			costYuan: '1000.00',
			governmentYuan: '1000.00',
			residentYuan: '0.00',
		});
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [dujuan] });
		const input = {
			versionId: version.id,
			opensAt: new Date(),
			closesAt: new Date(Date.now() + 7 * DAY),
			final: true,
		};
		const refused = await reject(publishPlanVersion(t.db, officer, input));
		expect(refused.code).toBe('conflict');
		expect(translate('zh-CN', refused.messageKey, refused.params)).toBe(
			'「屋面渗漏修缮」在「屋面修缮意见征询」中未获居民同意（居民不同意不宜改造），不能列入最终方案。请从方案中移除该项，或重新征询居民意见。',
		);
		expect(translate('en', refused.messageKey, refused.params)).toContain(
			'“Roof leak repair” was not approved by residents in “Special decision”',
		);
		// Only a district admin may publish past it, and only with a written reason.
		const reason = '该楼屋面经鉴定存在安全隐患，必须维修，已逐户说明。';
		expect(
			(await reject(publishPlanVersion(t.db, officer, { ...input, overrideReason: reason })))
				.messageKey,
		).toBe('plans.gate.adminOnly');
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		await publishPlanVersion(t.db, admin, { ...input, overrideReason: reason });
		const [published] = await t.db
			.select()
			.from(s.planVersions)
			.where(eq(s.planVersions.id, version.id));
		expect(published).toMatchObject({
			status: 'final',
			overrideReason: reason,
			overrideBy: admin.userId,
		});
		const [audit] = await queryRows<{ details: unknown; actor_id: string }>(
			t.db,
			sql`select details, actor_id from audit_log where action = 'plan.gate_overridden' and target_id = ${version.id}`,
		);
		expect(audit!.actor_id).toBe(admin.userId);
		const details = (
			typeof audit!.details === 'string' ? JSON.parse(audit!.details) : audit!.details
		) as {
			reason: string;
			blockers: { gate: string }[];
		};
		expect(details.reason).toBe(reason);
		expect(details.blockers.map((b) => b.gate).slice(0, 2)).toEqual(['refused', 'coverage']);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('a final plan needs opinions from ⅔ of the households of each compound', async () => {
		const chonggui = await projectId(t.db, 'chonggui');
		const version = await createPlanVersion(t.db, {
			projectId: chonggui,
			status: 'draft',
			number: 90,
		});
		await t.db.insert(s.planItems).values({
			planVersionId: version.id,
			itemId: await menuId('单元楼道整修'),
			description: '楼道粉刷',
			costYuan: '1000.00',
			governmentYuan: '1000.00',
			residentYuan: '0.00',
		});
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const error = await reject(
			publishPlanVersion(t.db, admin, {
				versionId: version.id,
				opensAt: new Date(),
				closesAt: new Date(Date.now() + 7 * DAY),
				final: true,
			}),
		);
		expect(error.messageKey).toBe('plans.gate.coverage');
		expect(translate('zh-CN', error.messageKey, error.params)).toMatch(
			/^崇桂新村只有 0 \/ \d+ 户对方案提出了意见，不足三分之二/,
		);
		expect(translate('en', error.messageKey, error.params)).toMatch(
			/^Only 0 of \d+ households in .+ gave their opinion on the plan/,
		);
		const [still] = await t.db
			.select({ status: s.planVersions.status })
			.from(s.planVersions)
			.where(eq(s.planVersions.id, version.id));
		expect(still!.status).toBe('draft');
	});

	it('a final plan follows a public notice of the previous version of at least the district’s days', async () => {
		const xubi = await projectId(t.db, 'xubi');
		const now = Date.now();
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const draft = async (number: number) => {
			const version = await createPlanVersion(t.db, { projectId: xubi, status: 'draft', number });
			await t.db.insert(s.planItems).values({
				planVersionId: version.id,
				itemId: await menuId('楼道照明系统'),
				description: '楼道灯',
				costYuan: '1000.00',
				governmentYuan: '1000.00',
				residentYuan: '0.00',
			});
			return version;
		};
		const publish = async (versionId: number) =>
			reject(
				publishPlanVersion(t.db, admin, {
					versionId,
					opensAt: new Date(now),
					closesAt: new Date(now + 7 * DAY),
					final: true,
				}),
			);
		const messages = (error: Awaited<ReturnType<typeof publish>>) => [
			translate('zh-CN', error.messageKey, error.params),
			translate('en', error.messageKey, error.params),
		];
		// No earlier version on notice at all (the coverage gate refuses too; notice is listed).
		const first = await draft(80);
		await t.db.execute(sql`delete from plan_versions where project_id = ${xubi} and number < 80`);
		const none = await publish(first.id);
		expect(none.messageKey).toBe('plans.gate.coverage');
		const gates = await finalPlanBlockers(t.db, { id: first.id, projectId: xubi, number: 80 });
		const notice = gates.find((g) => g.gate === 'notice')!;
		const text = (g: typeof notice) => {
			const { key, params } = blockerMessage(g);
			return [translate('zh-CN', key, params), translate('en', key, params)];
		};
		expect(text(notice)).toEqual([
			'方案须先公示征求意见至少 7 天，才能发布最终方案。',
			'A plan must first be on public notice for comment for at least 7 days before a final plan can be published.',
		]);
		// Version 80 on notice for three days so far; version 81 as final is refused for it.
		await t.db
			.update(s.planVersions)
			.set({
				status: 'open',
				commentOpensAt: new Date(now - 3 * DAY),
				commentClosesAt: new Date(now + 4 * DAY),
				publishedAt: new Date(now - 3 * DAY),
			})
			.where(eq(s.planVersions.id, first.id));
		const second = await draft(81);
		const short = (
			await finalPlanBlockers(t.db, { id: second.id, projectId: xubi, number: 81 })
		).find((g) => g.gate === 'notice')!;
		expect(text(short)).toEqual([
			'上一版方案（第 80 版）只公示了 3 天，不足 7 天（方案公示后才能确定最终方案），暂不能发布最终方案。',
			'The previous version (version 80) was on public notice for only 3 days, fewer than 7 (a final plan follows a public notice), so the final plan cannot be published yet.',
		]);
		// The district asks for three days: the notice is long enough now.
		await t.db.update(s.districts).set({ noticeDays: 3 });
		expect(
			(await finalPlanBlockers(t.db, { id: second.id, projectId: xubi, number: 81 })).map(
				(g) => g.gate,
			),
		).not.toContain('notice');
		await t.db.update(s.districts).set({ noticeDays: 7 });
		expect(messages(await publish(second.id))[0]).toContain('不足三分之二');
	});

	it('recomputes rounds counted under the old rule and publishes a correction naming each change', async () => {
		const { id: building, households } = buildings[2]!;
		const elevator = await menuId('多层住宅楼房增设电梯');
		const roundId = await specialRound(building, [elevator], '加装电梯（旧规则）');
		// As main stored it before: the elevator counted by simple majority.
		await t.db
			.update(s.roundItems)
			.set({ rule: 'simple_majority', specialMatter: false })
			.where(eq(s.roundItems.roundId, roundId));
		// Everyone takes part; 2 in 3 agree: a majority, but short of ¾.
		await vote(roundId, households, (i) => (i % 3 === 2 ? 'disagree' : 'agree'));
		await closeRound(t.db, moderator, roundId, CONFIRMED);
		await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		expect((await getPublishedResults(t.db, roundId))!.view.items[0]!.decisions[0]!.verdict).toBe(
			'approved',
		);

		await t.db.delete(s.dataMigrations).where(eq(s.dataMigrations.name, 'law_by_default'));
		await runDataMigrations(t.db);

		const round = (await loadRound(t.db, roundId))!;
		expect(round.items[0]).toMatchObject({
			rule: 'civil_code_three_quarters',
			specialMatter: true,
		});
		const corrected = (await getPublishedResults(t.db, roundId))!;
		expect(corrected.version).toBe(2);
		expect(corrected.note).toContain('重新计算，1 项结论有变化');
		expect(corrected.view.items[0]!.decisions[0]!.verdict).toBe('rejected');
		const audits = await queryRows<{ action: string; details: unknown; actor_kind: string }>(
			t.db,
			sql`select action, details, actor_kind from audit_log where target_type = 'round' and target_id = ${roundId} and actor_kind = 'system' order by id`,
		);
		expect(audits.map((a) => a.action)).toEqual([
			'round.rule_corrected',
			'round.results_published',
		]);
		const published = (
			typeof audits[1]!.details === 'string' ? JSON.parse(audits[1]!.details) : audits[1]!.details
		) as { changed: { where: string; from: string; to: string }[] };
		expect(published.changed).toEqual([
			{
				where: `item ${round.items[0]!.id} building ${building}`,
				from: 'approved',
				to: 'rejected',
			},
		]);
		expect((await verifyRound(t.db, round)).problems).toEqual([]);
		// Residents refused the elevator in that building; rounds already right stay untouched.
		expect((await listRefusedItems(t.db, dujuan)).map((r) => r.name)).toContain(
			'多层住宅楼房增设电梯',
		);
		const versions = await queryRows<{ round_id: number; n: number }>(
			t.db,
			sql`select round_id, count(*)::int as n from round_results group by round_id having count(*) > 1`,
		);
		expect(versions.map((v) => Number(v.round_id))).toEqual([roundId]);
		expect(
			await t.db
				.select()
				.from(s.dataMigrations)
				.where(and(eq(s.dataMigrations.name, 'law_by_default'))),
		).toHaveLength(1);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});
});
