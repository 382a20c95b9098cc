import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { policyExplainers, projects } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { getDistrictByCode } from './queries.ts';
import type { SaveExplainerInput } from './schemas.ts';

/** Who owns the entry: a project (its committee or officers) or a district (admins). */
async function scopeOf(db: Db, actor: Actor | null, input: SaveExplainerInput) {
	if (input.projectId !== undefined) {
		const [project] = await db
			.select({ id: projects.id, communityId: projects.communityId })
			.from(projects)
			.where(eq(projects.id, input.projectId));
		if (
			!project ||
			!can(actor, 'explainer.edit_project', {
				projectId: project.id,
				communityId: project.communityId,
			})
		) {
			throw new DomainError('not_found', 'error.notFound');
		}
		return { projectId: project.id, districtId: null, communityId: project.communityId };
	}
	const district = await getDistrictByCode(db, input.districtCode ?? '');
	if (!district || !can(actor, 'explainer.edit_district')) {
		throw new DomainError('not_found', 'error.notFound');
	}
	return { projectId: null, districtId: district.id, communityId: null };
}

/**
 * Writes a policy explainer or FAQ entry (政策解读), new or edited (an id of the same scope).
 * Markdown is stored as written and rendered safely on display. Errors: not_found (scope, or
 * an id of another scope).
 */
export async function saveExplainer(
	db: Db,
	actor: Actor | null,
	input: SaveExplainerInput,
): Promise<{ id: number }> {
	const scope = await scopeOf(db, actor, input);
	const values = {
		kind: input.kind,
		title: input.title,
		titleEn: input.titleEn,
		body: input.body,
		bodyEn: input.bodyEn,
		sort: input.sort,
		updatedBy: actor!.userId,
		updatedAt: new Date(),
	};
	return db.transaction(async (tx) => {
		let id: number;
		if (input.id !== undefined) {
			const owner =
				scope.projectId !== null
					? eq(policyExplainers.projectId, scope.projectId)
					: eq(policyExplainers.districtId, scope.districtId!);
			const [row] = await tx
				.update(policyExplainers)
				.set(values)
				.where(and(eq(policyExplainers.id, input.id), owner))
				.returning({ id: policyExplainers.id });
			if (!row) throw new DomainError('not_found', 'error.notFound');
			id = row.id;
		} else {
			const [row] = await tx
				.insert(policyExplainers)
				.values({ ...values, projectId: scope.projectId, districtId: scope.districtId })
				.returning({ id: policyExplainers.id });
			id = row!.id;
		}
		await appendAudit(tx, {
			actorId: actor!.userId,
			actorKind: 'staff',
			action: input.id === undefined ? 'explainer.created' : 'explainer.edited',
			targetType: 'policy_explainer',
			targetId: id,
			communityId: scope.communityId,
			details: { projectId: scope.projectId, districtId: scope.districtId, kind: input.kind },
		});
		return { id };
	});
}
