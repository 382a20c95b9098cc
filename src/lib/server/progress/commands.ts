import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../db/client.ts';
import {
	milestones,
	progressItemChanges,
	progressPhotos,
	progressUpdates,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { prepareImage, savePreparedImage, type PreparedImage } from '../images/index.ts';
import { notifyFollowers } from '../notifications/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { projectFor, type ProjectRow } from './access.ts';
import { listItemProgress, listMilestones } from './queries.ts';
import { constructionStartBlockers } from '../agreements/index.ts';
import {
	chinaToday,
	isIsoDate,
	itemKey,
	normaliseItemState,
	stateChanged,
	type ItemState,
	type MilestoneKind,
} from './rules.ts';
import type { ItemRowInput } from './schemas.ts';

/** Checks and processes uploads one by one, before any transaction (nothing stored on refusal). */
export async function prepareImages(files: File[]): Promise<PreparedImage[]> {
	const prepared: PreparedImage[] = [];
	for (const file of files) prepared.push(await prepareImage(file));
	return prepared;
}

/** Zips the form's parallel arrays into item rows; a row with a bad key or number is invalid. */
export function itemRows(input: {
	item: string[];
	status: string[];
	percent: string[];
	reason: string[];
}): ItemRowInput[] {
	return input.item.map((key, i) => {
		const match = /^(\d{1,9}):(\d{1,9})$/.exec(key);
		const status = input.status[i] as ItemRowInput['status'];
		const percentText = (input.percent[i] ?? '').trim();
		const percent = percentText === '' ? 0 : Number(percentText);
		if (!match || !['not_started', 'in_progress', 'done', 'dropped'].includes(status)) {
			throw new DomainError('invalid', 'progress.itemInvalid');
		}
		const buildingId = Number(match[2]);
		return {
			itemId: Number(match[1]),
			buildingId: buildingId > 0 ? buildingId : null,
			status,
			percent,
			reason: input.reason[i] ?? '',
		};
	});
}

/**
 * Posts a progress update (周调度): text, up to six photos (image pipeline: metadata stripped),
 * and the items whose status or percent changed. Items must belong to the project's current
 * plan (or already have progress). Errors: not_found (scope), invalid (item, percent, a
 * dropped item without a reason, an image), all before anything is stored.
 */
export async function postProgressUpdate(
	db: Db,
	actor: Actor | null,
	input: {
		projectId: number;
		body: string;
		bodyEn: string;
		photos: File[];
		items: ItemRowInput[];
	},
): Promise<{ id: number; changed: number }> {
	const { staff, project } = await projectFor(db, actor, 'progress.post', input.projectId);
	if (input.photos.length > 6) throw new DomainError('invalid', 'progress.tooManyPhotos');
	const current = new Map((await listItemProgress(db, project.id)).map((i) => [i.key, i]));
	const changes: (ItemState & { itemId: number; buildingId: number | null })[] = [];
	for (const row of input.items) {
		const known = current.get(itemKey(row.itemId, row.buildingId));
		if (!known) throw new DomainError('invalid', 'progress.itemInvalid');
		const state = normaliseItemState(row);
		if (!state) {
			throw new DomainError(
				'invalid',
				row.status === 'dropped' ? 'progress.reasonRequired' : 'progress.percentInvalid',
			);
		}
		if (stateChanged(known, state))
			changes.push({ ...state, itemId: row.itemId, buildingId: row.buildingId });
	}
	const photos = await prepareImages(input.photos);
	return db.transaction(async (tx) => {
		const [update] = await tx
			.insert(progressUpdates)
			.values({
				projectId: project.id,
				body: input.body,
				bodyEn: input.bodyEn,
				authorId: staff.userId,
			})
			.returning({ id: progressUpdates.id });
		const updateId = update!.id;
		for (const [sort, prepared] of photos.entries()) {
			const imageId = await savePreparedImage(tx, staff.userId, prepared);
			await tx.insert(progressPhotos).values({ updateId, imageId, sort }).onConflictDoNothing();
		}
		for (const change of changes) {
			await tx.insert(progressItemChanges).values({ updateId, ...change });
			// The key includes an expression (coalesce(building_id, 0)): ON CONFLICT names it.
			await tx.execute(sql`
				insert into item_progress (project_id, item_id, building_id, percent, status, reason, update_id)
				values (${project.id}, ${change.itemId}, ${change.buildingId}, ${change.percent},
				        ${change.status}, ${change.reason}, ${updateId})
				on conflict (project_id, item_id, (coalesce(building_id, 0))) do update
				set percent = excluded.percent, status = excluded.status, reason = excluded.reason,
				    update_id = excluded.update_id, updated_at = now()`);
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'progress.update_posted',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: { updateId, photos: photos.length, items: changes.length },
		});
		return { id: updateId, changed: changes.length };
	});
}

