import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { answerOpinion } from '../../../src/lib/server/moderation/commands/answer.ts';
import { moderateOpinion } from '../../../src/lib/server/moderation/commands/moderate.ts';
import { recordOfflineOpinion } from '../../../src/lib/server/moderation/commands/offline.ts';
import {
	answerSummary,
	getAnswerSheet,
	listUnanswered,
} from '../../../src/lib/server/moderation/answers.ts';
import { getModerationItem } from '../../../src/lib/server/moderation/queries.ts';
import { waitingDays } from '../../../src/lib/server/moderation/rules.ts';
import { listOpinions } from '../../../src/lib/server/opinions/queries.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, reject } from '../opinions/helpers.ts';
import { auditOf, sentencesOf } from './moderation-helpers.ts';

const DAY = 86_400_000;

describe.each(drivers)('official answers and offline opinions on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	let elsewhere: Awaited<ReturnType<typeof demoProject>>;
	let v1: Awaited<ReturnType<typeof createPlanVersion>>;
	let v2: Awaited<ReturnType<typeof createPlanVersion>>;
	let mine: StaffActor;
	let other: StaffActor;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
		elsewhere = await demoProject(t.db, 'jiangbin');
		v1 = await createPlanVersion(t.db, { projectId: project.id, status: 'closed' });
		v2 = await createPlanVersion(t.db, { projectId: project.id });
		mine = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		other = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [elsewhere.communityId],
		});
	});
	afterAll(async () => t?.close());

	it('answers, revises with every revision kept, and shows the answer under the opinion as edited', async () => {
		const author = await createResident(t.db);
		const opinion = await createOpinionRow(t.db, { planVersionId: v1.id, authorId: author.userId });
		const noReason = await reject(
			answerOpinion(t.db, mine, { opinionId: opinion.id, disposition: 'not_adopted', body: '' }),
		);
		expect([noReason.code, noReason.messageKey]).toEqual([
			'invalid',
			'moderation.answerReasonRequired',
		]);
		const refused = await reject(
			answerOpinion(t.db, other, { opinionId: opinion.id, disposition: 'noted', body: '' }),
		);
		expect(refused.code).toBe('not_found');
		const first = await answerOpinion(t.db, mine, {
			opinionId: opinion.id,
			disposition: 'not_adopted',
			body: '受消防通道限制，无法增设。',
		});
		expect(first).toMatchObject({ revision: 1, changed: true });
		const unchanged = await answerOpinion(t.db, mine, {
			opinionId: opinion.id,
			disposition: 'not_adopted',
			body: '受消防通道限制，无法增设。',
		});
		expect(unchanged).toMatchObject({ revision: 1, changed: false });
		const second = await answerOpinion(t.db, mine, {
			opinionId: opinion.id,
			disposition: 'partly_adopted',
			body: '改在北侧增设一处。',
		});
		expect(second).toMatchObject({ answerId: first.answerId, revision: 2, changed: true });
		const revisions = await t.db
			.select({
				revision: s.opinionAnswerRevisions.revision,
				disposition: s.opinionAnswerRevisions.disposition,
			})
			.from(s.opinionAnswerRevisions)
			.where(eq(s.opinionAnswerRevisions.answerId, first.answerId))
			.orderBy(asc(s.opinionAnswerRevisions.revision));
		expect(revisions).toEqual([
			{ revision: 1, disposition: 'not_adopted' },
			{ revision: 2, disposition: 'partly_adopted' },
		]);
		const shown = (await listOpinions(t.db, null, { planVersionId: v1.id })).items.find(
			(o) => o.id === opinion.id,
		)!;
		expect(shown.moderation.answer).toMatchObject({
			disposition: 'partly_adopted',
			body: '改在北侧增设一处。',
			revision: 2,
			edited: true,
		});
		const answers = `/p/hongyan/v/${v1.number}/answers#opinion-${opinion.id}`;
		expect(await sentencesOf(t.db, author.userId)).toEqual([
			['您对「红岩新村老旧小区改造」提的意见有了答复：不予采纳。', answers],
			['您对「红岩新村老旧小区改造」提的意见，答复有更新：部分采纳。', answers],
		]);
		expect((await sentencesOf(t.db, author.userId, 'en')).map(([text]) => text)).toEqual([
			'Your opinion on “Hongyan New Village renovation” has an answer: Not adopted.',
			'The answer to your opinion on “Hongyan New Village renovation” was updated: Partly adopted.',
		]);
		expect((await auditOf(t.db, opinion.id)).map((a) => a.action)).toEqual([
			'opinion.answered',
			'opinion.answer_revised',
		]);
		const item = await getModerationItem(t.db, mine, opinion.id);
		expect(item?.answer?.revisions.map((r) => r.revision)).toEqual([2, 1]);
		expect(await getModerationItem(t.db, other, opinion.id)).toBeNull();
	});

	it('answers only published top-level opinions', async () => {
		const parent = await createOpinionRow(t.db, { planVersionId: v1.id });
		const reply = await createOpinionRow(t.db, { planVersionId: v1.id, parentId: parent.id });
		const pending = await createOpinionRow(t.db, { planVersionId: v1.id, state: 'pending' });
		const r1 = await reject(
			answerOpinion(t.db, mine, { opinionId: reply.id, disposition: 'noted' }),
		);
		expect(r1.messageKey).toBe('moderation.answerReply');
		const r2 = await reject(
			answerOpinion(t.db, mine, { opinionId: pending.id, disposition: 'noted' }),
		);
		expect(r2.messageKey).toBe('moderation.answerUnpublished');
		await moderateOpinion(t.db, mine, { opinionId: pending.id, op: 'approve' });
		expect(
			(await answerOpinion(t.db, mine, { opinionId: pending.id, disposition: 'noted' })).changed,
		).toBe(true);
	});

	it('builds the "you said, we did" sheet: counts, changes in later versions, reasons', async () => {
		const adopted = await createOpinionRow(t.db, { planVersionId: v1.id, body: '增加充电棚' });
		const notAdopted = await createOpinionRow(t.db, { planVersionId: v1.id, body: '拆除围墙' });
		await createOpinionRow(t.db, { planVersionId: v1.id, body: '还没答复' });
		await answerOpinion(t.db, mine, {
			opinionId: adopted.id,
			disposition: 'adopted',
			body: '已采纳',
		});
		await answerOpinion(t.db, mine, {
			opinionId: notAdopted.id,
			disposition: 'not_adopted',
			body: '围墙属于相邻单位。',
		});
		const [change] = await t.db
			.insert(s.planChanges)
			.values({ planVersionId: v2.id, text: '充电棚增加到 3 处。', textEn: 'Three shelters.' })
			.returning();
		await t.db.insert(s.planChangeOpinions).values({ changeId: change!.id, opinionId: adopted.id });
		const sheet = (await getAnswerSheet(t.db, 'hongyan', v1.number))!;
		expect(sheet.received).toBe(
			sheet.counts.adopted +
				sheet.counts.partly_adopted +
				sheet.counts.not_adopted +
				sheet.counts.noted +
				sheet.unanswered,
		);
		expect(sheet.unanswered).toBeGreaterThanOrEqual(1);
		expect(sheet.entries.adopted.find((e) => e.id === adopted.id)?.changes).toEqual([
			{ versionNumber: v2.number, text: '充电棚增加到 3 处。', textEn: 'Three shelters.' },
		]);
		expect(sheet.entries.not_adopted.find((e) => e.id === notAdopted.id)?.answer.body).toBe(
			'围墙属于相邻单位。',
		);
		const draft = await createPlanVersion(t.db, { projectId: project.id, status: 'draft' });
		expect(await getAnswerSheet(t.db, 'hongyan', draft.number)).toBeNull();
	});

	it('records an offline opinion for a household, dated, counted and answerable like the rest', async () => {
		const [household] = await t.db
			.select({ id: s.households.id, building: s.buildings.number })
			.from(s.households)
			.innerJoin(s.buildings, eq(s.buildings.id, s.households.buildingId))
			.where(eq(s.households.compoundId, project.compoundIds[0]!))
			.limit(1);
		const [outsider] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.where(eq(s.households.compoundId, elsewhere.compoundIds[0]!))
			.limit(1);
		const now = new Date();
		const day = (offset: number) =>
			new Date(now.getTime() + 8 * 3_600_000 + offset * DAY).toISOString().slice(0, 10);
		const input = {
			planVersionId: v2.id,
			householdId: household!.id,
			channel: 'meeting' as const,
			receivedOn: day(-3),
			alignment: 'object' as const,
			body: '夜谈会上提出：停车位不够。',
		};
		expect(
			(await reject(recordOfflineOpinion(t.db, mine, { ...input, receivedOn: day(2) }))).messageKey,
		).toBe('moderation.dateInvalid');
		expect(
			(await reject(recordOfflineOpinion(t.db, mine, { ...input, householdId: outsider!.id })))
				.messageKey,
		).toBe('moderation.householdInvalid');
		expect((await reject(recordOfflineOpinion(t.db, other, input))).code).toBe('not_found');
		const { id } = await recordOfflineOpinion(t.db, mine, input, now);
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, id));
		expect(row).toMatchObject({
			state: 'published',
			channel: 'meeting',
			householdId: household!.id,
			authorBuilding: household!.building,
			authorId: null,
		});
		const noon = new Date(`${day(-3)}T12:00:00+08:00`);
		expect(row!.createdAt.getTime()).toBe(noon.getTime());
		const [offline] = await t.db
			.select()
			.from(s.offlineOpinions)
			.where(eq(s.offlineOpinions.opinionId, id));
		expect(offline).toMatchObject({ recordedBy: mine.userId, receivedOn: day(-3) });
		expect((await auditOf(t.db, id)).map((a) => a.action)).toEqual(['opinion.recorded_offline']);
		const unanswered = await listUnanswered(t.db, mine, now);
		expect(unanswered.find((u) => u.id === id)?.waitingDays).toBe(waitingDays(noon, now));
		expect((await answerOpinion(t.db, mine, { opinionId: id, disposition: 'noted' })).changed).toBe(
			true,
		);
		expect((await listUnanswered(t.db, mine, now)).map((u) => u.id)).not.toContain(id);
	});

	it('lists unanswered opinions oldest first and summarises per community with the median', async () => {
		const fresh = await createTestDatabase(driver, { seed: true });
		try {
			const p = await demoProject(fresh.db, 'hongyan');
			const v = await createPlanVersion(fresh.db, { projectId: p.id });
			const staff = await createStaffUser(fresh.db, {
				roles: ['moderator'],
				communityIds: [p.communityId],
			});
			const now = Date.now();
			const made = [];
			for (const age of [10, 2, 6, 4]) {
				made.push(
					await createOpinionRow(fresh.db, {
						planVersionId: v.id,
						createdAt: new Date(now - age * DAY),
					}),
				);
			}
			// Answered after 1 and 3 days: the median is 2.
			await answerOpinion(
				fresh.db,
				staff,
				{ opinionId: made[0]!.id, disposition: 'noted' },
				new Date(now - 9 * DAY),
			);
			await answerOpinion(
				fresh.db,
				staff,
				{ opinionId: made[2]!.id, disposition: 'noted' },
				new Date(now - 3 * DAY),
			);
			const list = await listUnanswered(fresh.db, staff, new Date(now));
			expect(list.map((u) => [u.id, u.waitingDays])).toEqual([
				[made[3]!.id, 4],
				[made[1]!.id, 2],
			]);
			const summary = await answerSummary(fresh.db, staff);
			expect(summary).toEqual([
				expect.objectContaining({
					communityId: p.communityId,
					received: 4,
					answered: 2,
					medianDays: 2,
				}),
			]);
		} finally {
			await fresh.close();
		}
	});
});
