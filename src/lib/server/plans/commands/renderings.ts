import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { renderings } from '../../../../../db/schema/index.ts';
import { prepareImage, savePreparedImage } from '../../images/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft } from '../access.ts';
import { audit, requireBuildingInProject } from './common.ts';

/**
 * Adds a before/after rendering pair to a draft. Both images are checked and processed first;
 * they and the pair are then saved in one transaction, so a refused upload leaves nothing.
 */
export async function addRendering(
	db: Db,
	actor: Actor | null,
	input: {
		versionId: number;
		before: File;
		after: File;
		caption: string;
		captionEn: string;
		buildingId?: number | undefined;
		spot: string;
	},
): Promise<{ id: number }> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await requireBuildingInProject(db, input.buildingId, version.projectId);
	const before = await prepareImage(input.before);
	const after = await prepareImage(input.after);
	return db.transaction(async (tx) => {
		const beforeImageId = await savePreparedImage(tx, staff.userId, before);
		const afterImageId = await savePreparedImage(tx, staff.userId, after);
		const [row] = await tx
			.insert(renderings)
			.values({
				planVersionId: version.id,
				beforeImageId,
				afterImageId,
				caption: input.caption,
				captionEn: input.captionEn,
				buildingId: input.buildingId ?? null,
				spot: input.spot,
			})
			.returning({ id: renderings.id });
		await audit(tx, staff.userId, 'plan.rendering_added', version.id, version.communityId, {
			renderingId: row!.id,
		});
		return { id: row!.id };
	});
}

export async function removeRendering(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; renderingId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const removed = await tx
			.delete(renderings)
			.where(and(eq(renderings.id, input.renderingId), eq(renderings.planVersionId, version.id)))
			.returning({ id: renderings.id });
		if (removed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await audit(tx, staff.userId, 'plan.rendering_removed', version.id, version.communityId, {
			renderingId: input.renderingId,
		});
	});
}
