import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { projects } from '../../../../db/schema/index.ts';
import { can, type Action } from '../policy/index.ts';
import type { Actor, ResidentActor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';

export type ProjectRow = typeof projects.$inferSelect;

/**
 * A project for a staff action of the policy (progress.post, acceptance.record, meeting.manage,
 * problem.dispatch). A project out of the actor's scope is "not found": existence is not revealed.
 */
export async function projectFor(
	db: Executor,
	actor: Actor | null,
	action: Action,
	projectId: number,
): Promise<{ staff: StaffActor; project: ProjectRow }> {
	const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
	if (!project || !can(actor, action, { projectId, communityId: project.communityId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return { staff: actor as StaffActor, project };
}

/** Residents only: a visitor is asked to sign in, staff accounts are refused. */
export function requireResident(actor: Actor | null): ResidentActor {
	if (!actor) throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (actor.kind !== 'resident') throw new DomainError('forbidden', 'error.forbidden');
	return actor;
}
