/** Reads about official answers: the public "you said, we did" page and the staff overview. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	communities,
	opinionAnswers,
	opinions,
	planChangeOpinions,
	planChanges,
	planItems,
	planVersions,
	projects,
	renovationItems,
	users,
} from '../../../../db/schema/index.ts';
import { authorLabel } from '../opinions/index.ts';
import type { AuthorLabel } from '../opinions/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { StaffActor } from '../policy/index.ts';
import { waitingDays } from './rules.ts';
import type { AnswerView, Disposition } from './types.ts';
import { dispositions } from './types.ts';

/** Top-level published opinions: what is counted and answered (replies are discussion). */
const answerable = and(
	isNull(opinions.parentId),
	eq(opinions.state, 'published'),
	isNull(opinions.withdrawnAt),
);

export type SheetEntry = {
	id: number;
	body: string;
	author: AuthorLabel;
	channel: 'online' | 'meeting' | 'phone' | 'paper';
	createdAt: Date;
	answer: AnswerView;
	/** Changes in later versions linked to this opinion (capability 1: "what changed and why"). */
	changes: { versionNumber: number; text: string; textEn: string }[];
	/**
	 * What carries an adopted / partly adopted opinion (issue 21): an item or a change of a
	 * published later version with its link, or 'next' (in the next version, not published yet);
	 * null for the other dispositions.
	 */
	carrier: Carried | { kind: 'next' } | null;
};

export type Carried = {
	kind: 'item' | 'change';
	versionNumber: number;
	text: string;
	textEn: string;
	href: string;
};

export type AnswerSheet = {
	project: { id: number; slug: string; name: string; nameEn: string };
	version: { id: number; number: number; title: string; titleEn: string };
	received: number;
	unanswered: number;
	counts: Record<Disposition, number>;
	entries: Record<Disposition, SheetEntry[]>;
};

/**
 * 意见采纳情况 ("you said, we did") of a public plan version: how many opinions it received and
 * how each was answered, the adopted ones with what changed in later versions because of them,
 * the not-adopted ones with their reasons. Published top-level opinions only; authors appear as
 * their building. Null for a draft or a version that does not exist.
 */
export async function getAnswerSheet(
	db: Executor,
	slug: string,
	number: number,
): Promise<AnswerSheet | null> {
	const [version] = await db
		.select({
			id: planVersions.id,
			number: planVersions.number,
			title: planVersions.title,
			titleEn: planVersions.titleEn,
			status: planVersions.status,
			projectId: projects.id,
			slug: projects.slug,
			name: projects.name,
			nameEn: projects.nameEn,
		})
		.from(planVersions)
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.where(and(eq(projects.slug, slug), eq(planVersions.number, number)));
	if (!version || version.status === 'draft') return null;
	const onVersion = and(eq(opinions.planVersionId, version.id), answerable);
	const [[received], rows] = await Promise.all([
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(opinions)
			.where(onVersion),
		db
			.select({
				id: opinions.id,
				body: opinions.body,
				building: opinions.authorBuilding,
				deletedAt: users.deletedAt,
				channel: opinions.channel,
				createdAt: opinions.createdAt,
				answer: opinionAnswers,
			})
			.from(opinions)
			.innerJoin(opinionAnswers, eq(opinionAnswers.opinionId, opinions.id))
			.leftJoin(users, eq(users.id, opinions.authorId))
			.where(onVersion)
			.orderBy(asc(opinions.createdAt), asc(opinions.id)),
	]);
	const [changes, carriers] = await Promise.all([
		linkedChanges(
			db,
			version.projectId,
			rows.map((r) => r.id),
		),
		publishedCarriers(
			db,
			version.slug,
			rows.map((r) => r.answer),
		),
	]);
	const entries = Object.fromEntries(dispositions.map((d) => [d, [] as SheetEntry[]])) as Record<
		Disposition,
		SheetEntry[]
	>;
	for (const row of rows) {
		const disposition = row.answer.disposition as Disposition;
		entries[disposition].push({
			id: row.id,
			body: row.body,
			author: authorLabel({ deleted: row.deletedAt !== null, building: row.building }),
			channel: row.channel,
			createdAt: row.createdAt,
			answer: {
				disposition,
				body: row.answer.body,
				revision: row.answer.revision,
				edited: row.answer.revision > 1,
				answeredAt: row.answer.createdAt,
				updatedAt: row.answer.updatedAt,
			},
			changes: changes.get(row.id) ?? [],
			carrier:
				disposition === 'adopted' || disposition === 'partly_adopted'
					? (carriers.get(row.answer.id) ?? { kind: 'next' })
					: null,
		});
	}
	const counts = Object.fromEntries(dispositions.map((d) => [d, entries[d].length])) as Record<
		Disposition,
		number
	>;
	return {
		project: {
			id: version.projectId,
			slug: version.slug,
			name: version.name,
			nameEn: version.nameEn,
		},
		version: {
			id: version.id,
			number: version.number,
			title: version.title,
			titleEn: version.titleEn,
		},
		received: received?.n ?? 0,
		unanswered: (received?.n ?? 0) - rows.length,
		counts,
		entries,
	};
}

