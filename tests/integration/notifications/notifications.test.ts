import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type DatabaseHandle } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { devSender, type SmsSender } from '../../../src/lib/server/auth/sms.ts';
import { claimJobs } from '../../../src/lib/server/jobs/store.ts';
import { runDueJobs, type RunOptions } from '../../../src/lib/server/jobs/queue.ts';
import {
	followHouseholdProjects,
	followProject,
	listNotifications,
	markAllRead,
	notify,
	notifyHouseholds,
	setSmsOptIn,
	unfollowProject,
} from '../../../src/lib/server/notifications/commands.ts';
import { getFollow, unreadBadgeCount } from '../../../src/lib/server/notifications/queries.ts';
import { deliverSms, SMS_JOB } from '../../../src/lib/server/notifications/sms.ts';
import { bindHousehold, issueHouseholdCodes } from '../../../src/lib/server/households/commands.ts';
import { postOpinion } from '../../../src/lib/server/opinions/commands.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { residentIn } from '../opinions/helpers.ts';

const quiet = { error: () => {}, warn: () => {} } as unknown as NonNullable<RunOptions['log']>;
const options = { origin: 'https://gj.example', perDay: 3 };
const roundOpened = (projectId: number) => ({
	kind: 'round.opened' as const,
	params: {
		project: '红岩新村',
		projectEn: 'Hongyan',
		title: '方案意见',
		titleEn: 'Plan opinions',
		deadline: '2026-05-01T10:00:00.000Z',
	},
	link: '/rounds/7',
	projectId,
});

async function outboxFor(db: TestDatabase['db'], phone: string) {
	return db.select().from(s.smsOutbox).where(eq(s.smsOutbox.phone, phone));
}

