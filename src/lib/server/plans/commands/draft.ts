import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import {
	planItemAlternatives,
	planItemFunding,
	planItems,
	planVersions,
	renderings,
} from '../../../../../db/schema/index.ts';
import { chosenAlternatives } from '../../ballots/index.ts';
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
		let chosen = new Map<number, number>();
		if (latest) {
			chosen = await chosenAlternatives(tx, latest.id);
			await copyPlanItems(tx, latest.id, created!.id, chosen);
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
			chosenAlternatives: [...chosen.values()],
		});
		return { id: created!.id, number };
	});
}

/**
 * Copies a version's items into the next one, each with its funding breakdown (资金来源) and its
 * alternative designs (多方案比选): where residents chose one in the version's round (`chosen`:
 * plan item id → alternative id), only that one, marked chosen; else all of them.
 * One insert per item: the copies need the new item's id.
 */
async function copyPlanItems(
	tx: Tx,
	fromVersionId: number,
	toVersionId: number,
	chosen: Map<number, number>,
): Promise<void> {
	const items = await tx
		.select()
		.from(planItems)
		.where(eq(planItems.planVersionId, fromVersionId))
		.orderBy(planItems.id);
	const funding = items.length
		? await tx
				.select()
				.from(planItemFunding)
				.where(
					inArray(
						planItemFunding.planItemId,
						items.map((i) => i.id),
					),
				)
		: [];
	const alternatives = items.length
		? await tx
				.select()
				.from(planItemAlternatives)
				.where(
					inArray(
						planItemAlternatives.planItemId,
						items.map((i) => i.id),
					),
				)
				.orderBy(planItemAlternatives.sort, planItemAlternatives.id)
		: [];
	for (const { id, planVersionId: _v, ...item } of items) {
		const [copy] = await tx
			.insert(planItems)
			.values({ ...item, planVersionId: toVersionId })
			.returning({ id: planItems.id });
		const rows = funding.filter((f) => f.planItemId === id);
		if (rows.length)
			await tx.insert(planItemFunding).values(rows.map((f) => ({ ...f, planItemId: copy!.id })));
		const choice = chosen.get(id);
		const designs = alternatives.filter(
			(a) => a.planItemId === id && (choice === undefined || a.id === choice),
		);
		if (designs.length)
			await tx.insert(planItemAlternatives).values(
				designs.map(({ id: altId, planItemId: _p, ...a }) => ({
					...a,
					planItemId: copy!.id,
					chosen: a.chosen || altId === choice,
				})),
			);
	}
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
