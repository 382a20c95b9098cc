import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import {
	opinions,
	planChangeOpinions,
	planChanges,
	planVersions,
} from '../../../../../db/schema/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft } from '../access.ts';
import { audit } from './common.ts';

/**
 * Records a change since the previous version and the opinions that caused it (opinions of
 * this project's earlier versions only). Errors: invalid (an opinion from elsewhere).
 */
export async function addPlanChange(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; text: string; textEn: string; opinionIds: number[] },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	const ids = [...new Set(input.opinionIds)];
	if (ids.length) {
		const found = await db
			.select({ id: opinions.id })
			.from(opinions)
			.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
			.where(
				and(
					inArray(opinions.id, ids),
					eq(planVersions.projectId, version.projectId),
					ne(planVersions.id, version.id),
				),
			);
		if (found.length !== ids.length) throw new DomainError('invalid', 'plans.opinionUnknown');
	}
	await db.transaction(async (tx) => {
		const [{ n }] = (await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(planChanges)
			.where(eq(planChanges.planVersionId, version.id))) as [{ n: number }];
		const [change] = await tx
			.insert(planChanges)
			.values({ planVersionId: version.id, text: input.text, textEn: input.textEn, sort: n + 1 })
			.returning({ id: planChanges.id });
		if (ids.length)
			await tx
				.insert(planChangeOpinions)
				.values(ids.map((opinionId) => ({ changeId: change!.id, opinionId })));
		await audit(tx, staff.userId, 'plan.change_added', version.id, version.communityId, {
			opinions: ids.length,
		});
	});
}
