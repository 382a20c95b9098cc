import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { deleteMyAccount } from '../../../src/lib/server/account/commands.ts';
import {
	postOpinion,
	reportOpinion,
	toggleMeToo,
} from '../../../src/lib/server/opinions/commands.ts';
import { listOpinions } from '../../../src/lib/server/opinions/queries.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import {
	createPlanItem,
	createPlanVersion,
	createRendering,
	demoProject,
	setCommentWindow,
	xssBait,
} from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, reject, residentIn } from './helpers.ts';

const HOUR = 3_600_000;

describe.each(drivers)('writing opinions on %s', (driver) => {
	let t: TestDatabase;
	let hongyan: Awaited<ReturnType<typeof demoProject>>;
	let dujuan: Awaited<ReturnType<typeof demoProject>>;
	let version: Awaited<ReturnType<typeof createPlanVersion>>;
	const opinionCount = async () => (await t.db.select({ n: count() }).from(s.opinions))[0]!.n;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		hongyan = await demoProject(t.db, 'hongyan');
		dujuan = await demoProject(t.db, 'dujuan');
		version = await createPlanVersion(t.db, { projectId: hongyan.id });
	});
	afterAll(async () => t?.close());

	it('publishes at once on a post-moderated project, signed "N号楼住户" from the household', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!);
		const created = await postOpinion(t.db, author, {
			planVersionId: version.id,
			alignment: 'support',
			body: '  楼道灯\t\t太暗，\r\n\r\n\r\n希望更换。  ',
		});
		expect(created.state).toBe('published');
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, created.id));
		expect(row).toMatchObject({
			body: '楼道灯 太暗，\n\n希望更换。',
			alignment: 'support',
			householdId: author.memberships[0]!.householdId,
			authorBuilding: author.memberships[0]!.buildingNumber,
			channel: 'online',
			parentId: null,
		});
		const page = await listOpinions(t.db, null, { planVersionId: version.id });
		const shown = page.items.find((o) => o.id === created.id)!;
		expect(shown.author).toEqual({
			key: 'resident.label',
			params: { building: author.memberships[0]!.buildingNumber },
		});
		const [user] = await t.db.select().from(s.users).where(eq(s.users.id, author.userId));
		const json = JSON.stringify(page);
		expect(json).not.toContain(user!.phone!);
		expect(json).not.toContain(author.userId);
	});

	it('signs a resident without a household in the project as "居民", and a deleted one as "已注销用户"', async () => {
		const outsider = await createResident(t.db);
		const other = await residentIn(t.db, dujuan.compoundIds[0]!);
		const a = await postOpinion(t.db, outsider, {
			planVersionId: version.id,
			alignment: 'neutral',
			body: '外来居民的意见',
		});
		const b = await postOpinion(t.db, other, {
			planVersionId: version.id,
			alignment: 'object',
			body: '另一个小区的居民',
		});
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, b.id));
		expect(row).toMatchObject({ householdId: null, authorBuilding: '' });
		await deleteMyAccount(t.db, outsider);
		const page = await listOpinions(t.db, null, { planVersionId: version.id });
		expect(page.items.find((o) => o.id === a.id)!.author).toEqual({ key: 'resident.deleted' });
		expect(page.items.find((o) => o.id === b.id)!.author).toEqual({
			key: 'opinions.author.resident',
		});
	});

	it('refuses visitors and staff, and stores nothing', async () => {
		const before = await opinionCount();
		const input = { planVersionId: version.id, alignment: 'support' as const, body: '工作人员' };
		expect((await reject(postOpinion(t.db, null, input))).code).toBe('unauthenticated');
		const staff = await createStaffUser(t.db, { roles: ['admin'] });
		expect((await reject(postOpinion(t.db, staff, input))).code).toBe('forbidden');
		expect(await opinionCount()).toBe(before);
	});

	it('enforces the window on the server: [opens, closes), nothing stored outside it', async () => {
		const opens = new Date(Date.now() + 2 * HOUR);
		const closes = new Date(Date.now() + 5 * HOUR);
		const later = await createPlanVersion(t.db, {
			projectId: hongyan.id,
			opensAt: opens,
			closesAt: closes,
		});
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 1);
		const post = (body: string, now: Date) =>
			postOpinion(t.db, author, { planVersionId: later.id, alignment: 'neutral', body }, now);
		const before = await opinionCount();
		const early = await reject(post('早了一毫秒', new Date(opens.getTime() - 1)));
		expect([early.code, early.messageKey]).toEqual(['closed', 'opinions.notOpenYet']);
		const late = await reject(post('正好截止', closes));
		expect([late.code, late.messageKey]).toEqual(['closed', 'opinions.closed']);
		expect(await opinionCount()).toBe(before);
		await post('刚刚开始', opens);
		await post('最后一毫秒', new Date(closes.getTime() - 1));
		expect(await opinionCount()).toBe(before + 2);
		// Closed by staff before its end date: closed too.
		await setCommentWindow(t.db, later.id, { opensAt: opens, closesAt: closes, status: 'closed' });
		expect((await reject(post('已关闭', opens))).code).toBe('closed');
		// A draft is not public: it does not exist for residents.
		const draft = await createPlanVersion(t.db, { projectId: hongyan.id, status: 'draft' });
		const hidden = await reject(
			postOpinion(t.db, author, { planVersionId: draft.id, alignment: 'neutral', body: '草稿' }),
		);
		expect(hidden.code).toBe('not_found');
		expect(
			(
				await reject(
					postOpinion(t.db, author, { planVersionId: 999_999, alignment: 'neutral', body: 'x' }),
				)
			).code,
		).toBe('not_found');
	});

	it('accepts renderings and items of the version only, one target at a time', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 2);
		const rendering = await createRendering(t.db, version.id);
		const item = await createPlanItem(t.db, version.id);
		const elsewhere = await createPlanVersion(t.db, { projectId: dujuan.id });
		const foreign = await createRendering(t.db, elsewhere.id);
		const base = { planVersionId: version.id, alignment: 'object' as const };
		const onRendering = await postOpinion(t.db, author, {
			...base,
			renderingId: rendering.id,
			body: '效果图',
		});
		const onItem = await postOpinion(t.db, author, { ...base, planItemId: item.id, body: '项目' });
		const rows = await t.db
			.select({ id: s.opinions.id, r: s.opinions.renderingId, i: s.opinions.planItemId })
			.from(s.opinions)
			.where(eq(s.opinions.authorId, author.userId));
		expect(rows).toEqual(
			expect.arrayContaining([
				{ id: onRendering.id, r: rendering.id, i: null },
				{ id: onItem.id, r: null, i: item.id },
			]),
		);
		const wrong = await reject(
			postOpinion(t.db, author, { ...base, renderingId: foreign.id, body: '别的方案' }),
		);
		expect([wrong.code, wrong.messageKey]).toEqual(['invalid', 'opinions.targetInvalid']);
		const both = await reject(
			postOpinion(t.db, author, {
				...base,
				renderingId: rendering.id,
				planItemId: item.id,
				body: '两个目标',
			}),
		);
		expect(both.messageKey).toBe('opinions.targetInvalid');
	});

	it('keeps replies one level deep, on the same version, under its target', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 3);
		const replier = await residentIn(t.db, hongyan.compoundIds[0]!, 4);
		const rendering = await createRendering(t.db, version.id);
		const top = await postOpinion(t.db, author, {
			planVersionId: version.id,
			renderingId: rendering.id,
			alignment: 'support',
			body: '主意见',
		});
		const reply = await postOpinion(t.db, replier, {
			planVersionId: version.id,
			parentId: top.id,
			alignment: 'neutral',
			body: '回复',
		});
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, reply.id));
		expect(row).toMatchObject({ parentId: top.id, renderingId: rendering.id });
		const deep = await reject(
			postOpinion(t.db, author, {
				planVersionId: version.id,
				parentId: reply.id,
				alignment: 'neutral',
				body: '回复的回复',
			}),
		);
		expect([deep.code, deep.messageKey]).toEqual(['invalid', 'opinions.replyDepth']);
		const other = await createPlanVersion(t.db, { projectId: dujuan.id });
		const across = await reject(
			postOpinion(t.db, author, {
				planVersionId: other.id,
				parentId: top.id,
				alignment: 'neutral',
				body: '跨版本回复',
			}),
		);
		expect(across.code).toBe('not_found');
		const page = await listOpinions(t.db, null, {
			planVersionId: version.id,
			target: { renderingId: rendering.id },
		});
		expect(page.items.map((o) => o.id)).toEqual([top.id]);
		expect(page.items[0]!.replies.map((o) => o.id)).toEqual([reply.id]);
	});

	it('refuses the same text twice from one author on one version, even when raced', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 5);
		const input = { planVersionId: version.id, alignment: 'support' as const, body: '同样的话' };
		await postOpinion(t.db, author, input);
		const again = await reject(postOpinion(t.db, author, { ...input, body: '  同样的话\n' }));
		expect([again.code, again.messageKey]).toEqual(['conflict', 'opinions.duplicate']);
		// Someone else may say the same thing, and so may the author on another version.
		await postOpinion(t.db, await residentIn(t.db, hongyan.compoundIds[0]!, 6), input);
		const next = await createPlanVersion(t.db, { projectId: hongyan.id });
		await postOpinion(t.db, author, { ...input, planVersionId: next.id });
		const racer = await residentIn(t.db, hongyan.compoundIds[0]!, 7);
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, () => postOpinion(t.db, racer, { ...input, body: '并发相同' })),
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const stored = await t.db
			.select({ n: count() })
			.from(s.opinions)
			.where(and(eq(s.opinions.authorId, racer.userId), eq(s.opinions.body, '并发相同')));
		expect(stored[0]!.n).toBe(1);
	});

	it('limits a resident to 10 opinions in 10 minutes', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 8);
		const now = new Date(Math.floor(Date.now() / 600_000) * 600_000 + 1000);
		for (let i = 0; i < 10; i++)
			await postOpinion(
				t.db,
				author,
				{ planVersionId: version.id, alignment: 'neutral', body: `第 ${i} 条` },
				now,
			);
		const error = await reject(
			postOpinion(
				t.db,
				author,
				{ planVersionId: version.id, alignment: 'neutral', body: '第 11 条' },
				now,
			),
		);
		expect(error.code).toBe('rate_limited');
		expect(error.retryAfter).toBeGreaterThan(0);
	});

	it('keeps opinions on a pre-moderated project pending, visible to their author only', async () => {
		const open = await createPlanVersion(t.db, { projectId: dujuan.id });
		const author = await residentIn(t.db, dujuan.compoundIds[0]!);
		const neighbour = await residentIn(t.db, dujuan.compoundIds[0]!, 1);
		const published = await createOpinionRow(t.db, {
			planVersionId: open.id,
			alignment: 'support',
		});
		const created = await postOpinion(t.db, author, {
			planVersionId: open.id,
			alignment: 'object',
			body: '待审核的意见',
		});
		expect(created.state).toBe('pending');
		const mine = await listOpinions(t.db, author, { planVersionId: open.id });
		expect(mine.items.map((o) => [o.id, o.awaitingReview, o.mine])).toEqual([
			[created.id, true, true],
			[published.id, false, false],
		]);
		for (const viewer of [neighbour, null]) {
			const page = await listOpinions(t.db, viewer, { planVersionId: open.id });
			expect(page.items.map((o) => o.id)).toEqual([published.id]);
			expect(page.total).toBe(1);
		}
		// Counts are public: only what is published.
		expect(mine.counts).toEqual({ support: 1, object: 0, neutral: 0, total: 1 });
		// Nobody replies to, backs or reports an opinion that is not public.
		expect(
			(
				await reject(
					postOpinion(t.db, neighbour, {
						planVersionId: open.id,
						parentId: created.id,
						alignment: 'neutral',
						body: '回复待审核',
					}),
				)
			).code,
		).toBe('not_found');
		expect((await reject(toggleMeToo(t.db, neighbour, created.id))).code).toBe('not_found');
		expect(
			(await reject(reportOpinion(t.db, neighbour, { opinionId: created.id, reason: 'spam' })))
				.code,
		).toBe('not_found');
	});

	it('stores XSS bait verbatim (it is escaped where shown, never filtered)', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 9);
		const created = await postOpinion(t.db, author, {
			planVersionId: version.id,
			alignment: 'neutral',
			body: xssBait,
		});
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, created.id));
		expect(row!.body).toBe(xssBait);
	});
});
