import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import {
	followProject,
	listNotifications,
} from '../../../src/lib/server/notifications/commands.ts';
import { recordAcceptance, markDefectFixed } from '../../../src/lib/server/progress/acceptance.ts';
import { postProgressUpdate, setMilestone } from '../../../src/lib/server/progress/commands.ts';
import {
	announceMeeting,
	publishMinutes,
	rsvpMeeting,
} from '../../../src/lib/server/progress/meetings.ts';
import {
	getAcceptance,
	getProgressSummary,
	listItemProgress,
	listMeetings,
	listProgressUpdates,
} from '../../../src/lib/server/progress/queries.ts';
import { buildImage, buildPhoneJpeg, leakMarkers } from '../../factories/images.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject, xssBait } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject } from '../opinions/helpers.ts';

const file = (bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg') =>
	new File([bytes as Uint8Array<ArrayBuffer>], name, { type });
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe.each(drivers)('construction progress on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
	});
	afterAll(async () => t?.close());

	const officer = () => createStaffUser(t.db, { roles: ['officer'], projectIds: [project.id] });

	it('lists the items of the final plan, all not started at first', async () => {
		const items = await listItemProgress(t.db, project.id);
		expect(items.length).toBeGreaterThan(2);
		expect(items.every((i) => i.status === 'not_started' && i.percent === 0)).toBe(true);
		expect((await getProgressSummary(t.db, project.id)).overall).toBe(0);
	});

	it('posts an update with photos stripped of metadata and records only changed items', async () => {
		const staff = await officer();
		const [first, second, third] = await listItemProgress(t.db, project.id);
		const posted = await postProgressUpdate(t.db, staff, {
			projectId: project.id,
			body: `屋面防水完成一半 ${xssBait}`,
			bodyEn: 'Roofs half done',
			photos: [
				file(await buildPhoneJpeg({ width: 1200, height: 900 })),
				file(await buildImage('png', { width: 800, height: 600 }), 'b.png', 'image/png'),
			],
			items: [
				{
					itemId: first!.itemId,
					buildingId: first!.buildingId,
					status: 'in_progress',
					percent: 50,
					reason: '',
				},
				{
					itemId: second!.itemId,
					buildingId: second!.buildingId,
					status: 'done',
					percent: 10,
					reason: '',
				},
				{
					itemId: third!.itemId,
					buildingId: third!.buildingId,
					status: 'not_started',
					percent: 0,
					reason: '',
				},
			],
		});
		expect(posted.changed).toBe(2);
		const items = await listItemProgress(t.db, project.id);
		expect(items.find((i) => i.key === first!.key)).toMatchObject({
			status: 'in_progress',
			percent: 50,
		});
		// "done" is always 100 %, whatever was typed.
		expect(items.find((i) => i.key === second!.key)).toMatchObject({
			status: 'done',
			percent: 100,
		});
		const [update] = await listProgressUpdates(t.db, project.id);
		expect(update!.photos).toHaveLength(2);
		expect(update!.changes).toHaveLength(2);
		const [variant] = await t.db
			.select({ bytes: s.imageVariants.bytes })
			.from(s.imageVariants)
			.where(
				eq(
					s.imageVariants.imageId,
					(await t.db.select().from(s.progressPhotos).limit(1))[0]!.imageId,
				),
			)
			.limit(1);
		expect(Buffer.from(variant!.bytes).includes(Buffer.from(leakMarkers.make))).toBe(false);
	});

	it('refuses a dropped item without a reason, a foreign item and a stranger, storing nothing', async () => {
		const staff = await officer();
		const [first] = await listItemProgress(t.db, project.id);
		const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(s.progressUpdates);
		const base = { projectId: project.id, body: 'x', bodyEn: '', photos: [] };
		expect(
			(
				await reject(
					postProgressUpdate(t.db, staff, {
						...base,
						items: [
							{
								itemId: first!.itemId,
								buildingId: first!.buildingId,
								status: 'dropped',
								percent: 0,
								reason: '  ',
							},
						],
					}),
				)
			).messageKey,
		).toBe('progress.reasonRequired');
		expect(
			(
				await reject(
					postProgressUpdate(t.db, staff, {
						...base,
						items: [
							{ itemId: 999_999, buildingId: null, status: 'done', percent: 100, reason: '' },
						],
					}),
				)
			).messageKey,
		).toBe('progress.itemInvalid');
		expect(
			(
				await reject(
					postProgressUpdate(t.db, staff, {
						...base,
						items: [
							{
								itemId: first!.itemId,
								buildingId: first!.buildingId,
								status: 'in_progress',
								percent: 101,
								reason: '',
							},
						],
					}),
				)
			).messageKey,
		).toBe('progress.percentInvalid');
		const stranger = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		expect((await reject(postProgressUpdate(t.db, stranger, { ...base, items: [] }))).code).toBe(
			'not_found',
		);
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		expect((await reject(postProgressUpdate(t.db, moderator, { ...base, items: [] }))).code).toBe(
			'not_found',
		);
		const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(s.progressUpdates);
		expect(after).toEqual(before);
	});

	it('keeps a dropped item visible with its reason', async () => {
		const staff = await officer();
		const items = await listItemProgress(t.db, project.id);
		const last = items.at(-1)!;
		await postProgressUpdate(t.db, staff, {
			projectId: project.id,
			body: '居民不同意，不改造',
			bodyEn: '',
			photos: [],
			items: [
				{
					itemId: last.itemId,
					buildingId: last.buildingId,
					status: 'dropped',
					percent: 0,
					reason: '居民不同意',
				},
			],
		});
		expect((await listItemProgress(t.db, project.id)).at(-1)).toMatchObject({
			status: 'dropped',
			reason: '居民不同意',
		});
	});

	it('announces a milestone to followers once, and never to non-followers', async () => {
		const staff = await officer();
		const follower = await createResident(t.db);
		const stranger = await createResident(t.db);
		await followProject(t.db, follower.userId, project.id);
		const today = isoDay(Date.now());
		expect(
			(
				await setMilestone(t.db, staff, {
					projectId: project.id,
					kind: 'works_started',
					plannedOn: today,
					achievedOn: '',
				})
			).announced,
		).toBe(0);
		expect(
			(
				await setMilestone(t.db, staff, {
					projectId: project.id,
					kind: 'works_started',
					plannedOn: today,
					achievedOn: today,
				})
			).announced,
		).toBeGreaterThanOrEqual(1);
		// Correcting the date tells nobody again.
		expect(
			(
				await setMilestone(t.db, staff, {
					projectId: project.id,
					kind: 'works_started',
					plannedOn: today,
					achievedOn: isoDay(Date.now() - DAY),
				})
			).announced,
		).toBe(0);
		const mine = await listNotifications(t.db, follower.userId);
		expect(mine.items.map((n) => n.kind)).toEqual(['progress.milestone']);
		expect(mine.items[0]!.params).toMatchObject({ milestone: 'works_started', date: today });
		expect(mine.items[0]!.link).toBe('/p/hongyan/progress');
		expect((await listNotifications(t.db, stranger.userId)).items).toEqual([]);
		expect(
			(
				await reject(
					setMilestone(t.db, staff, {
						projectId: project.id,
						kind: 'works_completed',
						plannedOn: '',
						achievedOn: isoDay(Date.now() + 3 * DAY),
					}),
				)
			).messageKey,
		).toBe('progress.achievedInFuture');
		const summary = await getProgressSummary(t.db, project.id);
		expect(summary.milestones[0]).toMatchObject({ kind: 'works_started', plannedOn: today });
	});

	it('records the joint acceptance once with defects and scans, and sets its milestone', async () => {
		const staff = await officer();
		const follower = await createResident(t.db);
		await followProject(t.db, follower.userId, project.id);
		const heldOn = isoDay(Date.now() - DAY);
		const input = {
			projectId: project.id,
			heldOn,
			units: '区住建局\n施工单位\n\n监理单位',
			representatives: '3号楼 王阿姨\n5号楼 李师傅',
			outcome: 'passed_with_defects' as const,
			notes: xssBait,
			defects: `${isoDay(Date.now() + 30 * DAY)} 5号楼屋面局部渗水\n${isoDay(Date.now() + 10 * DAY)}，楼道扶手松动`,
			scans: [file(await buildImage('jpeg', { width: 1000, height: 1400 }), 'scan.jpg')],
		};
		expect(
			(await reject(recordAcceptance(t.db, staff, { ...input, defects: '明天 修好' }))).messageKey,
		).toBe('progress.defectLineInvalid');
		expect(
			(await reject(recordAcceptance(t.db, staff, { ...input, defects: '' }))).messageKey,
		).toBe('progress.defectsRequired');
		await recordAcceptance(t.db, staff, input);
		expect((await reject(recordAcceptance(t.db, staff, input))).code).toBe('conflict');
		const record = await getAcceptance(t.db, project.id);
		expect(record).toMatchObject({
			heldOn,
			outcome: 'passed_with_defects',
			units: '区住建局\n施工单位\n监理单位',
		});
		expect(record!.defects.map((d) => d.description)).toEqual([
			'楼道扶手松动',
			'5号楼屋面局部渗水',
		]);
		expect(record!.scans).toHaveLength(1);
		await markDefectFixed(t.db, staff, {
			defectId: record!.defects[0]!.id,
			fixedOn: isoDay(Date.now()),
		});
		expect((await getAcceptance(t.db, project.id))!.defects[0]!.fixedOn).toBe(isoDay(Date.now()));
		const [milestone] = await t.db
			.select()
			.from(s.milestones)
			.where(
				and(eq(s.milestones.projectId, project.id), eq(s.milestones.kind, 'joint_acceptance')),
			);
		expect(milestone!.achievedOn).toBe(heldOn);
		expect((await listNotifications(t.db, follower.userId)).items.map((n) => n.params)).toEqual([
			expect.objectContaining({ milestone: 'joint_acceptance' }),
		]);
		const audit = await queryRows<{ action: string }>(
			t.db,
			sql`select action from audit_log where action like 'progress.%' order by id`,
		);
		expect(audit.map((a) => a.action)).toContain('progress.acceptance_recorded');
	});

	it('announces a meeting, takes RSVPs until it starts, publishes minutes with meeting opinions', async () => {
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const resident = await createResident(t.db);
		const now = new Date();
		const startsAt = new Date(now.getTime() + 2 * DAY);
		expect(
			(
				await reject(
					announceMeeting(t.db, await officer(), {
						projectId: project.id,
						title: 'x',
						startsAt,
						place: 'y',
						agenda: '',
					}),
				)
			).code,
		).toBe('not_found');
		const { id } = await announceMeeting(t.db, committee, {
			projectId: project.id,
			title: `夜谈会 ${xssBait}`,
			startsAt,
			place: '社区活动室',
			agenda: '停车位划线',
		});
		await rsvpMeeting(t.db, resident, { meetingId: id, attending: true });
		await rsvpMeeting(t.db, resident, { meetingId: id, attending: true });
		let [meeting] = await listMeetings(t.db, project.id, resident.userId);
		expect(meeting).toMatchObject({ id, rsvps: 1, attending: true, minutesPublished: false });
		expect(
			(
				await reject(
					publishMinutes(t.db, committee, {
						meetingId: id,
						minutes: 'm',
						decisions: '',
						opinionsRaised: '',
					}),
				)
			).messageKey,
		).toBe('progress.meetingNotYet');
		const later = new Date(startsAt.getTime() + 3_600_000);
		expect(
			(await reject(rsvpMeeting(t.db, resident, { meetingId: id, attending: false }, later))).code,
		).toBe('closed');
		const result = await publishMinutes(
			t.db,
			committee,
			{
				meetingId: id,
				minutes: '讨论了停车位',
				decisions: '南侧划线',
				opinionsRaised: '希望增加充电桩\n\n希望保留树木',
				attendance: 23,
			},
			later,
		);
		expect(result.opinions).toBe(2);
		[meeting] = await listMeetings(t.db, project.id, null);
		expect(meeting).toMatchObject({
			minutes: '讨论了停车位',
			attendance: 23,
			minutesPublished: true,
			attending: false,
		});
		const raised = await t.db.select().from(s.opinions).where(eq(s.opinions.channel, 'meeting'));
		expect(raised.map((o) => o.body).sort()).toEqual(['希望保留树木', '希望增加充电桩']);
		expect(
			(
				await reject(
					publishMinutes(
						t.db,
						committee,
						{ meetingId: id, minutes: 'again', decisions: '', opinionsRaised: '' },
						later,
					),
				)
			).code,
		).toBe('conflict');
	});
});
