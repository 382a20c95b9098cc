/**
 * Issue 21: moderation in one step — one answer to several opinions (each its own record,
 * audit entry and notification), approve-and-answer, what carries an adopted opinion ("adopted
 * means changed"), and the committee told of new opinions (notification, opt-in SMS digest).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import {
	getAnswerSheet,
	listAdoptedWithoutChange,
} from '../../../src/lib/server/moderation/answers.ts';
import {
	answerOpinion,
	answerOpinions,
} from '../../../src/lib/server/moderation/commands/answer.ts';
import {
	DIGEST_JOB,
	runModerationDigest,
	setModerationDigest,
} from '../../../src/lib/server/moderation/staff-notices.ts';
import { postOpinion } from '../../../src/lib/server/opinions/commands.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { createPlanItem, createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, reject, residentIn } from '../opinions/helpers.ts';
import { auditOf, opinionRow, sentencesOf } from './moderation-helpers.ts';

describe.each(drivers)('moderation in one step on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	let elsewhere: Awaited<ReturnType<typeof demoProject>>;
	let v1: Awaited<ReturnType<typeof createPlanVersion>>;
	let mine: StaffActor;
	let other: StaffActor;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
		elsewhere = await demoProject(t.db, 'jiangbin');
		v1 = await createPlanVersion(t.db, { projectId: project.id, status: 'closed' });
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

	const answersOf = (ids: number[]) =>
		t.db.select().from(s.opinionAnswers).where(inArray(s.opinionAnswers.opinionId, ids));

	it('gives one answer to two opinions: two answer records, two audit entries, two notifications', async () => {
		const a = await createResident(t.db);
		const b = await createResident(t.db);
		const first = await createOpinionRow(t.db, { planVersionId: v1.id, authorId: a.userId });
		const second = await createOpinionRow(t.db, { planVersionId: v1.id, authorId: b.userId });
		const done = await answerOpinions(t.db, mine, {
			ids: [String(second.id), String(first.id)],
			disposition: 'not_adopted',
			body: '楼间距不足，无法加装。',
		});
		expect(done).toMatchObject({ changed: 2, approved: 0 });
		const rows = await answersOf([first.id, second.id]);
		expect(rows).toHaveLength(2);
		expect(new Set(rows.map((r) => r.id)).size).toBe(2);
		expect(rows.every((r) => r.body === '楼间距不足，无法加装。')).toBe(true);
		for (const [opinion, author] of [
			[first, a],
			[second, b],
		] as const) {
			expect((await auditOf(t.db, opinion.id)).map((e) => e.action)).toEqual(['opinion.answered']);
			const link = `/p/hongyan/v/${v1.number}/answers#opinion-${opinion.id}`;
			expect(await sentencesOf(t.db, author.userId)).toEqual([
				['您对「红岩新村老旧小区改造」提的意见有了答复：不予采纳。', link],
			]);
			expect((await sentencesOf(t.db, author.userId, 'en')).map(([text]) => text)).toEqual([
				'Your opinion on “Hongyan New Village renovation” has an answer: Not adopted.',
			]);
		}
	});

	it('is all or nothing: another community’s opinion among the ids changes nothing', async () => {
		const theirs = await createPlanVersion(t.db, { projectId: elsewhere.id, status: 'closed' });
		const ours = await createOpinionRow(t.db, { planVersionId: v1.id });
		const foreign = await createOpinionRow(t.db, { planVersionId: theirs.id });
		const refused = await reject(
			answerOpinions(t.db, mine, {
				ids: [ours.id, foreign.id],
				disposition: 'noted',
				body: '',
			}),
		);
		expect(refused.code).toBe('not_found');
		expect(await answersOf([ours.id, foreign.id])).toEqual([]);
		expect(await auditOf(t.db, ours.id)).toEqual([]);
		const none = await reject(
			answerOpinions(t.db, other, { ids: [ours.id], disposition: 'noted', body: '' }),
		);
		expect(none.code).toBe('not_found');
	});

	it('approves a pending opinion and answers it in one step', async () => {
		const author = await createResident(t.db);
		const pending = await createOpinionRow(t.db, {
			planVersionId: v1.id,
			authorId: author.userId,
			state: 'pending',
		});
		const unpublished = await reject(
			answerOpinion(t.db, mine, { opinionId: pending.id, disposition: 'noted', body: '' }),
		);
		expect(unpublished.messageKey).toBe('moderation.answerUnpublished');
		const done = await answerOpinions(t.db, mine, {
			ids: [pending.id],
			disposition: 'noted',
			body: '已转物业公司。',
			approve: '1',
		});
		expect(done).toMatchObject({ changed: 1, approved: 1 });
		expect((await opinionRow(t.db, pending.id)).state).toBe('published');
		expect((await auditOf(t.db, pending.id)).map((e) => e.action)).toEqual([
			'opinion.approved',
			'opinion.answered',
		]);
		expect((await sentencesOf(t.db, author.userId)).map(([text]) => text)).toEqual([
			'您对「红岩新村老旧小区改造」提的意见已通过审核并公开。',
			'您对「红岩新村老旧小区改造」提的意见有了答复：已知悉。',
		]);
	});

	it('asks what carries an adopted opinion, lists the uncarried ones at publication, and links them publicly', async () => {
		const draft = await createPlanVersion(t.db, { projectId: project.id, status: 'draft' });
		const item = await createPlanItem(t.db, draft.id);
		const foreignDraft = await createPlanVersion(t.db, {
			projectId: elsewhere.id,
			status: 'draft',
		});
		const foreignItem = await createPlanItem(t.db, foreignDraft.id);
		const carried = await createOpinionRow(t.db, { planVersionId: v1.id });
		const later = await createOpinionRow(t.db, { planVersionId: v1.id });
		const notChosen = await reject(
			answerOpinion(t.db, mine, {
				opinionId: carried.id,
				disposition: 'adopted',
				body: '',
				carrier: 'choose',
			}),
		);
		expect(notChosen.messageKey).toBe('moderation.carrierRequired');
		const wrongProject = await reject(
			answerOpinion(t.db, mine, {
				opinionId: carried.id,
				disposition: 'adopted',
				body: '',
				carrier: `item:${foreignItem.id}`,
			}),
		);
		expect(wrongProject.messageKey).toBe('moderation.carrierInvalid');
		expect(await answersOf([carried.id])).toEqual([]);
		await answerOpinion(t.db, mine, {
			opinionId: carried.id,
			disposition: 'adopted',
			body: '下一版增设无障碍坡道。',
			carrier: `item:${item.id}`,
		});
		await answerOpinion(t.db, mine, {
			opinionId: later.id,
			disposition: 'partly_adopted',
			body: '',
			carrier: 'next',
		});
		const [stored] = await answersOf([carried.id]);
		expect(stored).toMatchObject({ carrierItemId: item.id, carrierChangeId: null });
		// The publish step of the draft lists what nothing carries yet: `later`, not `carried`.
		const unlinked = (await listAdoptedWithoutChange(t.db, draft.id)).map((o) => o.id);
		expect(unlinked).toContain(later.id);
		expect(unlinked).not.toContain(carried.id);
		// While the draft is not public, the sheet says "in the next version" for both.
		const before = await getAnswerSheet(t.db, 'hongyan', v1.number);
		const entry = (id: number) =>
			[...before!.entries.adopted, ...before!.entries.partly_adopted].find((e) => e.id === id);
		expect(entry(carried.id)?.carrier).toEqual({ kind: 'next' });
		await t.db
			.update(s.planVersions)
			.set({
				status: 'open',
				publishedAt: new Date(),
				commentOpensAt: new Date(),
				commentClosesAt: new Date(Date.now() + 7 * 86_400_000),
			})
			.where(eq(s.planVersions.id, draft.id));
		const after = await getAnswerSheet(t.db, 'hongyan', v1.number);
		const shown = after!.entries.adopted.find((e) => e.id === carried.id);
		expect(shown?.carrier).toMatchObject({
			kind: 'item',
			versionNumber: draft.number,
			href: `/p/hongyan/v/${draft.number}#items`,
		});
		expect(after!.entries.partly_adopted.find((e) => e.id === later.id)?.carrier).toEqual({
			kind: 'next',
		});
	});

	it('tells the community’s moderators of a new opinion, and sends the opted-in one a daily SMS digest', async () => {
		const dujuan = await demoProject(t.db, 'dujuan');
		const version = await createPlanVersion(t.db, { projectId: dujuan.id });
		const watcher = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [dujuan.communityId],
		});
		const quiet = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [dujuan.communityId],
		});
		await t.db
			.update(s.users)
			.set({ phone: '+8615805980990' })
			.where(eq(s.users.id, watcher.userId));
		await setModerationDigest(t.db, watcher, { on: true });
		const author = await residentIn(t.db, dujuan.compoundIds[0]!);
		const posted = await postOpinion(t.db, author, {
			planVersionId: version.id,
			alignment: 'object',
			body: '停车位太少，希望增加。',
		});
		for (const staff of [watcher, quiet]) {
			expect(await sentencesOf(t.db, staff.userId)).toContainEqual([
				'「杜鹃新村老旧小区改造」收到一条新意见，请及时审核和答复。',
				`/staff/moderation/${posted.id}`,
			]);
		}
		expect(await sentencesOf(t.db, other.userId)).toEqual([]);
		const digests = await t.db
			.select()
			.from(s.jobs)
			.where(and(eq(s.jobs.kind, DIGEST_JOB), eq(s.jobs.state, 'queued')));
		expect(digests.map((j) => j.payload)).toEqual([{ userId: watcher.userId }]);
		expect(digests[0]!.runAt.getUTCHours()).toBe(10); // 18:00 China time
		await runModerationDigest(t.db, { userId: watcher.userId });
		const [digest] = (await sentencesOf(t.db, watcher.userId)).filter(([text]) =>
			text!.startsWith('今日摘要'),
		);
		expect(digest?.[0]).toMatch(/^今日摘要：您负责的社区有 \d+ 条意见待审核，\d+ 条意见待答复。$/);
		const sms = await t.db
			.select({ kind: s.notifications.kind, state: s.notificationDeliveries.state })
			.from(s.notificationDeliveries)
			.innerJoin(s.notifications, eq(s.notifications.id, s.notificationDeliveries.notificationId))
			.where(eq(s.notifications.userId, watcher.userId));
		expect(sms).toEqual([{ kind: 'moderation.digest', state: 'queued' }]);
	});
});