describe.each(drivers)('notifications on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
	});
	afterAll(async () => t?.close());

	it('notifies the bound members of the given households only (scopes)', async () => {
		const compound = project.compoundIds[0]!;
		const a1 = await residentIn(t.db, compound, 0);
		const [a2] = await t.db
			.insert(s.users)
			.values({ id: crypto.randomUUID(), kind: 'resident', phone: '+8613900009901' })
			.returning();
		await t.db
			.insert(s.memberships)
			.values({ userId: a2!.id, householdId: a1.memberships[0]!.householdId, relation: 'family' });
		const b = await residentIn(t.db, compound, 1);
		const ended = await residentIn(t.db, compound, 0);
		await t.db
			.update(s.memberships)
			.set({ endedAt: new Date() })
			.where(eq(s.memberships.userId, ended.userId));
		const count = await t.db.transaction((tx) =>
			notifyHouseholds(
				tx,
				[a1.memberships[0]!.householdId, a1.memberships[0]!.householdId],
				roundOpened(project.id),
			),
		);
		expect(count).toBe(2);
		expect((await listNotifications(t.db, a1.userId)).items.map((n) => n.kind)).toEqual([
			'round.opened',
		]);
		expect((await listNotifications(t.db, a2!.id)).unread).toBe(1);
		// Another household's member, and a former member, learn nothing.
		expect((await listNotifications(t.db, b.userId)).items).toEqual([]);
		expect((await listNotifications(t.db, ended.userId)).items).toEqual([]);
	});

	it('follows explicitly, automatically on binding, and never lets automatic override explicit', async () => {
		const resident = await residentIn(t.db, project.compoundIds[0]!, 2);
		await t.db.transaction((tx) =>
			followHouseholdProjects(tx, resident.userId, resident.memberships[0]!.householdId),
		);
		expect(await getFollow(t.db, resident.userId, project.id)).toEqual({ automatic: true });
		await followProject(t.db, resident.userId, project.id);
		expect(await getFollow(t.db, resident.userId, project.id)).toEqual({ automatic: false });
		await followProject(t.db, resident.userId, project.id, true);
		expect(await getFollow(t.db, resident.userId, project.id)).toEqual({ automatic: false });
		await unfollowProject(t.db, resident.userId, project.id);
		expect(await getFollow(t.db, resident.userId, project.id)).toBeNull();
	});

	it('follows automatically on commenting and on binding a household (the real commands)', async () => {
		const dujuan = await demoProject(t.db, 'dujuan');
		const [open] = await t.db
			.select({ id: s.planVersions.id })
			.from(s.planVersions)
			.where(sql`${s.planVersions.projectId} = ${dujuan.id} and ${s.planVersions.status} = 'open'`);
		const commenter = await residentIn(t.db, dujuan.compoundIds[0]!, 3);
		await postOpinion(t.db, commenter, {
			planVersionId: open!.id,
			alignment: 'support',
			body: '支持加装充电桩',
		});
		expect(await getFollow(t.db, commenter.userId, dujuan.id)).toEqual({ automatic: true });

		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const [household] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.where(eq(s.households.compoundId, project.compoundIds[0]!))
			.orderBy(s.households.id)
			.offset(7)
			.limit(1);
		const [slip] = await issueHouseholdCodes(t.db, committee, {
			scope: { householdId: household!.id },
			relation: 'owner',
			maxMembers: 2,
		});
		const binder = await createResident(t.db);
		await bindHousehold(t.db, binder, { code: slip!.code }, { ip: '127.0.0.9' });
		expect(await getFollow(t.db, binder.userId, project.id)).toEqual({ automatic: true });
	});

	it('counts unread for the badge up to its cap and marks all read', async () => {
		const resident = await createResident(t.db);
		await notify(
			t.db,
			Array.from({ length: 120 }, () => ({
				userId: resident.userId,
				kind: 'problem.closed' as const,
				params: { project: '红岩新村', projectEn: 'Hongyan' },
				link: '//evil.example',
			})),
		);
		expect(await unreadBadgeCount(t.db, resident.userId)).toBe(100);
		expect((await listNotifications(t.db, resident.userId, 1)).items[0]!.link).toBe('/');
		await markAllRead(t.db, resident.userId);
		expect(await unreadBadgeCount(t.db, resident.userId)).toBe(0);
	});

	it('queues an SMS only for opted-in residents and only for opening kinds, one job per notification', async () => {
		const optedIn = await createResident(t.db);
		const optedOut = await createResident(t.db);
		await setSmsOptIn(t.db, optedIn.userId, true);
		const [ids] = await t.db.transaction(async (tx) => [
			await notify(tx, [
				{ userId: optedIn.userId, ...roundOpened(project.id) },
				{ userId: optedOut.userId, ...roundOpened(project.id) },
				{
					userId: optedIn.userId,
					kind: 'progress.milestone',
					params: {
						project: '红岩新村',
						projectEn: 'Hongyan',
						milestone: 'works_started',
						date: '2026-04-01',
					},
					link: '/p/hongyan',
				},
			]),
		]);
		const jobs = await queryRows<{ key: string }>(
			t.db,
			sql`select key from jobs where kind = ${SMS_JOB} order by id`,
		);
		expect(jobs.map((j) => j.key)).toEqual([`sms:${ids![0]}`]);
		const counts = await runDueJobs(
			t.db,
			{ [SMS_JOB]: (p) => deliverSms(t.db, devSender, p as never, options).then(() => {}) },
			{ log: quiet },
		);
		expect(counts.done).toBe(1);
		const phone = (await t.db.select().from(s.users).where(eq(s.users.id, optedIn.userId)))[0]!
			.phone!;
		const sent = await outboxFor(t.db, phone);
		expect(sent).toHaveLength(1);
		expect(sent[0]!.body).toMatch(
			/^【共建】「红岩新村」开始征求意见：方案意见，请在 .*2026.* 前为您家提交。 https:\/\/gj\.example\/rounds\/7$/,
		);
	});

	it('a job that crashes mid-send is retried and delivered once', async () => {
		const resident = await createResident(t.db);
		await setSmsOptIn(t.db, resident.userId, true);
		const [id] = await notify(t.db, { userId: resident.userId, ...roundOpened(project.id) });
		let calls = 0;
		// Writes the outbox row, then dies before the send returns: the transaction rolls back.
		const crashing: SmsSender = {
			async send(db, phone, body) {
				calls++;
				await devSender.send(db, phone, body);
				if (calls === 1) throw new Error('gateway connection reset');
			},
		};
		const handlers = {
			[SMS_JOB]: (p: unknown) => deliverSms(t.db, crashing, p as never, options).then(() => {}),
		};
		const first = await runDueJobs(t.db, handlers, {
			log: quiet,
			retry: { baseMs: 0, maxMs: 0 },
			limit: 1,
		});
		expect(first).toMatchObject({ claimed: 1, retried: 1 });
		const phone = (await t.db.select().from(s.users).where(eq(s.users.id, resident.userId)))[0]!
			.phone!;
		expect(await outboxFor(t.db, phone)).toHaveLength(0);
		const second = await runDueJobs(t.db, handlers, { log: quiet, retry: { baseMs: 0, maxMs: 0 } });
		expect(second).toMatchObject({ claimed: 1, done: 1 });
		expect(await outboxFor(t.db, phone)).toHaveLength(1);
		// A worker that died holding the job (lease expired) runs it again: still one message.
		await t.db.execute(
			sql`update jobs set state = 'queued', finished_at = null, attempts = 1 where key = ${`sms:${id}`}`,
		);
		expect(await deliverSms(t.db, devSender, { notificationId: id! }, options)).toBe('already');
		expect(await outboxFor(t.db, phone)).toHaveLength(1);
		const [delivery] = await t.db
			.select()
			.from(s.notificationDeliveries)
			.where(eq(s.notificationDeliveries.notificationId, id!));
		expect(delivery).toMatchObject({ state: 'sent' });
	});

	it('a worker that dies holding the claim: the job runs again after the lease and sends once', async () => {
		const resident = await createResident(t.db);
		await setSmsOptIn(t.db, resident.userId, true);
		// Only this test's job is due: the one this worker claims and abandons.
		await t.db.execute(sql`delete from jobs where kind = ${SMS_JOB}`);
		await notify(t.db, { userId: resident.userId, ...roundOpened(project.id) });
		const [claimed] = await claimJobs(t.db, [SMS_JOB], 1, 100); // then "dies"
		expect(claimed).toBeDefined();
		await new Promise((r) => setTimeout(r, 150));
		const counts = await runDueJobs(
			t.db,
			{ [SMS_JOB]: (p) => deliverSms(t.db, devSender, p as never, options).then(() => {}) },
			{ log: quiet },
		);
		expect(counts.done).toBe(1);
		const phone = (await t.db.select().from(s.users).where(eq(s.users.id, resident.userId)))[0]!
			.phone!;
		expect(await outboxFor(t.db, phone)).toHaveLength(1);
	});

	it('skips opted-out residents and stops at the daily limit', async () => {
		const resident = await createResident(t.db);
		await setSmsOptIn(t.db, resident.userId, true);
		const ids = await notify(
			t.db,
			Array.from({ length: 5 }, () => ({ userId: resident.userId, ...roundOpened(project.id) })),
		);
		const outcomes = [];
		for (const id of ids.slice(0, 4))
			outcomes.push(await deliverSms(t.db, devSender, { notificationId: id }, options));
		expect(outcomes).toEqual(['sent', 'sent', 'sent', 'skipped']);
		await setSmsOptIn(t.db, resident.userId, false);
		expect(await deliverSms(t.db, devSender, { notificationId: ids[4]! }, options)).toBe('skipped');
		const reasons = await t.db
			.select({ reason: s.notificationDeliveries.reason })
			.from(s.notificationDeliveries)
			.where(eq(s.notificationDeliveries.state, 'skipped'));
		expect(reasons.map((r) => r.reason).sort()).toEqual(
			expect.arrayContaining(['opted_out', 'rate_limited']),
		);
	});
});

