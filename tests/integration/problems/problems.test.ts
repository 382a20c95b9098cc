import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { listNotifications } from '../../../src/lib/server/notifications/commands.ts';
import {
	closeProblem,
	dispatchProblem,
	reportProblem,
} from '../../../src/lib/server/problems/commands.ts';
import {
	getProblemForViewer,
	listMyProblems,
	listProblemsForStaff,
	problemStats,
} from '../../../src/lib/server/problems/queries.ts';
import { buildImage, buildPhoneJpeg, leakMarkers } from '../../factories/images.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject, xssBait } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject } from '../opinions/helpers.ts';

const file = (bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg') =>
	new File([bytes as Uint8Array<ArrayBuffer>], name, { type });
const units = ['construction', 'pipeline', 'property'];
const isoDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const HOUR = 3_600_000;

describe.each(drivers)('construction problem reports on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
	});
	afterAll(async () => t?.close());

	const count = async () =>
		(await t.db.select({ n: sql<number>`count(*)::int` }).from(s.problemReports))[0]!.n;

	it('takes a report with up to three photos, stripped of metadata; refuses bad ones storing nothing', async () => {
		const resident = await createResident(t.db);
		const before = await count();
		const photo = file(await buildPhoneJpeg({ width: 1200, height: 900 }));
		const input = {
			projectId: project.id,
			body: `楼道管线破损 ${xssBait}`,
			place: '3单元楼道',
			photos: [photo],
		};
		expect((await reject(reportProblem(t.db, null, input))).code).toBe('unauthenticated');
		const staff = await createStaffUser(t.db, { roles: ['admin'] });
		expect((await reject(reportProblem(t.db, staff, input))).code).toBe('forbidden');
		expect(
			(
				await reject(
					reportProblem(t.db, resident, { ...input, photos: [photo, photo, photo, photo] }),
				)
			).messageKey,
		).toBe('problems.tooManyPhotos');
		expect(
			(await reject(reportProblem(t.db, resident, { ...input, buildingId: 999_999 }))).messageKey,
		).toBe('problems.buildingInvalid');
		expect(
			(
				await reject(
					reportProblem(t.db, resident, {
						...input,
						photos: [file(new TextEncoder().encode('not an image'), 'x.jpg')],
					}),
				)
			).code,
		).toBe('invalid');
		const liexi = await demoProject(t.db, 'liexi');
		expect(
			(await reject(reportProblem(t.db, resident, { ...input, projectId: liexi.id }))).code,
		).toBe('closed');
		expect(await count()).toBe(before);
		const { id } = await reportProblem(t.db, resident, input);
		const view = await getProblemForViewer(t.db, resident, id);
		expect(view).toMatchObject({ status: 'open', place: '3单元楼道', mine: true });
		expect(view!.photos).toHaveLength(1);
		const [variant] = await t.db
			.select()
			.from(s.imageVariants)
			.where(
				eq(
					s.imageVariants.imageId,
					(await t.db.select().from(s.problemPhotos).limit(1))[0]!.imageId,
				),
			);
		expect(Buffer.from(variant!.bytes).includes(Buffer.from(leakMarkers.serial))).toBe(false);
	});

	it('shows a report to its reporter and the community committee only', async () => {
		const reporter = await createResident(t.db);
		const { id } = await reportProblem(t.db, reporter, {
			projectId: project.id,
			body: '噪音',
			place: '',
			photos: [],
		});
		const neighbour = await createResident(t.db);
		const ours = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const theirs = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId + 1],
		});
		expect(await getProblemForViewer(t.db, neighbour, id)).toBeNull();
		expect(await getProblemForViewer(t.db, null, id)).toBeNull();
		expect(await getProblemForViewer(t.db, theirs, id)).toBeNull();
		expect((await getProblemForViewer(t.db, ours, id))!.mine).toBe(false);
		expect((await listProblemsForStaff(t.db, ours)).map((p) => p.id)).toContain(id);
		expect(await listProblemsForStaff(t.db, theirs)).toEqual([]);
		expect(await listMyProblems(t.db, neighbour.userId, project.id)).toEqual([]);
		expect(
			(
				await reject(
					dispatchProblem(
						t.db,
						theirs,
						{ reportId: id, unit: 'pipeline', dueOn: isoDay(Date.now()) },
						{ units },
					),
				)
			).code,
		).toBe('not_found');
	});

	it('dispatches and closes with an answer and photo, notifying the reporter; stats with a median', async () => {
		const reporter = await createResident(t.db);
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const now = Date.now();
		const { id } = await reportProblem(t.db, reporter, {
			projectId: project.id,
			body: '井盖松动',
			place: '南门',
			photos: [],
		});
		expect(
			(
				await reject(
					dispatchProblem(
						t.db,
						committee,
						{ reportId: id, unit: 'water', dueOn: isoDay(now) },
						{ units },
					),
				)
			).messageKey,
		).toBe('problems.unitInvalid');
		expect(
			(
				await reject(
					dispatchProblem(
						t.db,
						committee,
						{ reportId: id, unit: 'pipeline', dueOn: isoDay(now - 48 * HOUR) },
						{ units },
					),
				)
			).messageKey,
		).toBe('problems.dueInvalid');
		await dispatchProblem(
			t.db,
			committee,
			{ reportId: id, unit: 'pipeline', dueOn: isoDay(now + 72 * HOUR) },
			{ units },
		);
		await closeProblem(
			t.db,
			committee,
			{
				reportId: id,
				answer: '已更换井盖',
				photo: [
					file(await buildImage('webp', { width: 640, height: 480 }), 'a.webp', 'image/webp'),
				],
			},
			new Date(now + 30 * HOUR),
		);
		expect(
			(await reject(closeProblem(t.db, committee, { reportId: id, answer: 'again', photo: [] })))
				.code,
		).toBe('conflict');
		const view = await getProblemForViewer(t.db, reporter, id);
		expect(view).toMatchObject({ status: 'closed', unit: 'pipeline', answer: '已更换井盖' });
		expect(view!.answerPhoto).not.toBeNull();
		const kinds = (await listNotifications(t.db, reporter.userId)).items.map((n) => n.kind);
		expect(kinds).toEqual(['problem.closed', 'problem.dispatched']);
		// A second report closed straight away by the committee (no dispatch first).
		const other = await reportProblem(t.db, reporter, {
			projectId: project.id,
			body: '围挡倒了',
			place: '',
			photos: [],
		});
		await closeProblem(
			t.db,
			committee,
			{ reportId: other.id, answer: '已扶正', photo: [] },
			new Date(now + 10 * HOUR),
		);
		const stats = await problemStats(t.db, project.id);
		expect(stats.closed).toBe(2);
		expect(stats.open + stats.dispatched).toBeGreaterThanOrEqual(1);
		expect(stats.medianToClose).toEqual({ unit: 'hours', value: 20 });
	});

	it('limits how many reports one resident sends in an hour', async () => {
		const resident = await createResident(t.db);
		for (let i = 0; i < 5; i++)
			await reportProblem(t.db, resident, {
				projectId: project.id,
				body: `问题 ${i}`,
				place: '',
				photos: [],
			});
		expect(
			(
				await reject(
					reportProblem(t.db, resident, {
						projectId: project.id,
						body: '第六个',
						place: '',
						photos: [],
					}),
				)
			).code,
		).toBe('rate_limited');
	});
});
