import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { moderationFlags, opinions, planVersions, projects } from '../../../../db/schema/index.ts';
import { can, isEmptyScope, staffScope, type Action } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';

/** An opinion with what scoping and notifying need: its project, community and version. */
export type ScopedOpinion = Awaited<ReturnType<typeof loadScopedRow>>[number];

function loadScopedRow(db: Executor, opinionId: number, lock: boolean) {
	const query = db
		.select({
			id: opinions.id,
			parentId: opinions.parentId,
			authorId: opinions.authorId,
			state: opinions.state,
			stateReason: opinions.stateReason,
			createdAt: opinions.createdAt,
			planVersionId: opinions.planVersionId,
			versionNumber: planVersions.number,
			projectId: projects.id,
			projectSlug: projects.slug,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			communityId: projects.communityId,
			flagResolvedAt: moderationFlags.resolvedAt,
			flagged: moderationFlags.opinionId,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.leftJoin(moderationFlags, eq(moderationFlags.opinionId, opinions.id))
		.where(eq(opinions.id, opinionId));
	// NO KEY UPDATE, not UPDATE: rows referencing the opinion (reports, answers) take KEY SHARE
	// locks while they are written, which FOR UPDATE would wait on (and deadlock with).
	return lock ? query.for('no key update', { of: opinions }) : query;
}

/** Staff only; anyone else is refused before anything is read. */
export function requireStaffActor(actor: Actor | null): StaffActor {
	if (actor === null) throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (actor.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	return actor;
}

/**
 * Loads an opinion the staff member may act on with `action` (its community's committee, or an
 * admin), row-locked with `lock` until the transaction ends so two moderators' decisions on it
 * run one after the other. An opinion outside the actor's communities is `not_found`, exactly
 * like one that does not exist (STYLE.md: errors never reveal another community's content).
 * @throws DomainError unauthenticated | forbidden (not staff) | not_found
 */
export async function loadScopedOpinion(
	db: Executor,
	actor: Actor | null,
	opinionId: number,
	action: Action,
	options: { lock?: boolean } = {},
): Promise<{ staff: StaffActor; opinion: ScopedOpinion }> {
	const staff = requireStaffActor(actor);
	const [row] = await loadScopedRow(db, opinionId, options.lock ?? false);
	if (!row || !can(staff, action, { communityId: row.communityId, projectId: row.projectId }))
		throw new DomainError('not_found', 'error.notFound');
	return { staff, opinion: row };
}

/** A link to an opinion on its plan page (notifications, the queue). */
export const opinionLink = (o: { projectSlug: string; versionNumber: number; id: number }) =>
	`/p/${o.projectSlug}/v/${o.versionNumber}#opinion-${o.id}`;

/**
 * A link to an opinion and its official answer on the version's answer sheet (意见采纳情况),
 * which lists every answered opinion on one page: the plan page pages its opinions, so an
 * older one is not on its first page.
 */
export const answerLink = (o: { projectSlug: string; versionNumber: number; id: number }) =>
	`/p/${o.projectSlug}/v/${o.versionNumber}/answers#opinion-${o.id}`;

/** Whether a staff member has a moderation queue at all (an admin, or a moderator with scope). */
export function mayModerate(actor: StaffActor): boolean {
	return !isEmptyScope(staffScope(actor, 'opinion.moderate'));
}
