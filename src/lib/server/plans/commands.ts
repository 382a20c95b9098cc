import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../db/client.ts';
import {
	attachments,
	buildings,
	opinions,
	planChangeOpinions,
	planChanges,
	planItemAlternatives,
	planItemFunding,
	planItems,
	planVersions,
	projectCompounds,
	renderings,
	renovationItems,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { chosenAlternatives } from '../ballots/index.ts';
import { prepareImage, savePreparedImage } from '../images/index.ts';
import { DomainError } from '../shared/index.ts';
import type { Actor } from '../policy/index.ts';
import { editableDraft, editableProject, editableVersion } from './access.ts';
import { blockerMessage, finalPlanBlockers } from './gates.ts';
import { checkItemMoney } from './rules.ts';

const audit = (
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

export type PlanItemInput = {
	versionId: number;
	itemId: number;
	buildingId?: number | undefined;
	description: string;
	descriptionEn: string;
	costYuan: string;
	governmentYuan: string;
	residentYuan: string;
	split: 'area' | 'equal';
};

/**
 * Adds a menu item to a draft with its cost and shares. A building-scoped item must name a
 * building of the project's compounds. Errors: invalid (money, building), conflict (duplicate).
 */
export async function addPlanItem(
	db: Db,
	actor: Actor | null,
	input: PlanItemInput,
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	if (!checkItemMoney(input.costYuan, input.governmentYuan, input.residentYuan))
		throw new DomainError('invalid', 'plans.moneyInvalid');
	const [menuItem] = await db
		.select()
		.from(renovationItems)
		.where(eq(renovationItems.id, input.itemId));
	if (!menuItem) throw new DomainError('invalid', 'plans.itemUnknown');
	await requireBuildingInProject(db, input.buildingId, version.projectId);
	await db.transaction(async (tx) => {
		const inserted = await tx
			.insert(planItems)
			.values({
				planVersionId: version.id,
				itemId: input.itemId,
				buildingId: input.buildingId ?? null,
				description: input.description,
				descriptionEn: input.descriptionEn,
				costYuan: input.costYuan,
				governmentYuan: input.governmentYuan,
				residentYuan: input.residentYuan,
				split: input.split,
				sort: menuItem.sort,
			})
			.onConflictDoNothing()
			.returning({ id: planItems.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'plans.itemDuplicate');
		await audit(tx, staff.userId, 'plan.item_added', version.id, version.communityId, {
			itemId: input.itemId,
			buildingId: input.buildingId ?? null,
		});
	});
}

export async function removePlanItem(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; planItemId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const removed = await tx
			.delete(planItems)
			.where(and(eq(planItems.id, input.planItemId), eq(planItems.planVersionId, version.id)))
			.returning({ id: planItems.id });
		if (removed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await audit(tx, staff.userId, 'plan.item_removed', version.id, version.communityId, {
			planItemId: input.planItemId,
		});
	});
}

/**
 * A plan item or rendering may name a building of the project's own compounds only (an unknown
 * id or another project's building is refused: invalid, `plans.buildingOutOfScope`).
 */
async function requireBuildingInProject(
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

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * Attaches a PDF drawing to a draft. Identified by content (the %PDF- signature and an %%EOF
 * trailer), not by name or declared type; stored in PostgreSQL, keyed by its SHA-256.
 * Errors: invalid (not a PDF, empty, too large), conflict (not a draft).
 */
export async function addAttachment(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; title: string; file: File },
): Promise<{ id: number }> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	if (input.file.size === 0) throw new DomainError('invalid', 'plans.pdfInvalid');
	if (input.file.size > MAX_ATTACHMENT_BYTES)
		throw new DomainError('invalid', 'plans.pdfTooLarge', { params: { mb: 20 } });
	const data = new Uint8Array(await input.file.arrayBuffer());
	const head = Buffer.from(data.subarray(0, 5)).toString('latin1');
	const tail = Buffer.from(data.subarray(Math.max(0, data.length - 1024))).toString('latin1');
	if (head !== '%PDF-' || !tail.includes('%%EOF'))
		throw new DomainError('invalid', 'plans.pdfInvalid');
	const hash = createHash('sha256').update(data).digest('hex');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(attachments)
			.values({
				planVersionId: version.id,
				title: input.title,
				hash,
				contentType: 'application/pdf',
				byteLength: data.byteLength,
				data,
				uploadedBy: staff.userId,
			})
			.returning({ id: attachments.id });
		await audit(tx, staff.userId, 'plan.attachment_added', version.id, version.communityId, {
			attachmentId: row!.id,
			bytes: data.byteLength,
		});
		return { id: row!.id };
	});
}

export async function removeAttachment(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; attachmentId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const removed = await tx
			.delete(attachments)
			.where(and(eq(attachments.id, input.attachmentId), eq(attachments.planVersionId, version.id)))
			.returning({ id: attachments.id });
		if (removed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await audit(tx, staff.userId, 'plan.attachment_removed', version.id, version.communityId, {
			attachmentId: input.attachmentId,
		});
	});
}
