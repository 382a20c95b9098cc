import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { buildings, problemPhotos, problemReports, projects } from '../../../../db/schema/index.ts';
import { getImageViews, type ImageView } from '../images/index.ts';
import { can, scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { median, readableDuration, type Duration } from './rules.ts';

export type ProblemStats = {
	open: number;
	dispatched: number;
	closed: number;
	/** Median time from report to close, over closed reports; null when none is closed. */
	medianToClose: Duration | null;
};

/**
 * The public figures of a project's problem reports: counts by status and the median time to
 * close. Nothing else about a report is public (it may describe someone's home).
 */
export async function problemStats(db: Executor, projectId: number): Promise<ProblemStats> {
	const [counts, durations] = await Promise.all([
		db
			.select({ status: problemReports.status, n: sql<number>`count(*)::int` })
			.from(problemReports)
			.where(eq(problemReports.projectId, projectId))
			.groupBy(problemReports.status),
		db
			.select({
				ms: sql<number>`(extract(epoch from ${problemReports.closedAt} - ${problemReports.createdAt}) * 1000)::float8`,
			})
			.from(problemReports)
			.where(and(eq(problemReports.projectId, projectId), eq(problemReports.status, 'closed'))),
	]);
	const n = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
	const mid = median(durations.map((d) => Number(d.ms)));
	return {
		open: n('open'),
		dispatched: n('dispatched'),
		closed: n('closed'),
		medianToClose: mid === null ? null : readableDuration(mid),
	};
}

export type ProblemView = {
	id: number;
	projectId: number;
	projectSlug: string;
	projectName: string;
	projectNameEn: string;
	communityId: number;
	body: string;
	place: string;
	buildingNumber: string | null;
	status: 'open' | 'dispatched' | 'closed';
	unit: string | null;
	dueOn: string | null;
	answer: string;
	createdAt: Date;
	dispatchedAt: Date | null;
	closedAt: Date | null;
	mine: boolean;
	photos: ImageView[];
	answerPhoto: ImageView | null;
};

const columns = {
	report: problemReports,
	projectSlug: projects.slug,
	projectName: projects.name,
	projectNameEn: projects.nameEn,
	communityId: projects.communityId,
	buildingNumber: buildings.number,
};

type Row = {
	report: typeof problemReports.$inferSelect;
	projectSlug: string;
	projectName: string;
	projectNameEn: string;
	communityId: number;
	buildingNumber: string | null;
};

async function toViews(db: Executor, rows: Row[], viewerId: string | null): Promise<ProblemView[]> {
	if (rows.length === 0) return [];
	const photos = await db
		.select()
		.from(problemPhotos)
		.where(
			inArray(
				problemPhotos.reportId,
				rows.map((r) => r.report.id),
			),
		)
		.orderBy(asc(problemPhotos.sort));
	const views = await getImageViews(db, [
		...photos.map((p) => p.imageId),
		...rows.flatMap((r) => (r.report.answerImageId ? [r.report.answerImageId] : [])),
	]);
	return rows.map(({ report: r, ...project }) => ({
		id: r.id,
		projectId: r.projectId,
		...project,
		body: r.body,
		place: r.place,
		status: r.status,
		unit: r.unit,
		dueOn: r.dueOn,
		answer: r.answer,
		createdAt: r.createdAt,
		dispatchedAt: r.dispatchedAt,
		closedAt: r.closedAt,
		mine: viewerId !== null && r.reporterId === viewerId,
		photos: photos.flatMap((p) => {
			const view = p.reportId === r.id ? views.get(p.imageId) : undefined;
			return view ? [view] : [];
		}),
		answerPhoto: r.answerImageId ? (views.get(r.answerImageId) ?? null) : null,
	}));
}

const base = (db: Executor) =>
	db
		.select(columns)
		.from(problemReports)
		.innerJoin(projects, eq(projects.id, problemReports.projectId))
		.leftJoin(buildings, eq(buildings.id, problemReports.buildingId));

/**
 * One report for its reporter or for staff who may dispatch it; null for anyone else (a
 * report is not public, and its existence is not revealed).
 */
export async function getProblemForViewer(
	db: Executor,
	actor: Actor | null,
	reportId: number,
): Promise<ProblemView | null> {
	const [row] = await base(db).where(eq(problemReports.id, reportId));
	if (!row) return null;
	const reporter = actor?.kind === 'resident' && row.report.reporterId === actor.userId;
	const staff = can(actor, 'problem.view', {
		projectId: row.report.projectId,
		communityId: row.communityId,
	});
	if (!reporter && !staff) return null;
	const [view] = await toViews(db, [row], actor?.userId ?? null);
	return view ?? null;
}

/** A resident's own reports on a project, newest first. */
export async function listMyProblems(
	db: Executor,
	userId: string,
	projectId: number,
): Promise<ProblemView[]> {
	const rows = await base(db)
		.where(and(eq(problemReports.reporterId, userId), eq(problemReports.projectId, projectId)))
		.orderBy(desc(problemReports.id))
		.limit(50);
	return toViews(db, rows, userId);
}

/**
 * The staff queue: reports of the communities in the actor's scope and of the projects an
 * officer is responsible for (all for admins), open and dispatched first (oldest first: the
 * longest waiting on top), then recently closed ones.
 */
export async function listProblemsForStaff(
	db: Executor,
	actor: Actor | null,
	options: { status?: 'open' | 'dispatched' | 'closed' | undefined } = {},
): Promise<ProblemView[]> {
	const scope = staffScope(actor, 'problem.view');
	const rows = await base(db)
		.where(
			and(
				scopeFilter(scope, {
					communityId: projects.communityId,
					projectId: problemReports.projectId,
				}),
				options.status ? eq(problemReports.status, options.status) : undefined,
			),
		)
		.orderBy(
			sql`${problemReports.status} = 'closed'`,
			sql`case when ${problemReports.status} = 'closed' then -extract(epoch from ${problemReports.closedAt}) else extract(epoch from ${problemReports.createdAt}) end`,
		)
		.limit(200);
	return toViews(db, rows, null);
}
