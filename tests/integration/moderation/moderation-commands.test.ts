import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { blockAuthor, liftBlock } from '../../../src/lib/server/moderation/commands/block.ts';
import {
	bulkModerate,
	moderateOpinion,
} from '../../../src/lib/server/moderation/commands/moderate.ts';
import {
	addSensitiveWord,
	removeSensitiveWord,
} from '../../../src/lib/server/moderation/commands/words.ts';
import { listQueue } from '../../../src/lib/server/moderation/queries.ts';
import { chinaDay } from '../../../src/lib/china-time.ts';
import { postOpinion, reportOpinion } from '../../../src/lib/server/opinions/commands.ts';
import { listOpinions } from '../../../src/lib/server/opinions/queries.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, reject, residentIn } from '../opinions/helpers.ts';
import { auditOf, flagRow, opinionRow, sentencesOf } from './moderation-helpers.ts';

describe.each(drivers)('moderation commands on %s', (driver) => {
	let t: TestDatabase;
	let dujuan: Awaited<ReturnType<typeof demoProject>>;
	let hongyan: Awaited<ReturnType<typeof demoProject>>;
	let jiangbin: Awaited<ReturnType<typeof demoProject>>;
	let dujuanV: number;
	let hongyanV: number;
	let jiangbinV: number;
	let mine: StaffActor;
	let other: StaffActor;
	let admin: StaffActor;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		dujuan = await demoProject(t.db, 'dujuan');
		hongyan = await demoProject(t.db, 'hongyan');
		jiangbin = await demoProject(t.db, 'jiangbin');
		expect(dujuan.moderation).toBe('pre');
		expect(jiangbin.communityId).not.toBe(dujuan.communityId);
		dujuanV = (await createPlanVersion(t.db, { projectId: dujuan.id })).id;
		hongyanV = (await createPlanVersion(t.db, { projectId: hongyan.id })).id;
		jiangbinV = (await createPlanVersion(t.db, { projectId: jiangbin.id })).id;
		mine = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [dujuan.communityId],
		});
		other = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [jiangbin.communityId],
		});
		admin = await createStaffUser(t.db, { roles: ['admin'] });
	});
	afterAll(async () => t?.close());

	it('queues a pre-moderated opinion for its own community only, then approves it', async () => {
		const author = await residentIn(t.db, dujuan.compoundIds[0]!);
		const posted = await postOpinion(t.db, author, {
			planVersionId: dujuanV,
			alignment: 'neutral',
			body: '希望增加休息座椅。',
		});
		expect(posted.state).toBe('pending');
		expect(await flagRow(t.db, posted.id)).toMatchObject({
			cause: 'premoderation',
			communityId: dujuan.communityId,
			resolvedAt: null,
		});
		const queued = await listQueue(t.db, mine, { status: 'open' });
		expect(queued.items.map((i) => i.id)).toContain(posted.id);
		expect((await listQueue(t.db, admin, { status: 'open' })).items.map((i) => i.id)).toContain(
			posted.id,
		);
		expect((await listQueue(t.db, other, { status: 'open' })).items.map((i) => i.id)).not.toContain(
			posted.id,
		);
		// The public does not see it yet; its author does, awaiting review.
		const visitor = await listOpinions(t.db, null, { planVersionId: dujuanV });
		expect(visitor.items.map((o) => o.id)).not.toContain(posted.id);

		// A moderator of another community: as if it did not exist, and nothing changes.
		const refused = await reject(
			moderateOpinion(t.db, other, { opinionId: posted.id, op: 'approve' }),
		);
		expect(refused.code).toBe('not_found');
		expect((await opinionRow(t.db, posted.id)).state).toBe('pending');
		expect(await auditOf(t.db, posted.id)).toEqual([]);

		expect(await moderateOpinion(t.db, mine, { opinionId: posted.id, op: 'approve' })).toEqual({
			state: 'published',
		});
		expect((await flagRow(t.db, posted.id))?.resolvedBy).toBe(mine.userId);
		expect((await listQueue(t.db, mine, { status: 'open' })).items.map((i) => i.id)).not.toContain(
			posted.id,
		);
		const shown = await listOpinions(t.db, null, { planVersionId: dujuanV });
		expect(shown.items.map((o) => o.id)).toContain(posted.id);
		expect(await sentencesOf(t.db, author.userId, 'en')).toEqual([
			[
				'Your opinion on “Dujuan New Village renovation” was approved and published.',
				expect.stringMatching(new RegExp(`^/p/dujuan/v/\\d+#opinion-${posted.id}$`)),
			],
		]);
		expect(await auditOf(t.db, posted.id)).toEqual([
			expect.objectContaining({
				action: 'opinion.approved',
				actorId: mine.userId,
				actorKind: 'staff',
				communityId: dujuan.communityId,
				details: { from: 'pending', to: 'published' },
			}),
		]);
		// Approving again does not apply.
		const again = await reject(
			moderateOpinion(t.db, mine, { opinionId: posted.id, op: 'approve' }),
		);
		expect([again.code, again.messageKey]).toEqual(['conflict', 'moderation.notApplicable']);
	});

	it('hides with a reason the public sees in place, restores, and audits both', async () => {
		const author = await createResident(t.db);
		const opinion = await createOpinionRow(t.db, {
			planVersionId: hongyanV,
			authorId: author.userId,
			body: '电话 13900000000 找王某',
		});
		const noReason = await reject(
			moderateOpinion(t.db, mine, { opinionId: opinion.id, op: 'hide' }),
		);
		expect([noReason.code, noReason.messageKey]).toEqual(['invalid', 'moderation.reasonRequired']);
		await moderateOpinion(t.db, mine, { opinionId: opinion.id, op: 'hide', reason: '含个人信息' });
		expect(await opinionRow(t.db, opinion.id)).toMatchObject({
			state: 'hidden',
			stateReason: '含个人信息',
			body: '电话 13900000000 找王某',
		});
		const publicView = (await listOpinions(t.db, null, { planVersionId: hongyanV })).items.find(
			(o) => o.id === opinion.id,
		)!;
		expect(publicView.body).toBe('');
		expect(publicView.moderation.notice).toEqual({ kind: 'hidden', reason: '含个人信息' });
		expect(JSON.stringify(publicView)).not.toContain('13900000000');
		const authorView = (await listOpinions(t.db, author, { planVersionId: hongyanV })).items.find(
			(o) => o.id === opinion.id,
		)!;
		expect(authorView.body).toBe('电话 13900000000 找王某');

		await moderateOpinion(t.db, mine, { opinionId: opinion.id, op: 'restore' });
		expect(await opinionRow(t.db, opinion.id)).toMatchObject({
			state: 'published',
			stateReason: '',
		});
		expect((await auditOf(t.db, opinion.id)).map((a) => [a.action, a.details])).toEqual([
			['opinion.hidden', { from: 'published', to: 'hidden', reason: '含个人信息' }],
			['opinion.restored', { from: 'hidden', to: 'published' }],
		]);
		expect((await sentencesOf(t.db, author.userId)).map(([text]) => text)).toEqual([
			'您对「红岩新村老旧小区改造」提的意见已被隐藏，原因：含个人信息',
			'您对「红岩新村老旧小区改造」提的意见已恢复公开。',
		]);
	});

	it('rejects: the author alone sees it with the reason', async () => {
		const author = await residentIn(t.db, dujuan.compoundIds[0]!, 1);
		const posted = await postOpinion(t.db, author, {
			planVersionId: dujuanV,
			alignment: 'object',
			body: '广告：低价装修请联系。',
		});
		await moderateOpinion(t.db, mine, { opinionId: posted.id, op: 'reject', reason: '广告' });
		expect(
			(await listOpinions(t.db, null, { planVersionId: dujuanV })).items.map((o) => o.id),
		).not.toContain(posted.id);
		const own = (await listOpinions(t.db, author, { planVersionId: dujuanV })).items.find(
			(o) => o.id === posted.id,
		)!;
		expect(own.moderation.notice).toEqual({ kind: 'rejected', reason: '广告' });
		expect(own.body).toBe('广告：低价装修请联系。');
	});

	it('refuses a blocked resident with the end date, in the blocking community only, until lifted', async () => {
		const author = await createResident(t.db);
		const first = await postOpinion(t.db, author, {
			planVersionId: hongyanV,
			alignment: 'object',
			body: '第一次发言',
		});
		const now = new Date();
		const { blockId, endsAt } = await blockAuthor(
			t.db,
			mine,
			{ opinionId: first.id, days: 7, reason: '多次发布广告' },
			now,
		);
		expect(endsAt.getTime() - now.getTime()).toBe(7 * 86_400_000);
		const refused = await reject(
			postOpinion(
				t.db,
				author,
				{ planVersionId: hongyanV, alignment: 'neutral', body: '被暂停后再发' },
				new Date(now.getTime() + 86_400_000),
			),
		);
		expect([refused.code, refused.messageKey, refused.params]).toEqual([
			'forbidden',
			'moderation.blocked',
			{ date: chinaDay(endsAt) },
		]);
		expect(refused.params!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		// Another community's projects are not affected.
		const elsewhere = await postOpinion(t.db, author, {
			planVersionId: jiangbinV,
			alignment: 'neutral',
			body: '在江滨的意见',
		});
		expect(elsewhere.state).toBe('published');
		// Another community's moderator can neither block nor lift.
		expect(
			(await reject(blockAuthor(t.db, other, { opinionId: first.id, days: 1, reason: 'x' }))).code,
		).toBe('not_found');
		expect((await reject(liftBlock(t.db, other, { blockId }))).code).toBe('not_found');
		await liftBlock(t.db, mine, { blockId });
		const again = await postOpinion(t.db, author, {
			planVersionId: hongyanV,
			alignment: 'neutral',
			body: '解除后再发',
		});
		expect(again.state).toBe('published');
		const actions = (
			await t.db
				.select({ action: s.auditLog.action })
				.from(s.auditLog)
				.where(eq(s.auditLog.actorId, mine.userId))
		).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['resident.blocked', 'resident.unblocked']));
	});

	it('sends a sensitive-word match to the queue even in a post-moderated project', async () => {
		const refused = await reject(addSensitiveWord(t.db, mine, { pattern: '傻逼' }));
		expect(refused.code).toBe('forbidden');
		const { id } = await addSensitiveWord(t.db, admin, { pattern: '傻逼' });
		const twin = await reject(addSensitiveWord(t.db, admin, { pattern: '傻 逼' }));
		expect([twin.code, twin.messageKey]).toEqual(['conflict', 'moderation.wordExists']);
		const author = await createResident(t.db);
		const posted = await postOpinion(t.db, author, {
			planVersionId: hongyanV,
			alignment: 'object',
			body: '设计的人是 傻 逼 吗',
		});
		expect(posted.state).toBe('pending');
		expect(await flagRow(t.db, posted.id)).toMatchObject({ cause: 'words', matched: ['傻逼'] });
		const byWords = await listQueue(t.db, mine, { status: 'open', reason: 'words' });
		expect(byWords.items.map((i) => i.id)).toEqual([posted.id]);
		expect(byWords.items[0]!.flag?.matched).toEqual(['傻逼']);
		await removeSensitiveWord(t.db, admin, { id });
		const clean = await postOpinion(t.db, author, {
			planVersionId: hongyanV,
			alignment: 'object',
			body: '傻逼设计',
		});
		expect(clean.state).toBe('published');
	});

	it('hides an opinion pending review after three distinct reporters, counting from the last review', async () => {
		const author = await createResident(t.db);
		const opinion = await createOpinionRow(t.db, {
			planVersionId: hongyanV,
			authorId: author.userId,
		});
		const reporters = await Promise.all([1, 2, 3, 4, 5].map(() => createResident(t.db)));
		await reportOpinion(t.db, reporters[0]!, { opinionId: opinion.id, reason: 'spam' });
		await reportOpinion(t.db, reporters[1]!, { opinionId: opinion.id, reason: 'abusive' });
		expect((await opinionRow(t.db, opinion.id)).state).toBe('published');
		const queued = await listQueue(t.db, mine, { status: 'open', reason: 'spam' });
		expect(queued.items.find((i) => i.id === opinion.id)).toMatchObject({
			reports: { spam: 1, abusive: 1 },
			reportCount: 2,
			flag: { cause: 'reports', open: true },
		});
		await reportOpinion(t.db, reporters[2]!, { opinionId: opinion.id, reason: 'spam' });
		expect(await opinionRow(t.db, opinion.id)).toMatchObject({ state: 'hidden', stateReason: '' });
		expect(await auditOf(t.db, opinion.id)).toEqual([
			expect.objectContaining({
				action: 'opinion.auto_hidden',
				actorKind: 'system',
				actorId: null,
				details: { reporters: 3, threshold: 3 },
			}),
		]);
		// It disappears for the public; its author sees it held.
		expect(
			(await listOpinions(t.db, null, { planVersionId: hongyanV })).items.map((o) => o.id),
		).not.toContain(opinion.id);
		const own = (await listOpinions(t.db, author, { planVersionId: hongyanV })).items.find(
			(o) => o.id === opinion.id,
		);
		expect(own?.moderation.notice).toEqual({ kind: 'held' });
		// The committee finds it fine: published again, and the old reports no longer count.
		await moderateOpinion(t.db, mine, { opinionId: opinion.id, op: 'approve' });
		expect((await sentencesOf(t.db, author.userId, 'en')).map(([text]) => text)).toEqual([
			'Your opinion on “Hongyan New Village renovation” is public again.',
		]);
		await reportOpinion(t.db, reporters[3]!, { opinionId: opinion.id, reason: 'other' });
		await reportOpinion(t.db, reporters[4]!, { opinionId: opinion.id, reason: 'other' });
		expect((await opinionRow(t.db, opinion.id)).state).toBe('published');
		expect((await flagRow(t.db, opinion.id))?.resolvedAt).toBeNull();
	});

	it('applies a bulk decision all or nothing, skipping what was already decided', async () => {
		const authors = await Promise.all(
			[0, 1, 2].map((n) => residentIn(t.db, dujuan.compoundIds[0]!, 10 + n)),
		);
		const ids: number[] = [];
		for (const [n, author] of authors.entries())
			ids.push(
				(
					await postOpinion(t.db, author, {
						planVersionId: dujuanV,
						alignment: 'support',
						body: `批量审核 ${n}`,
					})
				).id,
			);
		const foreign = await createOpinionRow(t.db, { planVersionId: jiangbinV });
		const refused = await reject(
			bulkModerate(t.db, mine, { ids: [...ids, foreign.id], op: 'approve' }),
		);
		expect(refused.code).toBe('not_found');
		for (const id of ids) expect((await opinionRow(t.db, id)).state).toBe('pending');
		await moderateOpinion(t.db, mine, { opinionId: ids[0]!, op: 'approve' });
		expect(await bulkModerate(t.db, mine, { ids, op: 'approve' })).toEqual({
			changed: 2,
			skipped: 1,
		});
		for (const id of ids) expect((await opinionRow(t.db, id)).state).toBe('published');
		const hidden = await bulkModerate(t.db, mine, { ids, op: 'hide', reason: '与方案无关' });
		expect(hidden).toEqual({ changed: 3, skipped: 0 });
		const [audits] = await t.db
			.select({ n: count() })
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'opinion.hidden'));
		expect(audits!.n).toBeGreaterThanOrEqual(3);
		const noReason = await reject(bulkModerate(t.db, mine, { ids, op: 'reject' }));
		expect(noReason.code).toBe('invalid');
	});

	it('filters the queue by project, state and age', async () => {
		const old = await createOpinionRow(t.db, {
			planVersionId: hongyanV,
			createdAt: new Date(Date.now() - 10 * 86_400_000),
			state: 'rejected',
			stateReason: '旧的',
		});
		const byState = await listQueue(t.db, mine, { status: 'rejected', projectId: hongyan.id });
		expect(byState.items.map((i) => i.id)).toContain(old.id);
		expect(byState.items.every((i) => i.state === 'rejected' && i.project.id === hongyan.id)).toBe(
			true,
		);
		const aged = await listQueue(t.db, mine, { status: 'all', olderThanDays: 7 });
		expect(aged.items.map((i) => i.id)).toEqual([old.id]);
		const otherProject = await listQueue(t.db, mine, { status: 'all', projectId: dujuan.id });
		expect(otherProject.items.map((i) => i.id)).not.toContain(old.id);
		expect((await listQueue(t.db, other, { status: 'all', projectId: hongyan.id })).total).toBe(0);
	});
});

