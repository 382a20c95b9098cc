import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { meetingRsvps, meetings, projects } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { notifyFollowers } from '../notifications/index.ts';
import { recordReceivedOpinions } from '../opinions/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { projectFor, requireResident } from './access.ts';
import { currentPlanVersion } from './queries.ts';
import { lines } from './rules.ts';

/*
 * Residents' meetings (居民议事会 / 夜谈会): the committee announces one (time, place, agenda),
 * residents say they will come, and after it the committee publishes minutes with attendance,
 * the opinions raised (recorded as opinions of the 'meeting' channel on the current plan, so
 * they get answers like any other) and the decisions taken.
 */

/**
 * Announces a meeting and notifies the project's followers. Errors: not_found (scope),
 * invalid (a time in the past).
 */
export async function announceMeeting(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; title: string; startsAt: Date; place: string; agenda: string },
	now = new Date(),
): Promise<{ id: number }> {
	const { staff, project } = await projectFor(db, actor, 'meeting.manage', input.projectId);
	if (Number.isNaN(input.startsAt.getTime()) || input.startsAt <= now) {
		throw new DomainError('invalid', 'progress.timeInvalid');
	}
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(meetings)
			.values({
				projectId: project.id,
				title: input.title,
				startsAt: input.startsAt,
				place: input.place,
				agenda: input.agenda,
				createdBy: staff.userId,
			})
			.returning({ id: meetings.id });
		await notifyFollowers(tx, project.id, {
			kind: 'meeting.announced',
			params: {
				project: project.name,
				projectEn: project.nameEn,
				title: input.title,
				startsAt: input.startsAt.toISOString(),
				place: input.place,
			},
			link: `/p/${project.slug}/progress#meeting-${row!.id}`,
		});
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'meeting.announced',
			targetType: 'meeting',
			targetId: row!.id,
			communityId: project.communityId,
		});
		return { id: row!.id };
	});
}

async function meetingProject(db: Db, meetingId: number) {
	const [row] = await db
		.select({ meeting: meetings, communityId: projects.communityId })
		.from(meetings)
		.innerJoin(projects, eq(projects.id, meetings.projectId))
		.where(eq(meetings.id, meetingId));
	if (!row) throw new DomainError('not_found', 'error.notFound');
	return row;
}

/**
 * A resident says they will come (or no longer will). Idempotent. Errors: unauthenticated,
 * forbidden (staff), not_found, closed (the meeting has started).
 */
export async function rsvpMeeting(
	db: Db,
	actor: Actor | null,
	input: { meetingId: number; attending: boolean },
	now = new Date(),
): Promise<void> {
	const resident = requireResident(actor);
	const { meeting } = await meetingProject(db, input.meetingId);
	if (meeting.startsAt <= now) throw new DomainError('closed', 'progress.meetingStarted');
	if (input.attending) {
		await db
			.insert(meetingRsvps)
			.values({ meetingId: meeting.id, userId: resident.userId })
			.onConflictDoNothing();
	} else {
		await db
			.delete(meetingRsvps)
			.where(and(eq(meetingRsvps.meetingId, meeting.id), eq(meetingRsvps.userId, resident.userId)));
	}
}

/**
 * Publishes a meeting's minutes: text, decisions, attendance, and the opinions raised, each
 * recorded as a published 'meeting' opinion on the project's current plan version (when there
 * is one). Once. Errors: not_found (scope), conflict (already published), invalid (before the
 * meeting started).
 */
export async function publishMinutes(
	db: Db,
	actor: Actor | null,
	input: {
		meetingId: number;
		minutes: string;
		decisions: string;
		opinionsRaised: string;
		attendance?: number | undefined;
	},
	now = new Date(),
): Promise<{ opinions: number }> {
	const { meeting } = await meetingProject(db, input.meetingId);
	const { staff, project } = await projectFor(db, actor, 'meeting.manage', meeting.projectId);
	if (meeting.startsAt > now) throw new DomainError('invalid', 'progress.meetingNotYet');
	const raised = lines(input.opinionsRaised, 200).map((l) => l.slice(0, 2000));
	const version = raised.length ? await currentPlanVersion(db, project.id) : null;
	return db.transaction(async (tx) => {
		const updated = await tx
			.update(meetings)
			.set({
				minutes: input.minutes,
				decisions: input.decisions,
				attendance: input.attendance ?? null,
				minutesPublishedAt: now,
			})
			.where(and(eq(meetings.id, meeting.id), isNull(meetings.minutesPublishedAt)))
			.returning({ id: meetings.id });
		if (updated.length === 0) throw new DomainError('conflict', 'progress.minutesExist');
		if (version)
			await recordReceivedOpinions(
				tx,
				'meeting',
				raised.map((body) => ({ planVersionId: version.id, body })),
			);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'meeting.minutes_published',
			targetType: 'meeting',
			targetId: meeting.id,
			communityId: project.communityId,
			details: { opinions: version ? raised.length : 0, attendance: input.attendance ?? null },
		});
		return { opinions: version ? raised.length : 0 };
	});
}