/**
 * Sets a milestone's planned and actual dates (开工, 完工, 联合竣工验收). The first time a
 * milestone gets an actual date, every follower of the project is notified (in the same
 * transaction); correcting the date later notifies nobody again. Errors: not_found (scope),
 * invalid (a date in the future for an achieved milestone, a bad date).
 */
export async function setMilestone(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; kind: MilestoneKind; plannedOn: string; achievedOn: string },
	now = new Date(),
): Promise<{ announced: number }> {
	const { staff, project } = await projectFor(db, actor, 'progress.post', input.projectId);
	for (const value of [input.plannedOn, input.achievedOn]) {
		if (value !== '' && !isIsoDate(value)) throw new DomainError('invalid', 'progress.dateInvalid');
	}
	if (input.achievedOn > chinaToday(now)) {
		throw new DomainError('invalid', 'progress.achievedInFuture');
	}
	if (input.kind === 'works_started' && input.achievedOn !== '')
		await agreementGate(db, project.id);
	return db.transaction(async (tx) => {
		const announced = await writeMilestone(tx, project, input);
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'progress.milestone_set',
			targetType: 'project',
			targetId: project.id,
			communityId: project.communityId,
			details: {
				kind: input.kind,
				plannedOn: input.plannedOn || null,
				achievedOn: input.achievedOn || null,
			},
		});
		return { announced };
	});
}

/**
 * 开工 waits for the 改造协议 of every household that pays for a building item (agreements
 * module, `agreementBlockers`); a start already recorded is not refused again (a corrected date).
 */
async function agreementGate(db: Db, projectId: number): Promise<void> {
	const started = (await listMilestones(db, projectId)).find((m) => m.kind === 'works_started');
	if (started?.achievedOn) return;
	const blockers = await constructionStartBlockers(db, projectId);
	if (blockers.length === 0) return;
	const list = blockers.map((b) => `${b.buildingNumber}: ${b.itemName} (${b.missing}/${b.paying})`);
	throw new DomainError('conflict', 'agreements.gateBlocked', {
		params: { list: list.join('; ') },
	});
}

/** Upserts a milestone and announces it once; returns how many followers were notified. */
export async function writeMilestone(
	tx: Tx,
	project: ProjectRow,
	input: { kind: MilestoneKind; plannedOn: string; achievedOn: string },
): Promise<number> {
	const values = {
		plannedOn: input.plannedOn || null,
		achievedOn: input.achievedOn || null,
	};
	await tx
		.insert(milestones)
		.values({ projectId: project.id, kind: input.kind, ...values })
		.onConflictDoUpdate({
			target: [milestones.projectId, milestones.kind],
			set: { ...values, updatedAt: sql`now()` },
		});
	if (!input.achievedOn) return 0;
	// Announce once: only the transaction that sets announced_at notifies.
	const claimed = await tx
		.update(milestones)
		.set({ announcedAt: sql`now()` })
		.where(
			and(
				eq(milestones.projectId, project.id),
				eq(milestones.kind, input.kind),
				isNull(milestones.announcedAt),
			),
		)
		.returning({ kind: milestones.kind });
	if (claimed.length === 0) return 0;
	return notifyFollowers(tx, project.id, {
		kind: 'progress.milestone',
		params: {
			project: project.name,
			projectEn: project.nameEn,
			milestone: input.kind,
			date: input.achievedOn,
		},
		link: `/p/${project.slug}/progress`,
	});
}
