import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { seedDemoAftercare } from '../../../db/seed/aftercare.ts';
import { answerRepair } from '../../../src/lib/server/aftercare/index.ts';
import { listNotifications } from '../../../src/lib/server/notifications/commands.ts';
import { renderNotification } from '../../../src/lib/server/notifications/render.ts';
import { createStaffUser } from '../../factories/people.ts';
import { demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * A resident who reported a repair after handover (报修) is told when its state changes — being
 * handled, then closed — in their own language, with a link to the request (issue 23).
 */
describe.each(drivers)('repair request notifications on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		// The demo's 长效管理 compound: repair requests reported by two residents, two still open.
		await t.db.transaction((tx) => seedDemoAftercare(tx, { now: new Date() }));
	});
	afterAll(async () => t?.close());

	it('tells the reporter when the request is answered and when it is closed', async () => {
		const project = await demoProject(t.db, 'baisha-fuxing');
		const [request] = await t.db
			.select()
			.from(s.repairRequests)
			.where(
				and(
					eq(s.repairRequests.projectId, project.id),
					eq(s.repairRequests.status, 'open'),
					isNotNull(s.repairRequests.reporterId),
				),
			);
		expect(request).toBeTruthy();
		const reporter = request!.reporterId!;
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const before = (await listNotifications(t.db, reporter)).items.length;
		const everyone = (await t.db.select({ id: s.notifications.id }).from(s.notifications)).length;

		await answerRepair(t.db, moderator, {
			requestId: request!.id,
			answer: '施工单位已安排周三上门',
			close: false,
		});
		const {
			items: [answered],
		} = await listNotifications(t.db, reporter);
		expect(answered!.link).toBe(`/p/baisha-fuxing/repairs/${request!.id}`);
		expect(renderNotification('zh-CN', answered!)).toBe(
			'您在「白沙电厂宿舍、富兴堡二村连片改造」的报修有了答复，正在处理。',
		);
		expect(renderNotification('en', answered!)).toMatch(
			/^Your repair request on “[A-Z][^”]+” was answered and is being handled\.$/,
		);

		await answerRepair(t.db, moderator, {
			requestId: request!.id,
			answer: '已更换灯具，验收合格',
			close: true,
		});
		const { items: mine, unread } = await listNotifications(t.db, reporter);
		expect(unread).toBeGreaterThanOrEqual(2);
		expect(mine.length).toBe(before + 2);
		expect(renderNotification('zh-CN', mine[0]!)).toBe(
			'您在「白沙电厂宿舍、富兴堡二村连片改造」的报修已办结，请查看答复。',
		);
		expect(renderNotification('en', mine[0]!)).toMatch(/was closed; see the answer\.$/);

		// Nobody else hears of it: one new notification in all, the reporter's.
		expect((await t.db.select({ id: s.notifications.id }).from(s.notifications)).length).toBe(
			everyone + 2,
		);
	});
});
