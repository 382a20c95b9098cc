import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
	acceptanceRecords,
	acceptanceSignatures,
	households,
	inspectionNotes,
	projectCompounds,
	projects,
	supervisionDraws,
	supervisors,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, ResidentActor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { drawByLot } from './rules.ts';

async function projectRow(db: Db, projectId: number) {
	const [project] = await db
		.select({ id: projects.id, communityId: projects.communityId })
		.from(projects)
		.where(eq(projects.id, projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	return project;
}

function resident(actor: Actor | null): ResidentActor {
	if (!actor) throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (actor.kind !== 'resident') throw new DomainError('forbidden', 'error.forbidden');
	return actor;
}

/** The committee of the project's community (policy `supervision.manage`), else not found. */
async function committeeOf(db: Db, actor: Actor | null, projectId: number) {
	const project = await projectRow(db, projectId);
	if (!can(actor, 'supervision.manage', { communityId: project.communityId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return { project, staff: actor as StaffActor };
}

/** The actor's member row of the project's supervision group, or forbidden. */
async function memberOf(db: Db, actor: Actor | null, projectId: number) {
	const person = resident(actor);
	const project = await projectRow(db, projectId);
	const [row] = await db
		.select({ id: supervisors.id })
		.from(supervisors)
		.where(
			and(
				eq(supervisors.projectId, project.id),
				eq(supervisors.userId, person.userId),
				eq(supervisors.status, 'member'),
			),
		);
	if (!row) throw new DomainError('forbidden', 'supervision.membersOnly');
	return { project, person, supervisorId: row.id };
}

/**
 * A bound resident of the project's compounds volunteers for the supervision group, named in
 * public as they wrote. Errors: unauthenticated; forbidden (no home in the project);
 * conflict (already volunteered).
 */
export async function volunteer(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; publicName: string },
): Promise<{ id: number }> {
	const person = resident(actor);
	const project = await projectRow(db, input.projectId);
	const ids = person.memberships.map((m) => m.householdId);
	const [home] = ids.length
		? await db
				.select({ id: households.id })
				.from(households)
				.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
				.where(and(eq(projectCompounds.projectId, project.id), inArray(households.id, ids)))
				.orderBy(asc(households.id))
				.limit(1)
		: [];
	if (!home) throw new DomainError('forbidden', 'supervision.notInProject');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(supervisors)
			.values({
				projectId: project.id,
				userId: person.userId,
				householdId: home.id,
				publicName: input.publicName,
			})
			.onConflictDoNothing()
			.returning({ id: supervisors.id });
		if (!row) throw new DomainError('conflict', 'supervision.already');
		await appendAudit(tx, {
			actorId: person.userId,
			actorKind: 'resident',
			action: 'supervision.volunteered',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { supervisorId: row.id },
		});
		return row;
	});
}

/** The committee confirms a volunteer as a member. Errors: not_found; conflict (not a volunteer). */
export async function confirmMember(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; supervisorId: number },
): Promise<void> {
	const { project, staff } = await committeeOf(db, actor, input.projectId);
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(supervisors)
			.set({ status: 'member', decidedBy: staff.userId, decidedAt: new Date() })
			.where(
				and(
					eq(supervisors.id, input.supervisorId),
					eq(supervisors.projectId, project.id),
					eq(supervisors.status, 'volunteer'),
				),
			)
			.returning({ id: supervisors.id });
		if (updated.length === 0) throw new DomainError('conflict', 'supervision.notVolunteer');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'supervision.member_confirmed',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { supervisorId: input.supervisorId },
		});
	});
}

/**
 * The committee draws `seats` members by lot from the volunteers not yet members, with the
 * given seed or a random one; the seed and the candidates are published with the draw so
 * anyone can re-run it (rules.ts). Errors: not_found; invalid (more seats than volunteers).
 */
export async function drawMembers(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; seats: number; seed: string },
): Promise<{ drawId: number; drawn: number[] }> {
	const { project, staff } = await committeeOf(db, actor, input.projectId);
	const seed = input.seed || randomBytes(8).toString('hex');
	return db.transaction(async (tx) => {
		// Lock the project's volunteers: two draws at once would draw from the same list.
		const candidates = await tx
			.select({ id: supervisors.id })
			.from(supervisors)
			.where(and(eq(supervisors.projectId, project.id), eq(supervisors.status, 'volunteer')))
			.orderBy(asc(supervisors.id))
			.for('update');
		const ids = candidates.map((c) => c.id);
		if (input.seats > ids.length) {
			throw new DomainError('invalid', 'supervision.tooManySeats', {
				params: { count: ids.length },
			});
		}
		const drawn = drawByLot(seed, ids, input.seats)
			.filter((e) => e.drawn)
			.map((e) => e.id);
		const [draw] = await tx
			.insert(supervisionDraws)
			.values({
				projectId: project.id,
				seed,
				seats: input.seats,
				candidateIds: ids.join(','),
				drawnBy: staff.userId,
			})
			.returning({ id: supervisionDraws.id });
		await tx
			.update(supervisors)
			.set({ status: 'member', drawId: draw!.id, decidedBy: staff.userId, decidedAt: new Date() })
			.where(inArray(supervisors.id, drawn));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'supervision.drawn',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { drawId: draw!.id, seed, seats: input.seats, candidates: ids, drawn },
		});
		return { drawId: draw!.id, drawn };
	});
}

/** A member posts an inspection note (public, on the progress page). Errors: forbidden. */
export async function postInspectionNote(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; body: string },
): Promise<{ id: number }> {
	const { project, person, supervisorId } = await memberOf(db, actor, input.projectId);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(inspectionNotes)
			.values({ projectId: project.id, supervisorId, body: input.body })
			.returning({ id: inspectionNotes.id });
		await appendAudit(tx, {
			actorId: person.userId,
			actorKind: 'resident',
			action: 'supervision.note_posted',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { noteId: row!.id },
		});
		return row!;
	});
}

/**
 * A member signs the joint acceptance record (联合竣工验收). Errors: forbidden (not a member);
 * closed (no acceptance recorded yet); conflict (already signed).
 */
export async function signAcceptance(
	db: Db,
	actor: Actor | null,
	input: { projectId: number },
): Promise<void> {
	const { project, person, supervisorId } = await memberOf(db, actor, input.projectId);
	const [record] = await db
		.select({ id: acceptanceRecords.id })
		.from(acceptanceRecords)
		.where(eq(acceptanceRecords.projectId, project.id));
	if (!record) throw new DomainError('closed', 'supervision.noAcceptance');
	await db.transaction(async (tx) => {
		const inserted = await tx
			.insert(acceptanceSignatures)
			.values({ recordId: record.id, supervisorId })
			.onConflictDoNothing()
			.returning({ id: acceptanceSignatures.supervisorId });
		if (inserted.length === 0) throw new DomainError('conflict', 'supervision.alreadySigned');
		await appendAudit(tx, {
			actorId: person.userId,
			actorKind: 'resident',
			action: 'supervision.acceptance_signed',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { recordId: record.id, supervisorId },
		});
	});
}