/**
 * The carriers (item or change) of these answers that are in a published version, by answer
 * id; a carrier in a draft is not public yet, so it reads as "in the next version".
 */
async function publishedCarriers(
	db: Executor,
	slug: string,
	answers: { id: number; carrierItemId: number | null; carrierChangeId: number | null }[],
) {
	const byAnswer = new Map<number, Carried>();
	const itemIds = answers.flatMap((a) => (a.carrierItemId === null ? [] : [a.carrierItemId]));
	const changeIds = answers.flatMap((a) => (a.carrierChangeId === null ? [] : [a.carrierChangeId]));
	const published = sql`${planVersions.status} <> 'draft'`;
	const [items, changes] = await Promise.all([
		itemIds.length === 0
			? []
			: db
					.select({
						id: planItems.id,
						number: planVersions.number,
						name: renovationItems.name,
						nameEn: renovationItems.nameEn,
					})
					.from(planItems)
					.innerJoin(planVersions, eq(planVersions.id, planItems.planVersionId))
					.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
					.where(and(inArray(planItems.id, itemIds), published)),
		changeIds.length === 0
			? []
			: db
					.select({
						id: planChanges.id,
						number: planVersions.number,
						text: planChanges.text,
						textEn: planChanges.textEn,
					})
					.from(planChanges)
					.innerJoin(planVersions, eq(planVersions.id, planChanges.planVersionId))
					.where(and(inArray(planChanges.id, changeIds), published)),
	]);
	const itemById = new Map(items.map((i) => [i.id, i]));
	const changeById = new Map(changes.map((c) => [c.id, c]));
	for (const a of answers) {
		const item = a.carrierItemId === null ? undefined : itemById.get(a.carrierItemId);
		const change = a.carrierChangeId === null ? undefined : changeById.get(a.carrierChangeId);
		if (item)
			byAnswer.set(a.id, {
				kind: 'item',
				versionNumber: item.number,
				text: item.name,
				textEn: item.nameEn,
				href: `/p/${slug}/v/${item.number}#items`,
			});
		else if (change)
			byAnswer.set(a.id, {
				kind: 'change',
				versionNumber: change.number,
				text: change.text,
				textEn: change.textEn || change.text,
				href: `/p/${slug}/v/${change.number}#changes`,
			});
	}
	return byAnswer;
}

/**
 * What an adopted opinion of a project may be carried by: the items and listed changes of the
 * project's draft versions (the next version being prepared), by project.
 */
export async function listCarrierOptions(db: Executor, projectIds: number[]) {
	if (projectIds.length === 0) return [];
	const draft = and(inArray(planVersions.projectId, projectIds), eq(planVersions.status, 'draft'));
	const [items, changes] = await Promise.all([
		db
			.select({
				id: planItems.id,
				projectId: planVersions.projectId,
				versionNumber: planVersions.number,
				text: renovationItems.name,
				textEn: renovationItems.nameEn,
			})
			.from(planItems)
			.innerJoin(planVersions, eq(planVersions.id, planItems.planVersionId))
			.innerJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
			.where(draft)
			.orderBy(asc(planVersions.number), asc(planItems.sort), asc(planItems.id)),
		db
			.select({
				id: planChanges.id,
				projectId: planVersions.projectId,
				versionNumber: planVersions.number,
				text: planChanges.text,
				textEn: planChanges.textEn,
			})
			.from(planChanges)
			.innerJoin(planVersions, eq(planVersions.id, planChanges.planVersionId))
			.where(draft)
			.orderBy(asc(planVersions.number), asc(planChanges.sort), asc(planChanges.id)),
	]);
	return [
		...items.map((i) => ({ ...i, value: `item:${i.id}`, kind: 'item' as const })),
		...changes.map((c) => ({
			...c,
			textEn: c.textEn || c.text,
			value: `change:${c.id}`,
			kind: 'change' as const,
		})),
	];
}
export type CarrierOption = Awaited<ReturnType<typeof listCarrierOptions>>[number];

/**
 * Adopted and partly adopted opinions of a version's project, on earlier versions, that nothing
 * carries yet: no item or change chosen in their answer and no change citing them ("adopted
 * means changed": the publish step of the next version lists them).
 */
