/**
 * What a resident reads on /account/notifications after the committee acts (issue 17 item 4):
 * each test goes through the real commands and reads the notifications the way the page does
 * (listNotifications + renderNotification), in both languages, with the link they lead to.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { castBallot, enterPaperBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import { closeRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { answerOpinion } from '../../../src/lib/server/moderation/commands/answer.ts';
import { moderateOpinion } from '../../../src/lib/server/moderation/commands/moderate.ts';
import { listNotifications } from '../../../src/lib/server/notifications/commands.ts';
import { renderNotification } from '../../../src/lib/server/notifications/render.ts';
import { postOpinion } from '../../../src/lib/server/opinions/commands.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	allChoices,
	buildPaperPhoto,
	createMember,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { residentIn } from '../opinions/helpers.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

const DUJUAN = { zh: '杜鹃新村老旧小区改造', en: 'Dujuan New Village renovation' };
const HONGYAN = { zh: '红岩新村老旧小区改造', en: 'Hongyan New Village renovation' };

describe.each(drivers)('what residents read in their notifications on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: Awaited<ReturnType<typeof demoProject>>;
	let hongyan: Awaited<ReturnType<typeof demoProject>>;
	let dujuanV: { id: number; number: number };
	let hongyanV: { id: number; number: number };
	let hongyanStaff: StaffActor;
	let households: Households;

	/** The resident's notifications as /account/notifications shows them, newest first. */
	const read = async (userId: string) =>
		(await listNotifications(t.db, userId)).items.map((n) => ({
			zh: renderNotification('zh-CN', n),
			en: renderNotification('en', n),
			link: n.link,
		}));

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, households } = await setUpDujuan(t.db));
		dujuan = await demoProject(t.db, 'dujuan');
		hongyan = await demoProject(t.db, 'hongyan');
		expect([dujuan.moderation, hongyan.moderation]).toEqual(['pre', 'post']);
		dujuanV = await createPlanVersion(t.db, { projectId: dujuan.id });
		hongyanV = await createPlanVersion(t.db, { projectId: hongyan.id });
		hongyanStaff = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [hongyan.communityId],
		});
	});
	afterAll(async () => t?.close());

	it('tells the author their opinion is published, hidden and public again, by name', async () => {
		const author = await residentIn(t.db, dujuan.compoundIds[0]!, 0);
		const { id, state } = await postOpinion(t.db, author, {
			planVersionId: dujuanV.id,
			alignment: 'support',
			body: '希望在3号楼前加装休息座椅。',
		});
		expect(state).toBe('pending');
		expect(await read(author.userId)).toEqual([]);

		await moderateOpinion(t.db, moderator, { opinionId: id, op: 'approve' });
		const link = `/p/dujuan/v/${dujuanV.number}#opinion-${id}`;
		expect(await read(author.userId)).toEqual([
			{
				zh: `您对「${DUJUAN.zh}」提的意见已通过审核并公开。`,
				en: `Your opinion on “${DUJUAN.en}” was approved and published.`,
				link,
			},
		]);

		await moderateOpinion(t.db, moderator, { opinionId: id, op: 'hide', reason: '含有门牌号' });
		await moderateOpinion(t.db, moderator, { opinionId: id, op: 'restore' });
		expect((await read(author.userId)).slice(0, 2)).toEqual([
			{
				zh: `您对「${DUJUAN.zh}」提的意见已恢复公开。`,
				en: `Your opinion on “${DUJUAN.en}” is public again.`,
				link,
			},
			{
				zh: `您对「${DUJUAN.zh}」提的意见已被隐藏，原因：含有门牌号`,
				en: `Your opinion on “${DUJUAN.en}” was hidden: 含有门牌号`,
				link,
			},
		]);
	});

	it('tells the author of the answer: the project, the disposition, and where to read it', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 0);
		const { id } = await postOpinion(t.db, author, {
			planVersionId: hongyanV.id,
			alignment: 'object',
			body: '加装电梯会挡住一楼采光。',
		});
		await answerOpinion(t.db, hongyanStaff, {
			opinionId: id,
			disposition: 'partly_adopted',
			body: '电梯井改用玻璃幕墙，减少遮挡。',
		});
		const link = `/p/hongyan/v/${hongyanV.number}/answers#opinion-${id}`;
		expect(await read(author.userId)).toEqual([
			{
				zh: `您对「${HONGYAN.zh}」提的意见有了答复：部分采纳。`,
				en: `Your opinion on “${HONGYAN.en}” has an answer: Partly adopted.`,
				link,
			},
		]);
		await answerOpinion(t.db, hongyanStaff, {
			opinionId: id,
			disposition: 'adopted',
			body: '电梯井改用玻璃幕墙，并移到北侧。',
		});
		expect((await read(author.userId))[0]).toEqual({
			zh: `您对「${HONGYAN.zh}」提的意见，答复有更新：采纳。`,
			en: `The answer to your opinion on “${HONGYAN.en}” was updated: Adopted.`,
			link,
		});
	});

	it('tells the author of a reply when it is public, never of their own', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 1);
		const neighbour = await residentIn(t.db, hongyan.compoundIds[0]!, 2);
		const { id } = await postOpinion(t.db, author, {
			planVersionId: hongyanV.id,
			alignment: 'support',
			body: '希望增加电动车充电桩。',
		});
		await postOpinion(t.db, author, {
			planVersionId: hongyanV.id,
			parentId: id,
			alignment: 'neutral',
			body: '补充：最好装在车棚里。',
		});
		expect(await read(author.userId)).toEqual([]);
		const reply = await postOpinion(t.db, neighbour, {
			planVersionId: hongyanV.id,
			parentId: id,
			alignment: 'support',
			body: '同意，车棚旁边有空地。',
		});
		expect(await read(author.userId)).toEqual([
			{
				zh: `有居民回复了您对「${HONGYAN.zh}」提的意见。`,
				en: `A resident replied to your opinion on “${HONGYAN.en}”.`,
				link: `/p/hongyan/v/${hongyanV.number}#opinion-${reply.id}`,
			},
		]);
	});

	it('tells the author of a pre-moderated reply only once the committee approves it', async () => {
		const author = await residentIn(t.db, dujuan.compoundIds[0]!, 1);
		const neighbour = await residentIn(t.db, dujuan.compoundIds[0]!, 2);
		const top = await postOpinion(t.db, author, {
			planVersionId: dujuanV.id,
			alignment: 'support',
			body: '楼道灯希望换成声控灯。',
		});
		await moderateOpinion(t.db, moderator, { opinionId: top.id, op: 'approve' });
		const reply = await postOpinion(t.db, neighbour, {
			planVersionId: dujuanV.id,
			parentId: top.id,
			alignment: 'support',
			body: '声控灯对老人很方便。',
		});
		expect(reply.state).toBe('pending');
		expect((await read(author.userId)).map((n) => n.en)).toEqual([
			`Your opinion on “${DUJUAN.en}” was approved and published.`,
		]);
		await moderateOpinion(t.db, moderator, { opinionId: reply.id, op: 'approve' });
		expect((await read(author.userId))[0]).toEqual({
			zh: `有居民回复了您对「${DUJUAN.zh}」提的意见。`,
			en: `A resident replied to your opinion on “${DUJUAN.en}”.`,
			link: `/p/dujuan/v/${dujuanV.number}#opinion-${reply.id}`,
		});
		expect((await read(neighbour.userId))[0]?.zh).toBe(
			`您对「${DUJUAN.zh}」提的意见已通过审核并公开。`,
		);
	});

	it('tells every member of each household that took part, online or on paper, of the results and of a correction', async () => {
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan.id,
			itemIds: await menuItemIds(t.db, 2),
			title: '楼道改造意见征询',
			titleEn: 'Stairwell consultation',
		});
		const ids = (await loadRound(t.db, roundId))!.items.map((i) => i.id);
		const [online, paper, silent] = households.slice(20, 23);
		const voter = await createMember(t.db, moderator, online!.id, 'owner');
		const family = await createMember(t.db, moderator, online!.id, 'family');
		const paperMember = await createMember(t.db, moderator, paper!.id, 'owner');
		const silentMember = await createMember(t.db, moderator, silent!.id, 'owner');
		await castBallot(t.db, voter, {
			roundId,
			householdId: online!.id,
			choices: allChoices(ids, 'agree'),
			comment: '',
		});
		await enterPaperBallot(t.db, moderator, {
			roundId,
			householdId: paper!.id,
			choices: allChoices(ids, 'disagree'),
			comment: '老人不会用手机，入户填写',
			filledAt: toChinaLocalInput(new Date(Date.now() - 600_000)),
			photo: await buildPaperPhoto(3),
		});
		await closeRound(t.db, moderator, roundId, CONFIRMED);
		const before = new Map(
			await Promise.all(
				[voter, family, paperMember, silentMember].map(
					async (r) => [r.userId, (await read(r.userId)).length] as const,
				),
			),
		);
		const newSince = async (userId: string) =>
			(await read(userId)).slice(0, (await read(userId)).length - before.get(userId)!);

		await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		const published = {
			zh: `「${DUJUAN.zh}」公布了「楼道改造意见征询」的结果，您家参加了这次征询。`,
			en: `“${DUJUAN.en}” published the results of “Stairwell consultation”, in which your household took part.`,
			link: `/rounds/${roundId}/results`,
		};
		for (const resident of [voter, family, paperMember])
			expect(await newSince(resident.userId)).toEqual([published]);
		expect(await newSince(silentMember.userId)).toEqual([]);

		await publishResults(t.db, moderator, {
			roundId,
			note: '更正：补录一份纸质表决单',
			confirm: true,
		});
		const corrected = {
			zh: `「${DUJUAN.zh}」更正了「楼道改造意见征询」的结果（第 2 版）。`,
			en: `“${DUJUAN.en}” corrected the results of “Stairwell consultation” (version 2).`,
			link: `/rounds/${roundId}/results`,
		};
		for (const resident of [voter, family, paperMember])
			expect(await newSince(resident.userId)).toEqual([corrected, published]);
		expect(await newSince(silentMember.userId)).toEqual([]);
	});
	it('fills in the project of notifications stored without one (migration 0031)', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 3);
		// As moderation and answers wrote them before: no project among the params.
		await t.db.insert(s.notifications).values([
			{
				userId: author.userId,
				kind: 'opinion.approved',
				params: { opinionId: 1, reason: '' },
				link: '/p/hongyan/v/1#opinion-1',
				projectId: hongyan.id,
			},
			{
				userId: author.userId,
				kind: 'opinion.answered',
				params: { opinionId: 1, disposition: 'adopted' },
				link: '/p/hongyan/v/1#opinion-1',
				projectId: hongyan.id,
			},
		]);
		expect((await read(author.userId)).map((n) => n.zh)).toEqual([
			'您对「」提的意见有了答复：采纳。',
			'您对「」提的意见已通过审核并公开。',
		]);
		const migration = await readFile(
			new URL('../../../db/migrations/0031_notification_project_names.sql', import.meta.url),
			'utf8',
		);
		await t.db.execute(sql.raw(migration));
		expect(await read(author.userId)).toEqual([
			{
				zh: `您对「${HONGYAN.zh}」提的意见有了答复：采纳。`,
				en: `Your opinion on “${HONGYAN.en}” has an answer: Adopted.`,
				link: '/p/hongyan/v/1#opinion-1',
			},
			{
				zh: `您对「${HONGYAN.zh}」提的意见已通过审核并公开。`,
				en: `Your opinion on “${HONGYAN.en}” was approved and published.`,
				link: '/p/hongyan/v/1#opinion-1',
			},
		]);
	});
});
