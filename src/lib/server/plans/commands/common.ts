/** What the plan commands share: the audit entry of a version, the building check. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { buildings, projectCompounds } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { DomainError } from '../../shared/index.ts';

export const audit = (
	tx: Parameters<typeof appendAudit>[0],
	actorId: string,
	action: string,
	versionId: number,
	communityId: number,
	details = {},
) =>
	appendAudit(tx, {
		actorId,
		actorKind: 'staff',
		action,
		targetType: 'plan_version',
		targetId: versionId,
		communityId,
		details,
	});

/**
 * A plan item or rendering may name a building of the project's own compounds only (an unknown
 * id or another project's building is refused: invalid, `plans.buildingOutOfScope`).
 */
export async function requireBuildingInProject(
	db: Db,
	buildingId: number | undefined,
	projectId: number,
): Promise<void> {
	if (buildingId === undefined) return;
	const [inScope] = await db
		.select({ id: buildings.id })
		.from(buildings)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, buildings.compoundId))
		.where(and(eq(buildings.id, buildingId), eq(projectCompounds.projectId, projectId)));
	if (!inScope) throw new DomainError('invalid', 'plans.buildingOutOfScope');
}