/** Two app instances (two pools) on one server: only the real server has more than one connection. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('SMS across two workers (postgres)', () => {
	let t: TestDatabase;
	let other: DatabaseHandle;
	beforeAll(async () => {
		t = await createTestDatabase('postgres', { seed: true });
		other = await openDatabase({ databaseUrl: t.url!, poolMax: 5 });
	});
	afterAll(async () => {
		await other?.close();
		await t?.close();
	});

	it('two workers running the same delivery at once send one message', async () => {
		const project = await demoProject(t.db, 'hongyan');
		const resident = await createResident(t.db);
		await setSmsOptIn(t.db, resident.userId, true);
		const ids = await notify(
			t.db,
			Array.from({ length: 3 }, () => ({ userId: resident.userId, ...roundOpened(project.id) })),
		);
		// A slow gateway: both workers are inside send() at the same time if nothing stops them.
		const slow: SmsSender = {
			async send(db, phone, body) {
				await new Promise((r) => setTimeout(r, 100));
				await devSender.send(db, phone, body);
			},
		};
		const results = await Promise.all(
			ids.flatMap((id) => [
				deliverSms(t.db, slow, { notificationId: id }, { ...options, perDay: 2 }),
				deliverSms(other.db, slow, { notificationId: id }, { ...options, perDay: 2 }),
			]),
		);
		expect(results.filter((r) => r === 'sent')).toHaveLength(2);
		expect(results.filter((r) => r === 'skipped')).toHaveLength(1);
		expect(results.filter((r) => r === 'already')).toHaveLength(3);
		const phone = (await t.db.select().from(s.users).where(eq(s.users.id, resident.userId)))[0]!
			.phone!;
		expect(await outboxFor(t.db, phone)).toHaveLength(2);
	});

	it('two queue workers racing over many SMS jobs deliver each once', async () => {
		const project = await demoProject(t.db, 'hongyan');
		const residents = await Promise.all(Array.from({ length: 20 }, () => createResident(t.db)));
		for (const r of residents) await setSmsOptIn(t.db, r.userId, true);
		await t.db.transaction((tx) =>
			notify(
				tx,
				residents.map((r) => ({ userId: r.userId, ...roundOpened(project.id) })),
			),
		);
		const handlersFor = (db: typeof t.db) => ({
			[SMS_JOB]: (p: unknown) => deliverSms(db, devSender, p as never, options).then(() => {}),
		});
		const [a, b] = await Promise.all([
			runDueJobs(t.db, handlersFor(t.db), { log: quiet, limit: 100 }),
			runDueJobs(other.db, handlersFor(other.db), { log: quiet, limit: 100 }),
		]);
		expect(a.done + b.done).toBeGreaterThanOrEqual(20);
		for (const r of residents) {
			const phone = (await t.db.select().from(s.users).where(eq(s.users.id, r.userId)))[0]!.phone!;
			expect(await outboxFor(t.db, phone)).toHaveLength(1);
		}
	});
});
