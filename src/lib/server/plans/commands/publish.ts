import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { planItems, planVersions } from '../../../../../db/schema/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft, editableVersion } from '../access.ts';
import { blockerMessage, finalPlanBlockers } from '../gates.ts';
import { audit } from './common.ts';

/**
 * Publishes a draft for comment (or as the final plan, 上墙公示) with its comment window; the
 * project's earlier open or closed versions become superseded. From now on it is immutable.
 * A final plan must pass the gates of `finalPlanBlockers` (no item residents refused, opinions
 * from 2/3 of the households), unless a district admin gives a written `overrideReason`, which
 * is stored, shown on the public plan page and audited with every blocker it overrode.
 * Errors: conflict (not a draft), invalid (window), conflict (a gate, naming the item and round
 * or the compound), forbidden (an override by anyone but an admin).
 */
export async function publishPlanVersion(
	db: Db,
	actor: Actor | null,
	input: {
		versionId: number;
		opensAt: Date;
		closesAt: Date;
		final: boolean;
		overrideReason?: string | undefined;
	},
	now = new Date(),
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	if (!(input.closesAt > input.opensAt) || !(input.closesAt > now))
		throw new DomainError('invalid', 'plans.windowInvalid');
	const [{ n }] = (await db
		.select({ n: sql<number>`count(*)::int` })
		.from(planItems)
		.where(eq(planItems.planVersionId, version.id))) as [{ n: number }];
	if (n === 0) throw new DomainError('invalid', 'plans.noItems');
	const blockers = input.final ? await finalPlanBlockers(db, version, now) : [];
	const override = blockers.length > 0 ? (input.overrideReason ?? '').trim() : '';
	if (blockers.length > 0 && override === '') {
		const { key, params } = blockerMessage(blockers[0]!);
		throw new DomainError('conflict', key, { params });
	}
	if (override !== '' && !staff.roles.has('admin')) {
		throw new DomainError('forbidden', 'plans.gate.adminOnly');
	}
	await db.transaction(async (tx) => {
		await tx
			.update(planVersions)
			.set({ status: 'superseded', updatedAt: now })
			.where(
				and(
					eq(planVersions.projectId, version.projectId),
					inArray(planVersions.status, ['open', 'closed']),
				),
			);
		const updated = await tx
			.update(planVersions)
			.set({
				status: input.final ? 'final' : 'open',
				commentOpensAt: input.opensAt,
				commentClosesAt: input.closesAt,
				publishedAt: now,
				updatedAt: now,
				...(override === '' ? {} : { overrideReason: override, overrideBy: staff.userId }),
			})
			.where(and(eq(planVersions.id, version.id), eq(planVersions.status, 'draft')))
			.returning({ id: planVersions.id });
		if (updated.length === 0) throw new DomainError('conflict', 'plans.notDraft');
		if (override !== '') {
			await audit(tx, staff.userId, 'plan.gate_overridden', version.id, version.communityId, {
				reason: override,
				blockers,
			});
		}
		await audit(
			tx,
			staff.userId,
			input.final ? 'plan.published_final' : 'plan.published',
			version.id,
			version.communityId,
			{
				opensAt: input.opensAt.toISOString(),
				closesAt: input.closesAt.toISOString(),
			},
		);
	});
}

/** Closes an open version's comment window now (the window also closes by itself). */
export async function closePlanVersion(
	db: Db,
	actor: Actor | null,
	versionId: number,
	now = new Date(),
): Promise<void> {
	const { staff, version } = await editableVersion(db, actor, versionId);
	if (version.status !== 'open') throw new DomainError('conflict', 'plans.notOpen');
	await db.transaction(async (tx) => {
		await tx
			.update(planVersions)
			.set({
				status: 'closed',
				commentClosesAt: now < (version.commentClosesAt ?? now) ? now : version.commentClosesAt,
				updatedAt: now,
			})
			.where(eq(planVersions.id, version.id));
		await audit(tx, staff.userId, 'plan.closed', version.id, version.communityId);
	});
}