describe.runIf(process.env.TEST_DATABASE_URL)('concurrent reports on the real server', () => {
	let t: TestDatabase;
	let versionId: number;
	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		versionId = (
			await createPlanVersion(t.db, { projectId: (await demoProject(t.db, 'hongyan')).id })
		).id;
	});
	afterAll(async () => t?.close());

	it('counts a resident reporting many times at once as one reporter', async () => {
		const opinion = await createOpinionRow(t.db, { planVersionId: versionId });
		const [a, b] = await Promise.all([createResident(t.db), createResident(t.db)]);
		const attempts = await Promise.allSettled(
			[a, a, a, a, a, b, b, b, b, b].map((r) =>
				reportOpinion(t.db, r!, { opinionId: opinion.id, reason: 'spam' }),
			),
		);
		expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		const [reports] = await t.db
			.select({ n: count() })
			.from(s.opinionReports)
			.where(eq(s.opinionReports.opinionId, opinion.id));
		expect(reports!.n).toBe(2);
		// Two distinct reporters stay under the threshold of three.
		expect((await opinionRow(t.db, opinion.id)).state).toBe('published');
	});

	it('crosses the threshold exactly once when many residents report at the same moment', async () => {
		const opinion = await createOpinionRow(t.db, { planVersionId: versionId });
		const residents = await Promise.all(Array.from({ length: 12 }, () => createResident(t.db)));
		const results = await Promise.allSettled(
			residents.map((r) => reportOpinion(t.db, r, { opinionId: opinion.id, reason: 'abusive' })),
		);
		// Once hidden, later reports find no published opinion (not_found): at least three landed.
		expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(3);
		expect((await opinionRow(t.db, opinion.id)).state).toBe('hidden');
		const hides = (await auditOf(t.db, opinion.id)).filter(
			(a) => a.action === 'opinion.auto_hidden',
		);
		expect(hides).toHaveLength(1);
	});
});
