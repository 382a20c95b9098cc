import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import {
	buildings,
	households,
	offlineOpinions,
	planVersions,
	projectCompounds,
	projects,
} from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { parseOrThrow, recordReceivedOpinions } from '../../opinions/index.ts';
import { can } from '../../policy/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { requireStaffActor } from '../access.ts';
import { chinaDateTime, chinaDay } from '../../../china-time.ts';
import { offlineInput, type OfflineInput } from '../schemas.ts';

/** How far back a paper or meeting opinion may be dated. */
const MAX_AGE_DAYS = 366;

/**
 * When an opinion received on `day` (China time) is placed: noon that day, or `now` if that is
 * still ahead, so it sorts and waits like an opinion posted that day.
 */
function receivedAt(day: string, now: Date): Date {
	const noon = chinaDateTime(day, '12:00:00');
	return noon > now ? now : noon;
}

/**
 * Records an opinion received offline (居民议事会 / 夜谈会, by phone, on paper) for a household of
 * the project, with the channel and the day it was received, so it gets an answer and counts
 * like the rest. It is published at once (staff wrote it down; the household is shown as its
 * building, "3号楼住户", like any author) and has no account behind it. The staff member is
 * recorded and the entry audited.
 *
 * @throws DomainError invalid (input, a date in the future or over a year back, a household
 *   outside the project) | unauthenticated | forbidden | not_found (no such published version
 *   in the actor's communities).
 */
export async function recordOfflineOpinion(
	db: Db,
	actor: Actor | null,
	input: OfflineInput,
	now = new Date(),
): Promise<{ id: number }> {
	const staff = requireStaffActor(actor);
	const data = parseOrThrow(offlineInput, input);
	const today = chinaDay(now);
	const earliest = chinaDay(new Date(now.getTime() - MAX_AGE_DAYS * 86_400_000));
	if (data.receivedOn > today || data.receivedOn < earliest)
		throw new DomainError('invalid', 'moderation.dateInvalid');
	return db.transaction(async (tx) => {
		const [version] = await tx
			.select({
				id: planVersions.id,
				status: planVersions.status,
				projectId: projects.id,
				communityId: projects.communityId,
			})
			.from(planVersions)
			.innerJoin(projects, eq(projects.id, planVersions.projectId))
			.where(eq(planVersions.id, data.planVersionId));
		if (
			!version ||
			version.status === 'draft' ||
			!can(staff, 'opinion.record_offline', { communityId: version.communityId })
		)
			throw new DomainError('not_found', 'error.notFound');
		const [household] = await tx
			.select({ id: households.id, building: buildings.number })
			.from(households)
			.innerJoin(buildings, eq(buildings.id, households.buildingId))
			.innerJoin(
				projectCompounds,
				and(
					eq(projectCompounds.compoundId, households.compoundId),
					eq(projectCompounds.projectId, version.projectId),
				),
			)
			.where(and(eq(households.id, data.householdId), isNull(households.retiredAt)));
		if (!household) throw new DomainError('invalid', 'moderation.householdInvalid');
		const [opinionId] = await recordReceivedOpinions(tx, data.channel, [
			{
				planVersionId: version.id,
				householdId: household.id,
				authorBuilding: household.building,
				alignment: data.alignment,
				body: data.body,
				createdAt: receivedAt(data.receivedOn, now),
			},
		]);
		await tx
			.insert(offlineOpinions)
			.values({ opinionId: opinionId!, recordedBy: staff.userId, receivedOn: data.receivedOn });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'opinion.recorded_offline',
			targetType: 'opinion',
			targetId: opinionId!,
			communityId: version.communityId,
			details: { channel: data.channel, receivedOn: data.receivedOn, planVersionId: version.id },
		});
		return { id: opinionId! };
	});
}
