/** Reads about official answers: the public "you said, we did" page and the staff overview. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	communities,
	opinionAnswers,
	opinions,
	planChangeOpinions,
	planChanges,
	planVersions,
	projects,
	users,
} from '../../../../db/schema/index.ts';
import { authorLabel } from '../opinions/index.ts';
import type { AuthorLabel } from '../opinions/index.ts';
import type { StaffActor } from '../policy/index.ts';
import { moderatedCommunities } from './access.ts';
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
	const changes = await linkedChanges(
		db,
		version.projectId,
		rows.map((r) => r.id),
	);
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

const scopeCondition = (actor: StaffActor) => {
	const ids = moderatedCommunities(actor);
	if (ids === null) return undefined;
	return ids.length === 0 ? sql`false` : inArray(projects.communityId, ids);
};

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
			versionNumber: planVersions.number,
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
		.where(
			and(
				answerable,
				scopeCondition(actor),
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
		.where(and(answerable, scopeCondition(actor)))
		.groupBy(communities.id, communities.name, communities.nameEn)
		.orderBy(asc(communities.name));
	return rows.map((row) => ({
		...row,
		medianDays: row.medianDays === null ? null : Math.round(Number(row.medianDays) * 10) / 10,
	}));
}
