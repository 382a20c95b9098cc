import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import {
	notifyRoundOpened,
	ROUND_OPENED_JOB,
	runRoundOpenedJob,
} from '../../../src/lib/server/ballots/commands/announce.ts';
import { openRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { runDueJobs } from '../../../src/lib/server/jobs/queue.ts';
import { bindHousehold, issueHouseholdCodes } from '../../../src/lib/server/households/commands.ts';
import { setSmsOptIn } from '../../../src/lib/server/notifications/commands.ts';
import { renderNotification } from '../../../src/lib/server/notifications/render.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	compoundHouseholds,
	createMember,
	createOpenRound,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const hour = 3_600_000;

describe.each(drivers)('"round opened" notifications on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: number;
	let households: Households;
	let outside: number;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
		const jiangbin = await demoPlaces(t.db, '江滨社区');
		outside = (await compoundHouseholds(t.db, jiangbin.compoundId))[0]!.id;
	});
	afterAll(async () => t?.close());

	const received = async (userId: string, roundId: number) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from notifications
				    where user_id = ${userId} and kind = 'round.opened' and link = ${`/rounds/${roundId}`}`,
			)
		)[0]!.n;

	const smsQueued = async (userId: string, roundId: number) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from notification_deliveries d
				    join notifications n on n.id = d.notification_id
				    where n.user_id = ${userId} and n.link = ${`/rounds/${roundId}`} and d.channel = 'sms'`,
			)
		)[0]!.n;

	it('tells every bound member of the households in scope once, when opened after its opening time', async () => {
		const owner = await createMember(t.db, moderator, households[0]!.id, 'owner');
		const tenant = await createMember(t.db, moderator, households[0]!.id, 'tenant');
		const neighbour = await createMember(t.db, moderator, households[1]!.id, 'family');
		// Bound to two households in scope: one notification.
		const both = await createMember(t.db, moderator, households[2]!.id, 'owner');
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const elsewhere = await createMember(t.db, admin, outside, 'owner');
		const [slip] = await issueHouseholdCodes(t.db, moderator, {
			scope: { householdId: households[3]!.id },
			relation: 'owner',
			maxMembers: 5,
		});
		await bindHousehold(t.db, both, { code: slip!.code }, { ip: '10.78.0.1' });
		await setSmsOptIn(t.db, neighbour.userId, true);
		const roundId = await createOpenRound(
			t.db,
			moderator,
			{ projectId: dujuan, title: '楼道改造需求调查' },
			{ open: false },
		);
		expect(await received(owner.userId, roundId)).toBe(0);
		await openRound(t.db, moderator, roundId);
		for (const member of [owner, tenant, neighbour, both]) {
			expect(await received(member.userId, roundId)).toBe(1);
		}
		expect(await received(elsewhere.userId, roundId)).toBe(0);
		// The SMS copy only for the member who opted in.
		expect(await smsQueued(neighbour.userId, roundId)).toBe(1);
		expect(await smsQueued(owner.userId, roundId)).toBe(0);
		const [notification] = await t.db
			.select()
			.from(s.notifications)
			.where(eq(s.notifications.userId, owner.userId));
		expect(renderNotification('zh-CN', notification!)).toContain('楼道改造需求调查');
		expect(notification!.projectId).toBe(dujuan);
		// Triggered again — the open, the job, the announcement itself: nobody hears twice.
		await expect(openRound(t.db, moderator, roundId)).rejects.toMatchObject({ code: 'conflict' });
		await runRoundOpenedJob(t.db, { roundId });
		expect(await t.db.transaction((tx) => notifyRoundOpened(tx, roundId))).toEqual({
			state: 'already',
		});
		for (const member of [owner, tenant, neighbour, both]) {
			expect(await received(member.userId, roundId)).toBe(1);
		}
		const [audit] = await t.db
			.select({ details: s.auditLog.details })
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'round.opened'))
			.orderBy(sql`${s.auditLog.id} desc`)
			.limit(1);
		expect(audit!.details).toMatchObject({ notified: 4 });
	});

	it('tells them at the opening time when the round is opened ahead of it, exactly once', async () => {
		const member = await createMember(t.db, moderator, households[5]!.id, 'owner');
		const opensAt = new Date(Date.now() + 2 * hour);
		const roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			opensAt: toChinaLocalInput(opensAt),
			closesAt: toChinaLocalInput(new Date(Date.now() + 48 * hour)),
		});
		expect(await received(member.userId, roundId)).toBe(0);
		const [job] = await t.db
			.select()
			.from(s.jobs)
			.where(sql`${s.jobs.kind} = ${ROUND_OPENED_JOB} and ${s.jobs.key} = ${`round:${roundId}`}`);
		expect(job).toMatchObject({ state: 'queued', payload: { roundId } });
		expect(Math.abs(job!.runAt.getTime() - Math.floor(opensAt.getTime() / 60_000) * 60_000)).toBe(
			0,
		);
		const handlers = { [ROUND_OPENED_JOB]: (payload: never) => runRoundOpenedJob(t.db, payload) };
		// Not due yet: the job waits; run early by hand, it refuses (and would be retried).
		expect(await runDueJobs(t.db, handlers)).toMatchObject({ claimed: 0 });
		await expect(runRoundOpenedJob(t.db, { roundId })).rejects.toThrow(/not opened yet/);
		expect(await received(member.userId, roundId)).toBe(0);
		// The opening time passes.
		await t.db.execute(
			sql`update rounds set opens_at = now() - interval '1 minute' where id = ${roundId}`,
		);
		await t.db.execute(
			sql`update jobs set run_at = now() - interval '1 second' where id = ${job!.id}`,
		);
		expect(await runDueJobs(t.db, handlers)).toMatchObject({ claimed: 1, done: 1 });
		expect(await received(member.userId, roundId)).toBe(1);
		// The job run again (a retry, an expired lease) tells nobody twice.
		await runRoundOpenedJob(t.db, { roundId });
		await t.db.execute(sql`update jobs set state = 'queued', run_at = now(), finished_at = null,
			attempts = 0 where id = ${job!.id}`);
		expect(await runDueJobs(t.db, handlers)).toMatchObject({ done: 1 });
		expect(await received(member.userId, roundId)).toBe(1);
		const system = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'round.open_notified'));
		expect(system.filter((a) => a.targetId === String(roundId))).toHaveLength(1);
		expect(system[0]).toMatchObject({ actorKind: 'system', actorId: null });
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('does not announce a draft or a round that closed before anyone was told', async () => {
		const draft = await createOpenRound(t.db, moderator, { projectId: dujuan }, { open: false });
		expect(await t.db.transaction((tx) => notifyRoundOpened(tx, draft))).toEqual({
			state: 'not_due',
		});
		const late = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			opensAt: toChinaLocalInput(new Date(Date.now() + hour)),
			closesAt: toChinaLocalInput(new Date(Date.now() + 2 * hour)),
		});
		await t.db.execute(sql`update rounds set opens_at = now() - interval '2 hours',
			closes_at = now() - interval '1 hour' where id = ${late}`);
		expect(await t.db.transaction((tx) => notifyRoundOpened(tx, late))).toEqual({
			state: 'closed',
		});
		await runRoundOpenedJob(t.db, { roundId: late });
		expect(await t.db.transaction((tx) => notifyRoundOpened(tx, 999_999))).toEqual({
			state: 'missing',
		});
	});
});
