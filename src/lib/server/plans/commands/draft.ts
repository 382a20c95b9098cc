import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { planItems, planVersions, renderings } from '../../../../../db/schema/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft, editableProject } from '../access.ts';
import { audit } from './common.ts';

/**
 * Starts the next version of a project's plan as a draft, copying text, items, renderings and
 * nothing else from the latest version. Errors: not_found (scope), conflict (a draft exists).
 */
export async function createPlanVersion(
	db: Db,
	actor: Actor | null,
	projectId: number,
): Promise<{ id: number; number: number }> {
	const { staff, project } = await editableProject(db, actor, projectId);
	return db.transaction(async (tx) => {
		const [latest] = await tx
			.select()
			.from(planVersions)
			.where(eq(planVersions.projectId, projectId))
			.orderBy(desc(planVersions.number))
			.limit(1)
			.for('update');
		if (latest?.status === 'draft') throw new DomainError('conflict', 'plans.draftExists');
		if (latest?.status === 'final') throw new DomainError('conflict', 'plans.alreadyFinal');
		const number = (latest?.number ?? 0) + 1;
		const [created] = await tx
			.insert(planVersions)
			.values({
				projectId,
				number,
				title: latest?.title ?? project.name,
				titleEn: latest?.titleEn ?? project.nameEn,
				body: latest?.body ?? '',
				bodyEn: latest?.bodyEn ?? '',
				createdBy: staff.userId,
			})
			.returning({ id: planVersions.id });
		if (latest) {
			const items = await tx.select().from(planItems).where(eq(planItems.planVersionId, latest.id));
			if (items.length)
				await tx.insert(planItems).values(
					items.map(({ id: _id, planVersionId: _v, ...item }) => ({
						...item,
						planVersionId: created!.id,
					})),
				);
			const pairs = await tx
				.select()
				.from(renderings)
				.where(eq(renderings.planVersionId, latest.id));
			if (pairs.length)
				await tx.insert(renderings).values(
					pairs.map(({ id: _id, planVersionId: _v, ...pair }) => ({
						...pair,
						planVersionId: created!.id,
					})),
				);
		}
		await audit(tx, staff.userId, 'plan.version_created', created!.id, project.communityId, {
			number,
		});
		return { id: created!.id, number };
	});
}

/** Edits a draft's title and text (both languages). Errors: not_found, conflict (not a draft). */
export async function updatePlanDraft(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; title: string; titleEn: string; body: string; bodyEn: string },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		await tx
			.update(planVersions)
			.set({
				title: input.title,
				titleEn: input.titleEn,
				body: input.body,
				bodyEn: input.bodyEn,
				updatedAt: new Date(),
			})
			.where(and(eq(planVersions.id, version.id), eq(planVersions.status, 'draft')));
		await audit(tx, staff.userId, 'plan.draft_edited', version.id, version.communityId);
	});
}
