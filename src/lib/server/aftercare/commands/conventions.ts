import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import {
	conventionConfirmations,
	conventionVersions,
	households,
	projectCompounds,
	projects,
} from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import { projectFor, requireResident } from '../../progress/index.ts';
import { DomainError } from '../../shared/index.ts';
import { canConfirmConvention, getLatestConvention } from '../conventions.ts';

/**
 * The committee publishes the next version of the compound's residents' convention (居民公约),
 * in Markdown; earlier versions stay public, and confirmations count again from zero for the new
 * text. Errors: not_found (scope). Audited.
 */
export async function publishConvention(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; title: string; body: string; bodyEn: string },
	now = new Date(),
): Promise<{ version: number }> {
	const { staff, project } = await projectFor(db, actor, 'results.publish', input.projectId);
	return db.transaction(async (tx) => {
		// One writer per project at a time: versions are numbered without gaps or races.
		await tx
			.select({ id: projects.id })
			.from(projects)
			.where(eq(projects.id, project.id))
			.for('update');
		const [last] = await tx
			.select({ version: sql<number>`coalesce(max(${conventionVersions.version}), 0)::int` })
			.from(conventionVersions)
			.where(eq(conventionVersions.projectId, project.id));
		const version = (last?.version ?? 0) + 1;
		await tx.insert(conventionVersions).values({
			projectId: project.id,
			version,
			title: input.title,
			body: input.body,
			bodyEn: input.bodyEn,
			publishedBy: staff.userId,
			publishedAt: now,
		});
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'convention.published',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { version },
		});
		return { version };
	});
}

/** The newest version, and the household if it belongs to one of the project's compounds. */
async function versionAndHousehold(db: Db, projectId: number, householdId: number) {
	const version = await getLatestConvention(db, projectId);
	if (!version) throw new DomainError('not_found', 'error.notFound');
	const [household] = await db
		.select({ id: households.id })
		.from(households)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
		.where(
			and(
				eq(households.id, householdId),
				eq(projectCompounds.projectId, projectId),
				isNull(households.retiredAt),
			),
		);
	if (!household) throw new DomainError('invalid', 'convention.householdInvalid');
	return version;
}

/** Inserts the confirmation; a second one for the same household and version is a conflict. */
async function insertConfirmation(
	db: Db,
	values: typeof conventionConfirmations.$inferInsert,
	audit: Parameters<typeof appendAudit>[1],
) {
	await db.transaction(async (tx) => {
		const inserted = await tx
			.insert(conventionConfirmations)
			.values(values)
			.onConflictDoNothing()
			.returning({ id: conventionConfirmations.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'convention.alreadyConfirmed');
		await appendAudit(tx, audit);
	});
}

/**
 * A resident confirms the newest convention for their household online: an owner or a family
 * member bound to it (canConfirmConvention). Errors: unauthenticated, forbidden (tenant, or not
 * their household), not_found (no convention), invalid (household outside the project),
 * conflict (already confirmed, online or on paper). Audited.
 */
export async function confirmConvention(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; householdId: number },
): Promise<void> {
	const resident = requireResident(actor);
	const membership = resident.memberships.find((m) => m.householdId === input.householdId);
	if (!membership || !canConfirmConvention(membership)) {
		throw new DomainError('forbidden', 'convention.notYours');
	}
	const [project] = await db.select().from(projects).where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	const version = await versionAndHousehold(db, project.id, input.householdId);
	await insertConfirmation(
		db,
		{
			versionId: version.id,
			householdId: input.householdId,
			channel: 'online',
			recordedBy: resident.userId,
		},
		{
			actorId: resident.userId,
			actorKind: 'resident',
			action: 'convention.confirmed',
			targetType: 'household',
			targetId: input.householdId,
			communityId: project.communityId,
			details: { version: version.version, channel: 'online' },
		},
	);
}

/**
 * The committee records a household's paper confirmation (签字的纸质回执) of the newest version.
 * Errors: not_found (scope, no convention), invalid (household outside the project), conflict
 * (already confirmed). Audited.
 */
export async function recordPaperConfirmation(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; householdId: number },
): Promise<void> {
	const { staff, project } = await projectFor(db, actor, 'ballot.enter_paper', input.projectId);
	const version = await versionAndHousehold(db, project.id, input.householdId);
	await insertConfirmation(
		db,
		{
			versionId: version.id,
			householdId: input.householdId,
			channel: 'paper',
			recordedBy: staff.userId,
		},
		{
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'convention.paper_recorded',
			targetType: 'household',
			targetId: input.householdId,
			communityId: project.communityId,
			details: { version: version.version, channel: 'paper' },
		},
	);
}