export async function listAdoptedWithoutChange(db: Executor, planVersionId: number) {
	const [version] = await db
		.select({ projectId: planVersions.projectId, number: planVersions.number })
		.from(planVersions)
		.where(eq(planVersions.id, planVersionId));
	if (!version) return [];
	return db
		.select({
			id: opinions.id,
			body: opinions.body,
			versionNumber: planVersions.number,
			disposition: opinionAnswers.disposition,
		})
		.from(opinions)
		.innerJoin(opinionAnswers, eq(opinionAnswers.opinionId, opinions.id))
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.where(
			and(
				answerable,
				eq(planVersions.projectId, version.projectId),
				sql`${planVersions.number} < ${version.number}`,
				inArray(opinionAnswers.disposition, ['adopted', 'partly_adopted']),
				isNull(opinionAnswers.carrierItemId),
				isNull(opinionAnswers.carrierChangeId),
				sql`not exists (select 1 from ${planChangeOpinions} where ${planChangeOpinions.opinionId} = ${opinions.id})`,
			),
		)
		.orderBy(asc(opinions.createdAt), asc(opinions.id));
}

/** Changes of the project's published versions that cite these opinions, by opinion. */
async function linkedChanges(db: Executor, projectId: number, opinionIds: number[]) {
	const byOpinion = new Map<number, SheetEntry['changes']>();
	if (opinionIds.length === 0) return byOpinion;
	const rows = await db
		.select({
			opinionId: planChangeOpinions.opinionId,
			versionNumber: planVersions.number,
			text: planChanges.text,
			textEn: planChanges.textEn,
		})
		.from(planChangeOpinions)
		.innerJoin(planChanges, eq(planChanges.id, planChangeOpinions.changeId))
		.innerJoin(planVersions, eq(planVersions.id, planChanges.planVersionId))
		.where(
			and(
				inArray(planChangeOpinions.opinionId, opinionIds),
				eq(planVersions.projectId, projectId),
				sql`${planVersions.status} <> 'draft'`,
			),
		)
		.orderBy(asc(planVersions.number), asc(planChanges.sort), asc(planChanges.id));
	for (const row of rows) {
		const list = byOpinion.get(row.opinionId) ?? [];
		list.push({ versionNumber: row.versionNumber, text: row.text, textEn: row.textEn });
		byOpinion.set(row.opinionId, list);
	}
	return byOpinion;
}

/** Opinions of the communities whose opinions the staff member answers. */
const answerScope = (actor: StaffActor) =>
	scopeFilter(staffScope(actor, 'opinion.answer'), { communityId: projects.communityId });

/** How many unanswered opinions the overview lists at most (the longest waiting). */
export const UNANSWERED_LIMIT = 200;

/**
 * Published top-level opinions without an answer in the staff member's communities, the
 * longest waiting first, with whole days waited at `now` and their project and community.
 */
export async function listUnanswered(db: Executor, actor: StaffActor, now = new Date()) {
	const rows = await db
		.select({
			id: opinions.id,
			body: opinions.body,
			createdAt: opinions.createdAt,
			channel: opinions.channel,
			alignment: opinions.alignment,
			itemName: renovationItems.name,
			itemNameEn: renovationItems.nameEn,
			versionNumber: planVersions.number,
			projectId: projects.id,
			projectSlug: projects.slug,
			projectName: projects.name,
			projectNameEn: projects.nameEn,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.innerJoin(communities, eq(communities.id, projects.communityId))
		.leftJoin(planItems, eq(planItems.id, opinions.planItemId))
		.leftJoin(renovationItems, eq(renovationItems.id, planItems.itemId))
		.where(
			and(
				answerable,
				answerScope(actor),
				sql`not exists (select 1 from ${opinionAnswers} where ${opinionAnswers.opinionId} = ${opinions.id})`,
			),
		)
		.orderBy(asc(opinions.createdAt), asc(opinions.id))
		.limit(UNANSWERED_LIMIT);
	return rows.map((row) => ({ ...row, waitingDays: waitingDays(row.createdAt, now) }));
}

/**
 * Per community in scope: published top-level opinions received, how many are answered, and
 * the median days from an opinion to its first answer (null before any answer).
 */
export async function answerSummary(db: Executor, actor: StaffActor) {
	const rows = await db
		.select({
			communityId: communities.id,
			name: communities.name,
			nameEn: communities.nameEn,
			received: sql<number>`count(*)::int`,
			answered: sql<number>`count(${opinionAnswers.id})::int`,
			medianDays: sql<
				string | number | null
			>`percentile_cont(0.5) within group (order by extract(epoch from ${opinionAnswers.createdAt} - ${opinions.createdAt}) / 86400)`,
		})
		.from(opinions)
		.innerJoin(planVersions, eq(planVersions.id, opinions.planVersionId))
		.innerJoin(projects, eq(projects.id, planVersions.projectId))
		.innerJoin(communities, eq(communities.id, projects.communityId))
		.leftJoin(opinionAnswers, eq(opinionAnswers.opinionId, opinions.id))
		.where(and(answerable, answerScope(actor)))
		.groupBy(communities.id, communities.name, communities.nameEn)
		.orderBy(asc(communities.name));
	return rows.map((row) => ({
		...row,
		medianDays: row.medianDays === null ? null : Math.round(Number(row.medianDays) * 10) / 10,
	}));
}
