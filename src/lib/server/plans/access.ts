import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { planVersions, projects } from '../../../../db/schema/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';

export type VersionRow = typeof planVersions.$inferSelect & { communityId: number; slug: string };

/**
 * Loads a plan version for editing by an officer of its project (or an admin). A version of a
 * project out of scope is "not found": existence is not revealed.
 */
export async function editableVersion(
	db: Executor,
	actor: Actor | null,
	versionId: number,
): Promise<{ staff: StaffActor; version: VersionRow }> {
	const [row] = await db
		.select({ version: planVersions, communityId: projects.communityId, slug: projects.slug })
		.from(planVersions)
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(eq(planVersions.id, versionId));
	if (
		!row ||
		!can(actor, 'project.edit', { projectId: row.version.projectId, communityId: row.communityId })
	) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return {
		staff: actor as StaffActor,
		version: { ...row.version, communityId: row.communityId, slug: row.slug },
	};
}

/** A draft for editing; published versions are immutable (corrections make a new version). */
export async function editableDraft(db: Executor, actor: Actor | null, versionId: number) {
	const found = await editableVersion(db, actor, versionId);
	if (found.version.status !== 'draft') throw new DomainError('conflict', 'plans.notDraft');
	return found;
}

/** A project for editing by its officer or an admin; out of scope → not found. */
export async function editableProject(db: Executor, actor: Actor | null, projectId: number) {
	const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
	if (!row || !can(actor, 'project.edit', { projectId: row.id, communityId: row.communityId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return { staff: actor as StaffActor, project: row };
}
