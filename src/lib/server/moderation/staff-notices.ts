/**
 * Telling the committee that opinions wait (issue 21): a notification to each moderator of the
 * community when a new opinion arrives, and, for moderators who opted in to SMS, one digest a
 * day by text message through the job queue (notifications/sms.ts sends it).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import {
	notificationSettings,
	projects,
	staffRoles,
	staffScopes,
	users,
} from '../../../../db/schema/index.ts';
import { enqueue } from '../jobs/index.ts';
import { appendAudit } from '../audit/index.ts';
import { notify, setSmsOptIn } from '../notifications/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { requireStaffActor } from './access.ts';
import { loadActor } from '../policy/index.ts';
import { listUnanswered } from './answers.ts';
import { listQueue } from './queries.ts';
import { digestRunAt } from './rules.ts';
import { chinaDay } from '../../china-time.ts';

export const DIGEST_JOB = 'moderation.digest';

/** Active moderators of a community (admins are district-wide and not paged for each opinion). */
async function moderatorsOf(tx: Executor, communityId: number): Promise<string[]> {
	const rows = await tx
		.selectDistinct({ userId: staffRoles.userId })
		.from(staffRoles)
		.innerJoin(staffScopes, eq(staffScopes.staffRoleId, staffRoles.id))
		.innerJoin(users, eq(users.id, staffRoles.userId))
		.where(
			and(
				eq(staffRoles.role, 'moderator'),
				eq(staffScopes.communityId, communityId),
				isNull(users.disabledAt),
			),
		);
	return rows.map((r) => r.userId);
}

/**
 * In the transaction that wrote the opinion: a notification to each moderator of its project's
 * community (linking to the opinion's moderation page), and for those opted in to SMS a digest
 * job for today's 18:00 (China time), one per moderator and day (the job's key).
 */
export async function notifyNewOpinion(
	tx: Executor,
	opinion: { id: number; projectId: number },
	now = new Date(),
): Promise<number> {
	const [project] = await tx
		.select({ name: projects.name, nameEn: projects.nameEn, communityId: projects.communityId })
		.from(projects)
		.where(eq(projects.id, opinion.projectId));
	if (!project) return 0;
	const moderators = await moderatorsOf(tx, project.communityId);
	if (moderators.length === 0) return 0;
	await notify(
		tx,
		moderators.map((userId) => ({
			userId,
			kind: 'opinion.new_in_scope' as const,
			params: { project: project.name, projectEn: project.nameEn, opinionId: opinion.id },
			link: `/staff/moderation/${opinion.id}`,
			projectId: opinion.projectId,
		})),
	);
	const optedIn = await tx
		.select({ userId: notificationSettings.userId })
		.from(notificationSettings)
		.where(
			and(
				inArray(notificationSettings.userId, moderators),
				eq(notificationSettings.smsOptIn, true),
			),
		);
	const runAt = digestRunAt(now);
	for (const { userId } of optedIn)
		await enqueue(tx, {
			kind: DIGEST_JOB,
			key: `${userId}:${chinaDay(runAt)}`,
			payload: { userId },
			runAt,
		});
	return moderators.length;
}

/**
 * The digest job: counts what awaits the moderator now (review and answer) and notifies them;
 * the notification's SMS copy goes out through the SMS job if they are still opted in. Nothing
 * when nothing waits, or the account is no longer a moderator.
 */
export async function runModerationDigest(db: Db, payload: { userId: string }): Promise<void> {
	const actor = await loadActor(db, String(payload.userId), 'staff');
	if (actor.kind !== 'staff' || !actor.roles.has('moderator')) return;
	const [pending, unanswered] = await Promise.all([
		listQueue(db, actor, { status: 'pending' }),
		listUnanswered(db, actor),
	]);
	if (pending.total === 0 && unanswered.length === 0) return;
	await db.transaction((tx) =>
		notify(tx, {
			userId: actor.userId,
			kind: 'moderation.digest',
			params: { pending: pending.total, unanswered: unanswered.length },
			link: '/staff/moderation',
		}),
	);
}

/**
 * A moderator turns the daily SMS digest on or off (opt-in: a text message goes to their
 * phone only if they ask for it). Audited.
 * @throws DomainError unauthenticated | forbidden (not a moderator)
 */
export async function setModerationDigest(
	db: Db,
	actor: Actor | null,
	input: { on: boolean },
): Promise<{ on: boolean }> {
	const staff = requireStaffActor(actor);
	if (!staff.roles.has('moderator')) throw new DomainError('forbidden', 'error.forbidden');
	return db.transaction(async (tx) => {
		await setSmsOptIn(tx, staff.userId, input.on);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: input.on ? 'moderation.digest_on' : 'moderation.digest_off',
			targetType: 'user',
			targetId: staff.userId,
		});
		return { on: input.on };
	});
}

/** Whether the staff member gets the daily digest. */
export async function getDigestSetting(db: Executor, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ on: notificationSettings.smsOptIn })
		.from(notificationSettings)
		.where(eq(notificationSettings.userId, userId));
	return row?.on ?? false;
}
