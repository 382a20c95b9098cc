/**
 * Public pages in Astro's route cache (route-cache.ts): which pages a visitor may share, the tags
 * they carry, and their invalidation after a command commits — here at once, in every other
 * instance through PostgreSQL NOTIFY. Cached pages live at most `MAX_AGE_SECONDS`, and never past
 * a moment their content changes by the clock (a window opening or closing).
 */
import type { AstroGlobal } from 'astro';
import { sql } from 'drizzle-orm';
import { listen, queryRows, type Db } from '../../../../db/client.ts';
import { logger } from '../shared/index.ts';
import { ALL_PAGES, invalidateHere } from './route-cache.ts';

export const MAX_AGE_SECONDS = 300;
const CHANNEL = 'gj_pages';

/** The home page's tag: every command that succeeds drops it (it lists every project). */
export const HOME = 'home';
export const projectTag = (projectId: number) => `project:${projectId}`;

/**
 * Lets a visitor's render of this page be cached with `tags` (a signed-in user's never is),
 * until the first of `changesAt` (ms epoch) still to come.
 */
export function cachePage(
	astro: Pick<AstroGlobal, 'cache' | 'locals'>,
	tags: string[],
	changesAt: readonly (number | null | undefined)[] = [],
): void {
	if (astro.locals.actor) return;
	const now = Date.now();
	const next = Math.min(...changesAt.filter((ms): ms is number => !!ms && ms > now));
	const maxAge = Math.min(MAX_AGE_SECONDS, Math.floor((next - now) / 1000));
	if (maxAge > 0) astro.cache.set({ maxAge, tags: [...tags, ALL_PAGES] });
}

/** Input fields that name something of one project, and how to find that project. */
const projectOf: Record<string, (id: number) => ReturnType<typeof sql>> = {
	projectId: (id) => sql`select ${id}::int as project_id`,
	versionId: (id) => sql`select project_id from plan_versions where id = ${id}`,
	planVersionId: (id) => sql`select project_id from plan_versions where id = ${id}`,
	opinionId: (id) => sql`select v.project_id from opinions o
		join plan_versions v on v.id = o.plan_version_id where o.id = ${id}`,
	parentId: (id) => sql`select v.project_id from opinions o
		join plan_versions v on v.id = o.plan_version_id where o.id = ${id}`,
	roundId: (id) => sql`select project_id from rounds where id = ${id}`,
	surveyId: (id) => sql`select project_id from surveys where id = ${id}`,
	meetingId: (id) => sql`select project_id from meetings where id = ${id}`,
	reportId: (id) => sql`select project_id from problem_reports where id = ${id}`,
};

/**
 * The tags of the pages an action may change: the home page, and the pages of the project its
 * input names — or every page when it names none (a change to the household tree, say). Signing
 * in changes no public page. Asked before the command runs, so that once it committed the pages
 * go without another query (and a row the command removes still names its project).
 */
export async function pagesChangedBy(db: Db, action: string, input: unknown): Promise<string[]> {
	if (action.startsWith('auth.')) return [];
	const fields = typeof input === 'object' && input !== null ? input : {};
	for (const [field, query] of Object.entries(projectOf)) {
		const id = Number((fields as Record<string, unknown>)[field]);
		if (!Number.isSafeInteger(id) || id <= 0) continue;
		const [row] = await queryRows<{ project_id: number }>(db, query(id));
		return row ? [HOME, projectTag(Number(row.project_id))] : [HOME];
	}
	return [ALL_PAGES];
}

/**
 * After a command committed: drops the pages with `tags` here, then tells the other instances
 * (NOTIFY; they drop theirs on receipt). A failed NOTIFY is logged, not thrown: the command's
 * work is done; the others drop every page when their listening connection comes back, or
 * their pages expire within MAX_AGE_SECONDS.
 */
export async function invalidatePages(db: Db, tags: string[]): Promise<void> {
	if (tags.length === 0) return;
	await invalidateHere(tags);
	try {
		await db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(tags)})`);
	} catch (error) {
		logger.warn({ err: error, tags }, 'pages: other instances not told');
	}
}

/**
 * Drops this instance's pages whenever any instance invalidates them (src/start.ts), and all of
 * them whenever the listening connection is made again (notices sent meanwhile are lost).
 */
export function listenForInvalidations(db: Db): Promise<void> {
	return listen(
		db,
		CHANNEL,
		(payload) => {
			const tags: unknown = JSON.parse(payload);
			if (Array.isArray(tags)) void invalidateHere(tags.map(String));
		},
		() => void invalidateHere([ALL_PAGES]),
	);
}
